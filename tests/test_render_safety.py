"""The sanitiser: hostile Markdown/HTML never gets through; safe content does."""

from __future__ import annotations

import csv
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.core.render import Renderer, RenderOptions, ReviewDocument, render_review

FRAG = RenderOptions(standalone=False)
EVENT_ATTR_RE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)


def html_of(text: str) -> str:
    return Renderer().render_body(text, FRAG).html


def test_script_and_style_removed_with_their_content() -> None:
    html = html_of("Hi <script>alert('x')</script> there\n\n<style>body{display:none}</style>\n")
    assert "<script" not in html and "alert" not in html
    assert "<style" not in html and "display:none" not in html
    assert "Hi" in html and "there" in html


def test_event_handlers_and_javascript_urls_removed() -> None:
    html = html_of('<p onclick="steal()">Click</p>\n\n[bad](javascript:alert(1)) '
                   '<a href="JaVaScRiPt:alert(2)">b2</a> <img src="x.png" onerror="boom()">\n')
    assert "onclick" not in html and "steal" not in html
    assert "javascript" not in html.lower() and "onerror" not in html
    assert "Click" in html and "bad" in html


def test_iframes_objects_and_forms_removed() -> None:
    html = html_of('<iframe src="https://evil.example"></iframe>\n\n'
                   '<object data="x.swf"></object><embed src="y"><form><input></form>\n')
    for tag in ("<iframe", "<object", "<embed", "<form", "<input"):
        assert tag not in html


def test_remote_images_become_links() -> None:
    html = html_of('![A poster & more](https://img.example/p.jpg "t")\n\n'
                   '<img src="http://img.example/raw.png" alt="raw">\n')
    assert "<img" not in html
    assert ('<a class="remote-image" href="https://img.example/p.jpg">'
            "[image: A poster &amp; more]</a>") in html
    assert '<a class="remote-image" href="http://img.example/raw.png">[image: raw]</a>' in html


def test_data_images_and_normal_links_kept() -> None:
    html = html_of("![dot](data:image/png;base64,iVBORw0KGgo=) [site](https://example.org) "
                   "<mailto:me@example.org> [[Her (2013)]]\n")
    assert '<img alt="dot" src="data:image/png;base64,iVBORw0KGgo=">' in html
    assert '<a href="https://example.org">site</a>' in html
    assert "mailto:" in html
    assert 'href="newfilm:Her?year=2013"' in html


def test_data_urls_refused_outside_images() -> None:
    html = html_of('[x](data:text/html;base64,PHNjcmlwdD4=) '
                   '<img src="data:image/svg+xml;base64,PHN2Zz4=">\n')
    assert "data:text/html" not in html and "svg+xml" not in html


def test_raw_html_passes_through_the_sanitiser() -> None:
    html = html_of('<div class="aside">An <em>aside</em> with <mark>mark</mark></div>\n\n'
                   "~~struck~~ and ==marked==\n")
    assert '<div class="aside">An <em>aside</em>' in html
    assert "<del>struck</del>" in html and "<mark>marked</mark>" in html


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400)
       | st.lists(st.sampled_from(["<script>", "</script>", "<scr", "ipt>", "[[", "]]", "|",
                                   "::: spoiler", ":::", "\n", "\n\n", "*Spoiler alert*", "`",
                                   "```", "<", ">", "&", "javascript:", "# ", "- ", "> ",
                                   "<img src=x onerror=alert(1)>", "\"", "'", "x"]),
                  max_size=60).map("".join))
def test_arbitrary_text_never_raises_nor_yields_script(text: str) -> None:
    for mode in ("show", "hide", "fold"):
        html = Renderer().render_body(text, RenderOptions(standalone=False, spoilers=mode)).html
        assert "<script" not in html.lower()
        assert not EVENT_ATTR_RE.search(html)


@pytest.mark.shared
def test_real_letterboxd_reviews_render_safely(shared_testdata) -> None:
    renderer = Renderer()
    path = shared_testdata / "letterboxd" / "extratone-letterboxd" / "reviews.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    for row in rows:
        doc = ReviewDocument(film_title=row.get("Name", ""), body=row.get("Review", ""))
        html = render_review(doc, FRAG, renderer=renderer).html
        assert "<script" not in html.lower()
