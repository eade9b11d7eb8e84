"""Whole-review rendering: header, footer, comments, page/fragment, stylesheets, template."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser

import pytest

from journal.core.render import (
    DEFAULT_REVIEW_TEMPLATE,
    CommentDocument,
    RenderError,
    RenderOptions,
    ReviewDocument,
    format_partial_date,
    format_score,
    render_review,
    stylesheet,
)

PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


def review(**changes: object) -> ReviewDocument:
    doc = ReviewDocument(
        title="Love, unplugged", film_title="Her", film_year=2013, directors=["Spike Jonze"],
        score=Decimal("8.5"), eyelights="Joaquin Phoenix’s face — all of it",
        eyesores="A <b>slow</b> middle", body="## Start\n\nThe “voice” works.\n",
        viewing_date="2014-01-24", tags=["sci-fi", "romance"], status="published")
    for key, value in changes.items():
        setattr(doc, key, value)
    return doc


FRAG = RenderOptions(standalone=False)


def test_header_fields() -> None:
    html = render_review(review(), FRAG).html
    assert "Love, unplugged" in html
    assert 'Her <span class="film-year">(2013)</span>' in html
    assert "Directed by Spike Jonze" in html
    assert '<p class="score">8.5/10</p>' in html
    assert '<span class="label">Eyelights:</span> Joaquin Phoenix’s face — all of it' in html
    assert '<span class="label">Eyesores:</span> A &lt;b&gt;slow&lt;/b&gt; middle' in html
    assert "Date of viewing: 24 January 2014" in html
    assert '<span class="tag">sci-fi</span>' in html
    assert "The “voice” works." in html


def test_unrated_shows_no_score() -> None:
    html = render_review(review(score=None), FRAG).html
    assert "/10" not in html and 'class="score"' not in html


@pytest.mark.parametrize(("score", "shown"), [
    (Decimal("8.5"), "8.5/10"), (Decimal("10"), "10.0/10"), (Decimal("0"), "0.0/10"),
    (None, "")])
def test_format_score(score: Decimal | None, shown: str) -> None:
    assert format_score(score) == shown


@pytest.mark.parametrize(("value", "shown"), [
    ("2014", "2014"), ("2014-01", "January 2014"), ("2014-01-24", "24 January 2014"),
    ("2014-12-05", "5 December 2014"), ("2014-02-30", "2014-02-30"), ("soon", "soon"),
    (None, ""), ("", "")])
def test_partial_dates(value: str | None, shown: str) -> None:
    assert format_partial_date(value) == shown


def test_no_viewing_date_line_when_unknown() -> None:
    assert "Date of viewing" not in render_review(review(viewing_date=None), FRAG).html


def test_comments_are_threaded_and_optional() -> None:
    comments = [CommentDocument("Ann <admin>", "2014-02-01", "Loved it.\n\nSecond para",
                                [CommentDocument("Bob", "2014-02-02",
                                                 "Me too <script>x</script>")])]
    doc = review(comments=comments)
    assert "Loved it" not in render_review(doc, FRAG).html
    html = render_review(doc, RenderOptions(standalone=False, include_comments=True)).html
    assert "Ann &lt;admin&gt;" in html
    assert "<p>Loved it.</p><p>Second para</p>" in html
    assert '<div class="comment reply">' in html
    assert html.index("Bob") > html.index("Ann")
    assert "<script" not in html


def test_poster_embedded_as_data_uri() -> None:
    html = render_review(review(poster=PNG_1PX), FRAG).html
    assert '<img class="poster" src="data:image/png;base64,' in html
    assert "<img" not in render_review(review(poster=b"not an image"), FRAG).html


def test_standalone_page_has_doctype_and_theme_css() -> None:
    html = render_review(review(), RenderOptions(theme="dark")).html
    assert html.startswith("<!DOCTYPE html>")
    assert stylesheet("dark") in html
    assert "<title>Love, unplugged</title>" in html
    fragment = render_review(review(), FRAG).html
    assert "<!DOCTYPE" not in fragment and "<style>" not in fragment


def test_stylesheets() -> None:
    for theme in ("light", "dark", "print"):
        css = stylesheet(theme)
        assert ".spoiler" in css and "a.unresolved" in css and ".review-header" in css
    assert stylesheet("light") != stylesheet("dark")
    with pytest.raises(RenderError):
        stylesheet("neon")


class _StrictParser(HTMLParser):
    """Collects structural problems python's tolerant parser would silently accept."""

    VOID = {"br", "hr", "img", "meta", "col", "input", "link"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()


def test_html_is_well_formed() -> None:
    body = DEFAULT_REVIEW_TEMPLATE + "\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n<div>raw</div>\n"
    thread = [CommentDocument("A", "d", "t", [CommentDocument("B", "", "u")])]
    doc = review(body=body, comments=thread)
    for spoilers in ("show", "hide", "fold"):
        html = render_review(doc, RenderOptions(spoilers=spoilers, include_comments=True)).html
        parser = _StrictParser()
        parser.feed(html)
        parser.close()
        assert parser.errors == [] and parser.stack == [], (spoilers, parser.errors)


def test_template_renders_with_quotes_and_a_spoiler() -> None:
    result = render_review(review(body=DEFAULT_REVIEW_TEMPLATE), FRAG)
    assert result.spoiler_count == 1
    assert result.html.count("<blockquote>") == 2
    assert [level for level, _, _ in result.headings] == [2, 2, 2, 2]


def test_unicode_survives() -> None:
    body = ("Amélie’s “smile” — 🎬🍿 👩‍👩‍👧 and שָׁלוֹם עולם and e\u0301 (combining) "
            "and 漢字.\n")
    doc = review(body=body, film_title="Amélie 🎬", eyelights="שלום",
                 directors=["Jean-Pierre Jeunet"])
    html = render_review(doc, FRAG).html
    for piece in ("Amélie’s “smile” — 🎬🍿 👩‍👩‍👧", "שָׁלוֹם עולם", "e\u0301 (combining)", "漢字",
                  "Amélie 🎬", "שלום"):
        assert piece in html


def test_stored_comments_are_threaded_under_their_parents() -> None:
    """The exports' ``comment_tree``: a reply sits under its comment, a reply to a comment that
    is gone comes up to the top, the order of the journal is kept, and no name is Anonymous."""
    import datetime as dt
    from types import SimpleNamespace

    from journal.core.export.document import comment_tree

    def comment(ident, parent, author, text):
        return SimpleNamespace(id=ident, parent_id=parent, author=author, text=text,
                               posted_at=dt.datetime(2014, 1, 25, 9, 30))

    tree = comment_tree([comment(1, None, "Ana", "Loved it."), comment(2, 1, "", "Me too."),
                         comment(3, 99, "Bo", "Orphan."), comment(4, 2, "Ana", "Thanks!")])
    assert [(c.author, c.text, c.date) for c in tree] == [
        ("Ana", "Loved it.", "25 January 2014"), ("Bo", "Orphan.", "25 January 2014")]
    (reply,) = tree[0].replies
    assert (reply.author, reply.text) == ("Anonymous", "Me too.")
    assert [r.text for r in reply.replies] == ["Thanks!"] and tree[1].replies == []
