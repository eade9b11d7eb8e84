"""WordPress / Letterboxd HTML → Markdown."""

from __future__ import annotations

import csv
import re

import pytest

from journal.core.importers.wp_html import autop, html_to_markdown, replace_shortcodes
from journal.core.importers.wxr import iter_wxr


def test_autop_paragraphs_and_line_breaks():
    md = html_to_markdown("First line\nsecond line\n\nNew paragraph")
    assert md == "First line\\\nsecond line\n\nNew paragraph"


def test_autop_leaves_blocks_and_pre_alone():
    html = autop("Intro:\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<pre>a\n\nb</pre>")
    assert "<pre>a\n\nb</pre>" in html
    assert "<br" not in html
    assert html_to_markdown("Intro:\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>") == (
        "Intro:\n\n- one\n- two")


def test_caption_shortcode_becomes_image_and_caption():
    source = ('[caption id="attachment_9" align="alignright" width="300"]<a href="/full.jpg">'
              '<img src="http://e.org/her.jpg" alt="Theodore" width="300" /></a> Joaquin '
              "Phoenix as “Theodore”[/caption]\n\nAfter.")
    assert html_to_markdown(source) == (
        "[![Theodore](http://e.org/her.jpg)](/full.jpg)\n\n*Joaquin Phoenix as “Theodore”*"
        "\n\nAfter.")


def test_old_caption_attribute_is_used():
    source = '[caption caption="Old style"]<img src="a.jpg" alt="" />[/caption]'
    assert html_to_markdown(source) == "![](a.jpg)\n\n*Old style*"


def test_block_comments_and_paging_comments_removed():
    source = ("<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n<!--more-->\n"
              '<!-- wp:heading {"level":3} -->\n<h3>Two</h3>\n<!-- /wp:heading -->'
              "<!--nextpage--><p>Three</p>")
    assert html_to_markdown(source) == "One\n\n### Two\n\nThree"


def test_other_shortcodes():
    source = ('[gallery ids="1,2,3"]\n\n[audio https://e.org/a.mp3]\n\n'
              '[video mp4="https://e.org/v.mp4"][/video]\n\n'
              "[embed]https://www.youtube.com/watch?v=x[/embed]\n\n"
              "[quote]Kept words[/quote] and [sic] stays")
    assert html_to_markdown(source) == (
        "<https://e.org/a.mp3>\n\n<https://e.org/v.mp4>\n\n"
        "<https://www.youtube.com/watch?v=x>\n\nKept words and [sic] stays")
    assert replace_shortcodes("[gallery]") == ""


def test_letterboxd_review_html():
    source = ("I <3 this &#39;film&#39;. <i>So</i> <b>good</b>, see "
              "<a href='https://e.org/x'>this</a>.<br>Next line\r\n\r\n"
              "<blockquote>“Quoted” words</blockquote>\r\nAfter 🎬 \u202eRTL")
    assert html_to_markdown(source) == (
        "I <3 this 'film'. *So* **good**, see [this](https://e.org/x).\\\nNext line\n\n"
        "> “Quoted” words\n\nAfter 🎬 \u202eRTL")


def test_output_is_tidy():
    md = html_to_markdown("<p>a  </p>\n\n\n\n<p></p><p></p><p>b</p>\n\n<div>\n\n</div>")
    assert md == "a\n\nb"
    assert html_to_markdown("   ") == ""


@pytest.mark.shared
def test_theme_unit_test_posts_convert_tidily(shared_testdata):
    posts = [i for i in iter_wxr(shared_testdata / "wxr/themeunittestdata.wordpress.xml")
             if i.post_type == "post"]
    for post in posts:
        md = html_to_markdown(post.content)
        assert "\n\n\n" not in md, post.title
        assert not re.search(r"[ \t]+$", md, re.M), post.title
        assert not re.search(r"\[/?(?:caption|gallery)(?: [^\]]*)?\](?!\()", md), post.title
        assert "<!--more" not in md and "<!--nextpage" not in md, post.title


@pytest.mark.shared
def test_block_test_data_has_no_block_comments_left(shared_testdata):
    checked = 0
    for item in iter_wxr(shared_testdata / "wxr/64-block-test-data.xml"):
        if "<!-- wp:" in item.content and "<code" not in item.content:
            checked += 1
            assert "<!--" not in html_to_markdown(item.content), item.title
    assert checked >= 40


@pytest.mark.shared
def test_extratone_reviews_keep_their_characters(shared_testdata):
    path = shared_testdata / "letterboxd/extratone-letterboxd/reviews.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        reviews = [row["Review"] for row in csv.DictReader(fh)]
    hearts = [r for r in reviews if "<3" in r]
    assert hearts and all("<3" in html_to_markdown(r) for r in hearts)
    for review in reviews:
        md = html_to_markdown(review)
        assert "\r" not in md and "\n\n\n" not in md
        for word in re.findall(r"[“”’😀-🙏]", review):
            assert word in md
