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
