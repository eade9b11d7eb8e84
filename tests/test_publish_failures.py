"""Publishing when things go wrong half-way, against the real WordPress: a plugin that crashes
after the post is saved, PHP notices before the JSON, an answer lost, the site going down, a
post deleted on the blog, terms made on the blog meanwhile. The blog is left as it was (or with
a draft at worst) and the journal unchanged; what could not be taken back is said."""

from __future__ import annotations

import pytest

from journal.core.publish import (
    BlogService,
    BlogUnreachable,
    PostGone,
    Publisher,
    PublishError,
    compose,
    sync,
)
from journal.errors import DiskFull

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)


@pytest.fixture
def blog(journal, wordpress_site, memory_keyring):
    return ph.add_blog(journal, wordpress_site)


@pytest.fixture
def proxy(wordpress_site):
    from wordpress_site import FaultyProxy

    proxy = FaultyProxy(wordpress_site.url)
    yield proxy
    proxy.close()


@pytest.fixture
def proxied_blog(journal, wordpress_site, memory_keyring, proxy):
    """The same blog, reached through a proxy that fails when told to."""
    from journal.core.publish import BlogSettings

    return BlogService(journal).add(BlogSettings("Through a proxy", proxy.url,
                                                 wordpress_site.user), wordpress_site.password)


def publish(journal, blog, review_id, **kwargs):
    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog, **kwargs))
    return publisher.publish(plan)


def posts_titled(site, title):
    return [p for p in site.rest("GET", "wp/v2/posts&status=any&context=edit&per_page=100")
            if p["title"]["raw"] == title]


def tags_named(site, name):
    return [t for t in site.rest("GET", "wp/v2/tags&per_page=100&hide_empty=false&search="
                                 + name.split()[0]) if t["name"] == name]


def assert_journal_unchanged(journal, review_id):
    m = journal.models
    assert m.PostLink.select().count() == 0 and m.BlogMedia.select().count() == 0
    assert journal.reviews.revisions(review_id) == []
    assert journal.reviews.get(review_id).status == "draft"


@pytest.mark.parametrize("fault", ["crash-after-publish", "crash-after-save", "notice"])
def test_a_broken_plugin_leaves_no_post_and_nothing_of_the_publish(journal, blog, wordpress_site,
                                                                   fault):
    """WordPress answers 500 (or prints a PHP notice before the JSON) after saving the post: the
    post, its new tag and the uploaded poster are deleted again."""
    site = wordpress_site
    title = f"Broken [fault:{fault}]"
    review_id = ph.write_review(journal, title, tags=[f"Only for {fault}"],
                                poster=ph.png(rgb=(len(fault), 1, 2)))
    media_before = len(site.rest("GET", "wp/v2/media&per_page=100"))
    with pytest.raises(PublishError) as failed:
        publish(journal, blog, review_id, status="publish")
    if fault == "notice":
        assert "not JSON" in failed.value.message
    else:  # WordPress's fatal-error message is HTML: said as text
        route = "/wp-json/wp/v2/posts/" if fault == "crash-after-publish" else \
            "/wp-json/wp/v2/posts:"  # the status set after the draft, or the draft itself
        assert f"answered HTTP 500 to POST {route}" in failed.value.message
        assert "There has been a critical error on this website. Learn more about " \
            "troubleshooting WordPress." in failed.value.message
        assert "<" not in failed.value.message and ".." not in failed.value.message
    assert failed.value.message.endswith("What this publish had done on My film blog was "
                                         "taken back.")
    assert posts_titled(site, title) == []
    assert tags_named(site, f"Only for {fault}") == []
    assert len(site.rest("GET", "wp/v2/media&per_page=100")) == media_before
    assert_journal_unchanged(journal, review_id)


def test_an_answer_lost_after_the_blog_made_the_post(journal, wordpress_site, proxied_blog,
                                                     proxy):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, answer lost")
    proxy.fail("POST", "wp/v2/posts", "lost")  # WordPress makes the post; the answer is lost
    with pytest.raises(BlogUnreachable, match="may or may not have done it"):
        publish(journal, proxied_blog, review_id, status="publish")
    assert posts_titled(site, "Her, answer lost") == []  # found and deleted again
    assert_journal_unchanged(journal, review_id)
    result = publish(journal, proxied_blog, review_id, status="publish")  # and again: one post
    assert [p["id"] for p in posts_titled(site, "Her, answer lost")] == [result.post_id]


def test_an_update_whose_answer_is_lost_is_put_back(journal, wordpress_site, proxied_blog,
                                                    proxy):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, update lost")
    post_id = publish(journal, proxied_blog, review_id, status="publish").post_id
    before = site.post(post_id)["content"]["raw"]
    m = journal.models
    link = m.PostLink.get(m.PostLink.review == review_id)
    journal.reviews.update(review_id, body="Rewritten entirely, but the answer is lost.")
    proxy.fail("POST", f"wp/v2/posts/{post_id}", "lost")
    with pytest.raises(BlogUnreachable):
        publish(journal, proxied_blog, review_id)
    assert site.post(post_id)["content"]["raw"] == before  # the blog has its text back
    assert m.PostLink.get(m.PostLink.review == review_id).remote_content == link.remote_content


@pytest.mark.expect_log("could not look for a half-made post", "could not undo wp/v2/media/",
                        "could not undo wp/v2/tags/")
def test_the_site_going_down_half_way_says_what_is_left_there(journal, wordpress_site,
                                                              proxied_blog, proxy):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, site down", tags=["Left behind ✦"],
                                poster=ph.png(rgb=(3, 141, 59)))
    proxy.fail("POST", "wp/v2/posts", "down")  # terms and poster made; then the site is down
    with pytest.raises(PublishError) as failed:
        publish(journal, proxied_blog, review_id, status="publish")
    message = failed.value.message
    assert message.startswith("Cannot reach Through a proxy")
    assert "nothing was changed" not in message
    (tag,) = tags_named(site, "Left behind ✦")
    assert f"tag #{tag['id']}" in message and "image #" in message
    assert posts_titled(site, "Her, site down") == []
    assert_journal_unchanged(journal, review_id)


@pytest.mark.expect_log("the journal could not record the publish of review 1; undoing it")
def test_a_term_made_on_the_blog_meanwhile_is_never_deleted(journal, blog, wordpress_site,
                                                            monkeypatch):
    """The preview said "(new)"; someone made the tag on the blog before Publish was pressed;
    the publish fails: the blog's own tag stays."""
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, raced", tags=["Made meanwhile ✦"])
    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog, status="publish"))
    assert [t.shown() for t in plan.tags] == ["Made meanwhile ✦ (new)"]
    theirs = site.rest("POST", "wp/v2/tags", {"name": "Made meanwhile ✦"})["id"]

    def disk_full(*_args):
        raise DiskFull("The disk holding the journal is full.")

    monkeypatch.setattr(Publisher, "_record", disk_full)
    with pytest.raises(DiskFull):
        publisher.publish(plan)
    assert [t["id"] for t in tags_named(site, "Made meanwhile ✦")] == [theirs]
    assert posts_titled(site, "Her, raced") == []


def test_a_short_tag_is_found_among_many_that_contain_it(journal, blog, wordpress_site, tmp_path):
    """WordPress's search finds "TV" in 120 other tags' names: the blog's own "TV" is used, not
    made again (and never taken for one this publish made)."""
    site = wordpress_site
    script = tmp_path / "tags.php"
    script.write_text("<?php require $argv[1];\nfor ($i = 0; $i < 120; $i++) "
                      "wp_insert_term(sprintf('ATV %03d', $i), 'post_tag');\n"
                      "echo wp_insert_term('TV', 'post_tag')['term_id'];\n")
    done = site.php(script)
    tv = int(done.stdout.strip())
    review_id = ph.write_review(journal, "Her, on TV", tags=["TV"])
    plan = Publisher(journal, blog).plan(compose(journal, review_id, blog))
    assert [(t.shown(), t.id) for t in plan.tags] == [("TV", tv)]


def test_a_post_deleted_on_the_blog(journal, blog, wordpress_site, capsys):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, deleted there")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    site.rest("DELETE", f"wp/v2/posts/{post_id}")  # to the trash
    with pytest.raises(PostGone, match="in the trash .* restore it there, or publish the review "
                                       r"as a new post \(--new\)"):
        publish(journal, blog, review_id)
    site.rest("DELETE", f"wp/v2/posts/{post_id}&force=true")  # gone for good
    with pytest.raises(PostGone, match=r"no longer on My film blog .*\(--new\)"):
        publish(journal, blog, review_id)
    assert sync(journal, blog).problems == [f"post #{post_id} (review #{review_id}) is no "
                                            "longer on the blog"]
    result = publish(journal, blog, review_id, as_new=True)
    assert result.created and result.post_id != post_id
    m = journal.models
    assert m.PostLink.get(m.PostLink.review == review_id).post_id == result.post_id
