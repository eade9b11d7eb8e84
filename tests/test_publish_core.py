"""The blog output mode of the renderer, blog settings, and what the journal keeps about blogs
(no network here: the WordPress tests are in test_publish_wordpress.py)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from journal.core.export.fullbackup import dump, restore
from journal.core.journal import Journal
from journal.core.publish import BlogService, BlogSettings, compose, thread
from journal.core.render import ReviewDocument
from journal.core.render.blog import BlogStyle, for_wpautop, render_blog_post
from journal.core.render.types import RenderError

DOC = ReviewDocument(film_title="Amélie", film_year=2001, score=Decimal("9"),
                     eyelights="Audrey Tautou", eyesores="", viewing_date="2014-02",
                     body="Paris.\n\n::: spoiler The gnome\nIt travels.\n:::\n")


def test_details_style_uk_dates_a_year_in_the_score_line_and_separate_labels():
    style = BlogStyle(score_line="{film} ({year}) {score}", spoilers="details",
                      date_format="uk", labels_together=False)
    out = render_blog_post(DOC, style)
    assert out.html == (
        "<p>Amélie (2001) 9.0</p>\n"
        "<p><strong>eyelights:</strong> Audrey Tautou</p>\n"
        "<p>Paris.</p>\n"
        '<details class="spoiler">\n<summary>Spoilers: The gnome</summary>\n'
        "<p>It travels.</p>\n</details>\n"
        "<p>Date of viewing: February 2014</p>\n")
    assert out.notes == []


def test_what_the_conventions_cannot_carry_is_noted():
    doc = ReviewDocument(film_title="Her", body=DOC.body + "\n![x](data:image/png;base64,AAAA)")
    out = render_blog_post(doc, BlogStyle())
    assert "<p>Her" not in out.html  # no score: no score line
    assert any("no score line" in n for n in out.notes)
    assert any("“The gnome”" in n for n in out.notes)  # the marker style has no labels
    assert any("no date of viewing" in n for n in out.notes)
    assert any("data: URL" in n for n in out.notes)
    assert out.html.count("<p><em>MAJOR spoiler alert</em></p>") == 2


def test_film_links_point_at_the_films_post_on_the_blog_else_plain_text():
    from journal.core.render import FilmRef

    doc = ReviewDocument(film_title="Her", body="See [[Amélie (2001)]] and [[Unknown]].")
    resolve = {"Amélie": FilmRef(7, "Amélie", 2001)}.get
    out = render_blog_post(doc, BlogStyle(), resolve=lambda title, _year: resolve(title),
                           film_url={7: "https://blog.example.org/amelie/"}.get)
    assert '<p>See <a href="https://blog.example.org/amelie/">Amélie (2001)</a> and Unknown.</p>' \
        in out.html
    assert any("Unknown" in n for n in out.notes)


@pytest.mark.parametrize("score_line, message", [
    ("{film} {rating}", "not {rating}"), ("{film", "not a valid pattern")])
def test_a_bad_score_line_is_refused(score_line, message):
    with pytest.raises(RenderError, match=message):
        BlogStyle(score_line=score_line).validate()


def test_wpautop_changes_nothing_in_the_sent_html():
    html = "<p>one\ntwo <em>three</em>\nfour<br>\nfive</p>\n<pre><code>a\nb\n</code></pre>"
    assert for_wpautop(html) == ("<p>one two <em>three</em> four<br />\nfive</p>\n"
                                 "<pre><code>a\nb\n</code></pre>")


def test_blog_settings_are_checked_and_kept(journal, memory_keyring):
    service = BlogService(journal)
    blog = service.add(BlogSettings(" Film  blog ", "example.org/blog/", "me",
                                    categories=["Films", "films", " Reviews "]),
                       "abcd efgh", check=False)
    assert (blog.name, blog.site_url) == ("Film blog", "https://example.org/blog")
    assert service.settings(blog).categories == ["Films", "Reviews"]
    assert json.loads(blog.style)["spoiler_marker"] == "MAJOR spoiler alert"
    with pytest.raises(Exception, match="already a blog called"):
        service.add(BlogSettings("film BLOG", "example.org", "me"), "x", check=False)
    changed = service.update("Film blog", BlogSettings("Film blog", "https://example.org/blog",
                                                       "me", style=BlogStyle(spoilers="details")))
    assert service.settings(changed).style.spoilers == "details"
    assert list(memory_keyring.secrets.values()) == ["abcd efgh"]


def test_an_imported_review_knows_its_post_and_a_full_backup_keeps_the_links(
        journal, memory_keyring, tmp_path):
    m = journal.models
    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Text.", source_key="wxr:example.org/blog:42")
    other = journal.reviews.create(film.id, "Other.", source_key="wxr:elsewhere.org:42")
    blog = BlogService(journal).add(BlogSettings("Blog", "https://Example.org/blog", "me"), "pw",
                                    check=False)
    assert compose(journal, review.id, blog).post_id == 42
    assert compose(journal, review.id, blog).target == "import"
    assert compose(journal, other.id, blog).post_id is None
    with journal.write():
        m.PostLink.insert(review=review.id, blog=blog.id, post_id=42, url="https://x/42",
                          status="publish", remote_content="<p>Text.</p>").execute()
        m.Comment.insert(review=review.id, author="Zoë", text="Hi", blog_id=blog.id,
                         remote_id=7, unread=True,
                         source_key="wxr:example.org/blog:42:c7").execute()
    backup = tmp_path / "backup.json"
    dump(journal, backup)
    with Journal.open(tmp_path / "restored.eyelights") as restored:
        restore(restored, backup, "empty")
        r = restored.models
        link = r.PostLink.get()
        assert (link.post_id, link.remote_content, r.Blog.get().name) == (42, "<p>Text.</p>",
                                                                          "Blog")
        (node,) = thread(restored, link.review_id)
        assert (node.author, node.unread, node.can_reply) == ("Zoë", True, True)
    with Journal.open(tmp_path / "merged.eyelights") as merged:
        merged.films.create("Amélie", 2001)
        restore(merged, backup, "merge")
        r = merged.models
        assert r.PostLink.get().post_id == 42
        assert r.Comment.get().blog_id == r.Blog.get().id
