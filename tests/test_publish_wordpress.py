"""Publishing to a real WordPress (Debian's package, served on 127.0.0.1 by the session's
``wordpress_site``): new posts, updates, conflicts, terms, featured images, failures."""

from __future__ import annotations

import re
import urllib.request

import pytest

from journal.core.publish import (
    BlogAuthError,
    BlogService,
    BlogSettings,
    BlogUnreachable,
    PublishConflict,
    Publisher,
    compose,
)
from journal.errors import DiskFull

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)


@pytest.fixture
def blog(journal, wordpress_site, memory_keyring):
    return ph.add_blog(journal, wordpress_site)


def publish(journal, blog, review_id, **kwargs):
    overwrite = kwargs.pop("overwrite", False)
    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog, **kwargs))
    return publisher.publish(plan, overwrite=overwrite)


def term_names(site, taxonomy, ids):
    return sorted(site.rest("GET", f"wp/v2/{taxonomy}/{i}")["name"] for i in ids)


def test_a_new_post_is_exactly_the_review_in_the_blogs_conventions(journal, blog,
                                                                   wordpress_site):
    site = wordpress_site
    poster = ph.png()
    review_id = ph.write_review(journal, "Her", poster=poster)
    result = publish(journal, blog, review_id, status="publish")
    assert result.created and result.status == "publish"
    post = site.post(result.post_id)
    assert post["title"]["raw"] == "Her"
    assert post["content"]["raw"] == ph.EXPECTED_POST.format(film="Her")
    assert post["status"] == "publish" and post["link"] == result.url
    assert term_names(site, "tags", post["tags"]) == ["Romance", "Science fiction"]
    assert term_names(site, "categories", post["categories"]) == ["Film reviews"]
    media = site.rest("GET", f"wp/v2/media/{post['featured_media']}")
    with urllib.request.urlopen(media["source_url"], timeout=10) as image:
        assert image.read() == poster  # the poster itself, byte for byte
    # what readers see (after WordPress's own filters: wpautop adds no line break)
    shown = site.rest("GET", f"wp/v2/posts/{result.post_id}", auth=False)["content"]["rendered"]
    assert "<p>“The past is just a story we tell ourselves.” — Amy</p>" in shown
    assert shown.count("<p><em>MAJOR spoiler alert</em></p>") == 2
    assert shown.count("<br />") == 1  # the one between eyelights and eyesores
    # …and the page itself, as the blog's theme serves it: the review exactly, the poster
    with urllib.request.urlopen(result.url, timeout=20) as page:
        front = page.read().decode("utf-8")
    body = re.search(r'<div class="[^"]*\bentry-content\b[^"]*">(.*?)</div>', front, re.S)
    assert body is not None and body.group(1) == ph.EXPECTED_POST.format(film="Her")
    assert re.search(r'<h1[^>]*class="wp-block-post-title">Her</h1>', front)
    assert f'src="{media["source_url"]}"' in front and 'alt="Poster of Her"' in front
    m = journal.models
    link = m.PostLink.get(m.PostLink.review == review_id)
    assert (link.post_id, link.url, link.status) == (result.post_id, result.url, "publish")
    review = journal.reviews.get(review_id)
    assert review.status == "published" and review.published_url == result.url
    assert [r.reason for r in journal.reviews.revisions(review_id)] == ["published to My film blog"]


def test_an_update_changes_the_same_post_and_uploads_the_poster_once(journal, blog,
                                                                      wordpress_site):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her again", poster=ph.png(rgb=(1, 2, 3)))
    first = publish(journal, blog, review_id, status="draft")
    assert site.post(first.post_id)["status"] == "draft"
    media_before = len(site.rest("GET", "wp/v2/media&per_page=100"))
    journal.reviews.update(review_id, body=ph.BODY + "\nA last thought, added later.\n")
    second = publish(journal, blog, review_id, status="publish")
    assert second.post_id == first.post_id and not second.created and not second.uploaded
    post = site.post(first.post_id)
    assert post["content"]["raw"].endswith(
        "<p>A last thought, added later.</p>\n<p>Date of viewing: January 24, 2014</p>\n")
    assert post["status"] == "publish"
    assert len(site.rest("GET", "wp/v2/media&per_page=100")) == media_before
    assert journal.models.BlogMedia.select().count() == 1


def test_an_edit_on_the_blog_is_shown_and_never_overwritten_silently(journal, blog,
                                                                      wordpress_site):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, edited")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    edited = site.post(post_id)["content"]["raw"].replace(
        "its slightly long last act.", "its slightly long last act (fixed a typo on the blog).")
    site.rest("POST", f"wp/v2/posts/{post_id}", {"content": edited})
    journal.reviews.update(review_id, eyelights="Joaquin Phoenix, above all.")
    m = journal.models
    link_before = m.PostLink.get(m.PostLink.review == review_id).remote_content
    revisions = len(journal.reviews.revisions(review_id))

    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog, status="publish"))
    assert plan.confirm and "changed on the blog" in plan.confirm
    assert "+<strong>eyesores:</strong> its slightly long last act (fixed a typo on the blog)." \
        in plan.blog_changes
    with pytest.raises(PublishConflict) as refused:
        publisher.publish(plan)
    assert "fixed a typo on the blog" in refused.value.diff
    assert site.post(post_id)["content"]["raw"] == edited  # the blog keeps its edit
    assert m.PostLink.get(m.PostLink.review == review_id).remote_content == link_before
    assert len(journal.reviews.revisions(review_id)) == revisions  # the journal is unchanged

    publisher.publish(plan, overwrite=True)  # the user looked at the difference and agreed
    assert "Joaquin Phoenix, above all." in site.post(post_id)["content"]["raw"]
    assert "fixed a typo" not in site.post(post_id)["content"]["raw"]
    again = Publisher(journal, blog).plan(compose(journal, review_id, blog))
    assert not again.confirm and not again.blog_changes


def test_tags_and_categories_are_matched_or_created(journal, blog, wordpress_site, tmp_path):
    site = wordpress_site
    drama = site.rest("POST", "wp/v2/categories", {"name": "Drama"})["id"]
    first = ph.write_review(journal, "Amélie", tags=["Drama", "Café ☕ & co"])
    post_id = publish(journal, blog, first, status="publish").post_id
    post = site.post(post_id)
    assert drama in post["categories"]  # a review tag naming a category of the blog
    assert term_names(site, "categories", post["categories"]) == ["Drama", "Film reviews"]
    assert term_names(site, "tags", post["tags"]) == ["Café ☕ &amp; co"]  # WordPress escapes &
    from journal.core.journal import Journal

    with Journal.open(tmp_path / "other.eyelights") as other:  # its own spelling of the tag
        other_blog = ph.add_blog(other, site)
        second = ph.write_review(other, "Amélie 2", tags=["café ☕ & CO"])
        plan = Publisher(other, other_blog).plan(compose(other, second, other_blog))
    assert [t.shown() for t in plan.tags] == ["café ☕ & CO"]  # found: not created twice
    assert [t.id for t in plan.tags] == post["tags"]


def test_a_scheduled_post(journal, blog, wordpress_site):
    review_id = ph.write_review(journal, "Her, later")
    result = publish(journal, blog, review_id, status="future", schedule="2099-12-24 09:00")
    post = wordpress_site.post(result.post_id)
    assert post["status"] == "future"
    import datetime as dt

    expected = dt.datetime(2099, 12, 24, 9, 0).astimezone().astimezone(dt.UTC)
    assert post["date_gmt"] == expected.strftime("%Y-%m-%dT%H:%M:%S")
    assert journal.reviews.get(review_id).status == "draft"  # not public yet


def test_a_wrong_password_stores_nothing(journal, wordpress_site, memory_keyring):
    site = wordpress_site
    with pytest.raises(BlogAuthError, match="refused the user name or application password"):
        BlogService(journal).add(BlogSettings("Blog", site.url, site.user), "abcd efgh ijkl")
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}


def test_a_password_revoked_later_fails_cleanly(journal, blog, wordpress_site, memory_keyring):
    review_id = ph.write_review(journal, "Her, refused")
    for key in memory_keyring.secrets:
        memory_keyring.secrets[key] = "wrong wrong wrong"
    with pytest.raises(BlogAuthError):
        publish(journal, blog, review_id, status="publish")
    assert journal.models.PostLink.select().count() == 0
    assert journal.reviews.revisions(review_id) == []


def test_a_site_that_is_down(journal, memory_keyring):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = BlogSettings("Down", f"http://127.0.0.1:{port}", "editor")
    with pytest.raises(BlogUnreachable, match=r"Cannot reach Down .*nothing was changed"):
        BlogService(journal).add(settings, "a password")
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}
    blog = BlogService(journal).add(settings, "a password", check=False)
    review_id = ph.write_review(journal, "Her, offline")
    with pytest.raises(BlogUnreachable):
        publish(journal, blog, review_id)
    assert journal.models.PostLink.select().count() == 0


@pytest.mark.expect_log("the journal could not record the publish of review 1; undoing it")
def test_a_failure_half_way_leaves_the_blog_and_the_journal_as_they_were(
        journal, blog, wordpress_site, monkeypatch):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, half-way", tags=["Only here ✂"],
                                poster=ph.png(rgb=(9, 9, 9)))
    posts_before = {p["id"] for p in site.rest("GET", "wp/v2/posts&status=any&per_page=100")}
    media_before = len(site.rest("GET", "wp/v2/media&per_page=100"))

    def disk_full(*_args):
        raise DiskFull("The disk holding the journal is full.")

    monkeypatch.setattr(Publisher, "_record", disk_full)
    with pytest.raises(DiskFull):
        publish(journal, blog, review_id, status="publish")
    posts_after = {p["id"] for p in site.rest("GET", "wp/v2/posts&status=any&per_page=100")}
    assert posts_after == posts_before  # the new post was taken back
    assert len(site.rest("GET", "wp/v2/media&per_page=100")) == media_before
    assert site.rest("GET", "wp/v2/tags&search=Only%20here") == []
    m = journal.models
    assert m.PostLink.select().count() == 0 and m.BlogMedia.select().count() == 0
    assert journal.reviews.revisions(review_id) == []
    assert journal.reviews.get(review_id).status == "draft"

    monkeypatch.undo()
    post_id = publish(journal, blog, review_id, status="publish").post_id
    before = site.post(post_id)["content"]["raw"]
    journal.reviews.update(review_id, body="Rewritten entirely.")
    monkeypatch.setattr(Publisher, "_record", disk_full)
    with pytest.raises(DiskFull):
        publish(journal, blog, review_id, status="publish")
    assert site.post(post_id)["content"]["raw"] == before  # the update was taken back
    assert m.PostLink.get(m.PostLink.review == review_id).remote_content == before
