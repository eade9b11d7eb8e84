"""Rendering behaviour that the seed-17 mutation sample of the core found untested
(docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

from journal.core.render import RenderOptions
from journal.core.render.blog import BlogStyle, render_blog_post
from journal.core.render.document import CommentDocument, ReviewDocument, render_review
from journal.core.render.markdown_dialect import LineRenderer


def test_a_comment_written_on_windows_keeps_its_paragraphs():
    doc = ReviewDocument(film_title="Her", body="Text", comments=[
        CommentDocument("Ann", "24 January 2014", "First thought.\r\n\r\nSecond,\r\nsame one.")])
    html = render_review(doc, RenderOptions(standalone=False, include_comments=True)).html
    assert ("<p>First thought.</p><p>Second,<br>same one.</p>") in html


def test_the_blogs_labels_go_out_as_typed():
    """Quotes need no escaping in text: WordPress stores the post's HTML as sent, and its editor
    would show ``&quot;`` to the writer."""
    post = render_blog_post(ReviewDocument(film_title="Her", body="x", eyelights="it's \"good\""),
                            BlogStyle(eyelights_label="what's \"good\":"))
    assert post.html.startswith("<p><strong>what's \"good\":</strong> it's \"good\"</p>")


def test_a_line_that_markdown_makes_a_block_is_not_a_paragraph():
    """One-line fields (eyelights, eyesores) go through the line renderer: a line that is not
    one paragraph comes back as python-markdown made it, never an error."""
    assert LineRenderer().render("***") == "<hr>"
    assert LineRenderer().render("*Her*, again") == "<em>Her</em>, again"


def test_each_of_two_html_blocks_in_a_row_is_anchored_at_its_own_line():
    """The preview scrolls with the editor by these anchors (one per block's first line)."""
    from journal.core.render.document import render_markdown

    text = "A\n\n<div>x</div>\n\n<div>y</div>\n\nZ\n"
    assert render_markdown(text, RenderOptions(standalone=False)).line_map == [1, 3, 5, 7]
