"""Rendering: what a blog post's notes say, what a cached block shows after the catalogue
changes, which pictures stay in the page — pinned in full.

Written from the survivors of the core's mutation sample (docs/testing.md, "Mutation
testing"): each test fails with its mutant's edit put back.
"""

from __future__ import annotations

import base64

from journal.core.render import FilmRef, RenderOptions, ReviewDocument
from journal.core.render.blog import BlogStyle, render_blog_post
from journal.core.render.document import poster_data_uri
from journal.core.render.markdown_dialect import Renderer
from journal.core.render.sanitize import block_remote_images

FRAG = RenderOptions(standalone=False)


def test_unlinked_films_are_listed_once_each_in_the_notes():
    doc = ReviewDocument(film_title="Her",
                         body="See [[Unknown]], [[Amélie (2001)]] and [[Unknown]] again.")
    out = render_blog_post(doc, BlogStyle())
    assert ("3 film links sent as plain text (no post of that film on this blog): "
            "Amélie (2001), Unknown") in out.notes


def test_a_cached_block_follows_the_catalogue():
    renderer = Renderer()  # one renderer: its block cache sees both conversions
    text = "We saw [[Her (2013)]] twice.\n\nAnother paragraph."
    before = renderer.render_body(text, FRAG, lambda title, year: None)
    assert 'class="film-link unresolved"' in before.html
    after = renderer.render_body(text, FRAG, lambda title, year: FilmRef(42, "Her", 2013))
    assert '<a class="film-link" href="film:42">Her (2013)</a>' in after.html


def test_a_webp_poster_is_embedded_with_its_type():
    webp = (b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00/\x00\x00\x00\x10\x07\x10"
            b"\x11\x11\x88\x88\xfe\x07\x00")
    assert poster_data_uri(webp) == "data:image/webp;base64," + base64.b64encode(webp).decode()
    assert poster_data_uri(b"RIFF\x00\x00\x00\x00WAVEfmt ") is None  # a sound, not a picture


def test_a_remote_picture_becomes_a_link_to_its_whole_address():
    html = '<p><img src="https://example.org/X" alt="still"></p>'
    assert block_remote_images(html) == ('<p><a class="remote-image" '
                                         'href="https://example.org/X">[image: still]</a></p>')

