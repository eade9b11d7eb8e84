"""Rendering: behaviour the seed-18 mutation sample of the core found without a Qt-free test
(docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

import re

from journal.core.guide import guide_image, images_of, page_text, render_page
from journal.core.render import RenderOptions, guard
from journal.core.render.markdown_dialect import thread_renderer


def test_the_guide_s_own_screenshots_are_pictures_in_its_pages():
    assert re.findall(r"<img[^>]*>", render_page("export.md")) == [
        '<img src="print-page.png" alt="A printed review (A4, print theme)">']
    editor = render_page("editor.md")
    shots = [name for name in images_of(page_text("editor.md")) if guide_image(name)]
    assert len(shots) >= 2  # the editor's page shows several screenshots
    assert re.findall(r'<img src="([^"]*)"', editor) == shots
    assert "[image:" not in editor


def test_a_text_one_past_the_limit_is_plain_paragraphs_with_its_line_breaks():
    text = "One line\r\nand the next & more\n\n" + "x" * (guard.MAX_CHARS - 29)
    assert len(text.replace("\r\n", "\n")) == guard.MAX_CHARS + 1
    result = thread_renderer().render_body(text, RenderOptions(), None)
    notice = ("This text is too long to be formatted (2,000,001 characters; the limit is "
              "2,000,000): it is shown as plain text.")
    assert result.notice == notice
    assert result.html == (f'<p class="render-notice"><em>{notice}</em></p>'
                           "<p>One line<br>and the next &amp; more</p>"
                           f"<p>{'x' * (guard.MAX_CHARS - 29)}</p>")


def _pieces_equal_whole(texts, options=None):
    from journal.core.render.incremental import IncrementalRenderer
    from journal.core.render.markdown_dialect import Renderer

    options = options or RenderOptions()
    pieces = IncrementalRenderer()
    for text in texts:
        result = pieces.render_body(text, options)
        assert result.html == Renderer(cache=False).render_body(text, options).html, (
            pieces.last, text)
    return pieces, result


def test_a_review_rendered_by_pieces_hands_the_preview_its_units():
    body = "\n\n".join(f"Paragraph {n} of a long review." for n in range(60))
    pieces, result = _pieces_equal_whole([body, body.replace("Paragraph 30", "Paragraph 30!")])
    assert pieces.last.reason == ""  # by pieces, not whole
    assert result.units is not None
    assert "\n".join(html for html, _inside in result.units) == result.html


def test_a_reference_link_defined_in_another_piece_resolves_after_edits():
    body = ("See [her letters][h] and [the city][c].\n\n"
            + "\n\n".join(f"Paragraph {n}." for n in range(40))
            + "\n\n[h]: https://example.org/her\n[c]: https://example.org/la\n")
    edits = [body, body.replace("Paragraph 20.", "Paragraph twenty."),
             body.replace("Paragraph 20.", "Paragraph twenty, [again][h].")]
    pieces, _result = _pieces_equal_whole(edits)
    assert pieces.last.reason == ""


def test_edits_after_a_fenced_block_render_like_a_whole_conversion():
    body = ("Before.\n\n```\ncode line\n\nstill code\n```\n\n"
            + "\n\n".join(f"Paragraph {n}." for n in range(40)))
    _pieces_equal_whole([body, body.replace("still code", "still code, edited"),
                         body.replace("Paragraph 5.", "Paragraph five.\n\n~~~\nnew fence"),
                         body.replace("Paragraph 5.", "Paragraph five.")])


def test_a_typed_line_anchor_renders_like_a_whole_conversion():
    body = "\n\n".join(f"Paragraph {n}." for n in range(40))
    typed = body.replace("Paragraph 7.", 'Paragraph 7 <a name="L3"></a>here.')
    for options in (RenderOptions(embed_line_anchors=False), RenderOptions()):
        _pieces_equal_whole([body, typed, typed.replace("Paragraph 30.", "Paragraph thirty.")],
                            options)


def test_a_quote_nested_past_the_guard_without_spaces_is_rendered_whole():
    body = "\n\n".join(f"Paragraph {n}." for n in range(30))
    deep = body + "\n\n" + ">" * 20 + " Too deep."
    pieces, _result = _pieces_equal_whole([body, deep])
    assert pieces.last.reason == "nesting capped by the guard"


def test_markdown_inside_html_is_rendered_whole_and_said_so():
    body = "\n\n".join(f"Paragraph {n}." for n in range(30))
    html = body + '\n\n<div markdown="1">\n*Inside* a div.\n</div>'
    pieces, _result = _pieces_equal_whole([body, html])
    assert pieces.last.reason == "Markdown inside HTML (its source lines are not known)"


def test_a_fenced_block_does_not_stop_the_cutting_into_pieces():
    body = ("```\ncode\n\nmore code\n```\n\n"
            + "\n\n".join(f"Paragraph {n}." for n in range(40)))
    pieces, _result = _pieces_equal_whole([body])
    assert pieces.last.reason == "" and pieces.last.pieces > 40


def test_one_blank_line_after_indented_code_still_cuts_there():
    rest = "\n\n".join(f"Paragraph {n}." for n in range(40))
    code, _ = _pieces_equal_whole(["    code line\n\nAfter the code.\n\n" + rest])
    plain, _ = _pieces_equal_whole(["Plain line\n\nAfter the line.\n\n" + rest])
    assert code.last.reason == "" and code.last.pieces == plain.last.pieces


def test_film_links_in_code_are_left_out_with_windows_line_breaks():
    from journal.core.render.film_links import extract_film_links

    text = "```\r\n[[Her (2013)]]\r\n```\r\nSee [[Alien (1979)]]."
    assert extract_film_links(text) == [("Alien", 1979)]


def test_an_edit_that_takes_a_fenced_text_past_the_guard_renders_it_whole():
    from journal.core.render import guard

    body = ("```\ncode\n```\n\n" + "\n\n".join(f"Paragraph {n}." for n in range(40)))
    many = "\n\n" + " ".join("[x]" for _ in range(guard.MAX_BRACKETS + 1))
    pieces, _result = _pieces_equal_whole([body, body + many])
    assert pieces.last.reason == "guarded text with code fences"
