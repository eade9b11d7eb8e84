"""Publishing and comments against a WordPress REST API replayed on 127.0.0.1
(``tests/wp_replay.py``, WordPress's documented formats), so that these run where the real
WordPress of ``tests/test_publish_wordpress.py`` cannot: under ``make mutation``, where every
mutant of ``journal/core/publish`` must meet a test (docs/testing.md, "Mutation testing").
The real WordPress tests stay the judges of what WordPress itself does with a post."""

from __future__ import annotations

import datetime as dt
import socket

import publish_helpers as ph  # tests/ is on sys.path (conftest.py)
import pytest
from wp_replay import ReplayedWordPress

from journal.core.publish import (
    BlogService,
    BlogSettings,
    BlogUnreachable,
    PostGone,
    PublishConflict,
    Publisher,
    PublishError,
    compose,
)
from journal.core.publish import comments as blog_comments
from journal.core.publish.errors import in_window
from journal.core.publish.wordpress import WordPressClient


@pytest.fixture
def site():
    replayed = ReplayedWordPress()
    yield replayed
    replayed.close()


@pytest.fixture
def blog(journal, site, memory_keyring):
    return ph.add_blog(journal, site)


def publish(journal, blog, review_id, **kwargs):
    overwrite = kwargs.pop("overwrite", False)
    publisher = Publisher(journal, blog)
    return publisher.publish(publisher.plan(compose(journal, review_id, blog, **kwargs)),
                             overwrite=overwrite)


def sent(site, method, route):
    return [r for r in site.requests if (r.method, r.route) == (method, route)]


def test_a_new_post_with_its_poster_terms_and_json_body(journal, blog, site):
    review_id = ph.write_review(journal, "Her", poster=ph.png())
    result = publish(journal, blog, review_id, status="publish")
    post = site.posts[result.post_id]
    assert (post["title"]["raw"], post["status"]) == ("Her", "publish")
    assert post["content"]["raw"] == ph.EXPECTED_POST.format(film="Her")
    media = site.media[post["featured_media"]]
    assert (media["mime_type"], media["alt_text"]) == ("image/png", "Poster of Her")
    names = {t["id"]: t["name"] for kind in site.terms.values() for t in kind.values()}
    assert sorted(names[i] for i in post["tags"]) == ["Romance", "Science fiction"]
    assert [names[i] for i in post["categories"]] == ["Film reviews"]
    # made a draft first, then published: never a public half-made post
    first = sent(site, "POST", "wp/v2/posts")[0]
    assert first.body["status"] == "draft" and first.headers["Content-Type"].startswith(
        "application/json")
    assert result.to_dict() == {"post": post["id"], "url": post["link"], "status": "publish",
                                "created": True, "uploaded_poster": True,
                                "new_terms": ["Film reviews", "Romance", "Science fiction"]}


def test_a_rescheduled_update_sends_its_time(journal, blog, site):
    review_id = ph.write_review(journal, "Her, later")
    post_id = publish(journal, blog, review_id, status="draft").post_id
    publish(journal, blog, review_id, status="future", schedule="2099-12-24 09:00")
    expected = dt.datetime(2099, 12, 24, 9, 0).astimezone().astimezone(dt.UTC)
    update = sent(site, "POST", f"wp/v2/posts/{post_id}")[-1]
    assert update.body["date_gmt"] == expected.strftime("%Y-%m-%dT%H:%M:%S")
    assert site.posts[post_id]["status"] == "future"


def test_every_category_of_the_blog_settings_is_planned(journal, site, memory_keyring):
    drama = site.add_term("categories", "Drama")
    blog = ph.add_blog(journal, site, categories=["Film reviews", "Drama"])
    review_id = ph.write_review(journal, "Her", tags=["drama", "Romance"])
    plan = Publisher(journal, blog).plan(compose(journal, review_id, blog))
    assert [t.shown() for t in plan.categories] == ["Film reviews (new)", "Drama"]
    assert [t.id for t in plan.categories] == [None, drama]
    assert [t.shown() for t in plan.tags] == ["Romance (new)"]  # "drama" is the category


def test_the_plan_of_an_update_shows_the_title_changed_on_the_blog(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    site.posts[post_id]["title"]["raw"] = "Her (2013)"
    plan = Publisher(journal, blog).plan(compose(journal, review_id, blog))
    assert plan.update_diff.splitlines()[:5] == ["--- on the blog now", "+++ sent from Eyelights",
                                                 "@@ -1,3 +1,3 @@", "-Title: Her (2013)",
                                                 "+Title: Her"]
    assert "+Title: Her (2013)" in plan.blog_changes
    with pytest.raises(PublishConflict) as refused:
        Publisher(journal, blog).publish(plan)
    assert refused.value.message.endswith("publish again to overwrite (--overwrite).")
    assert in_window(refused.value).endswith(
        "publish again to overwrite (press “Overwrite the blog's version”).")


def test_an_update_that_fails_after_saving_is_put_back(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    before = site.posts[post_id]["content"]["raw"]
    journal.reviews.update(review_id, eyelights="Joaquin Phoenix, above all.")
    site.fail("POST", f"wp/v2/posts/{post_id}", after=True)
    with pytest.raises(PublishError) as failed:
        publish(journal, blog, review_id)
    assert failed.value.message == (
        f"My film blog answered HTTP 500 to POST /wp-json/wp/v2/posts/{post_id}: There has "
        "been a critical error on this website. What this publish had done on My film blog "
        "was taken back.")
    assert site.posts[post_id]["content"]["raw"] == before


@pytest.mark.expect_log(r"could not restore post \d+ on the blog: My film blog answered HTTP "
                        r"500 to POST /wp-json/wp/v2/posts/\d+: There has been a critical "
                        r"error on this website\.$")
def test_an_update_that_cannot_be_put_back_says_so(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    journal.reviews.update(review_id, eyelights="Joaquin Phoenix, above all.")
    site.fail("POST", f"wp/v2/posts/{post_id}", after=True)  # the update: saved, then failed
    site.fail("POST", f"wp/v2/posts/{post_id}")  # the restore: refused outright
    with pytest.raises(PublishError) as failed:
        publish(journal, blog, review_id)
    assert failed.value.message == (
        f"My film blog answered HTTP 500 to POST /wp-json/wp/v2/posts/{post_id}: There has "
        f"been a critical error on this website. Post #{post_id} may hold the new text on the "
        "blog; it could not be put back.")
    assert "Joaquin Phoenix, above all." in site.posts[post_id]["content"]["raw"]


def test_a_new_post_that_fails_takes_back_its_new_terms(journal, blog, site):
    review_id = ph.write_review(journal, "Her", tags=["Only here"])
    site.fail("POST", "wp/v2/posts")
    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog, status="publish"))
    with pytest.raises(PublishError) as failed:
        publisher.publish(plan)
    assert failed.value.message == (
        "My film blog answered HTTP 500 to POST /wp-json/wp/v2/posts: There has been a "
        "critical error on this website. What this publish had done on My film blog was taken "
        "back.")
    assert [t["name"] for t in site.terms["tags"].values()] == []
    assert [t["name"] for t in site.terms["categories"].values()] == ["Uncategorized"]
    assert [t.id for t in plan.terms] == [None, None]  # a retry starts afresh
    assert site.posts == {} and journal.models.PostLink.select().count() == 0


def test_a_post_deleted_on_the_blog_is_said_so(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    del site.posts[post_id]
    client = BlogService(journal).client(blog)
    with pytest.raises(PostGone) as gone:
        client.get(f"wp/v2/posts/{post_id}")
    assert gone.value.message == "My film blog: Invalid post ID. (it was deleted on the blog?)."
    assert (gone.value.code, gone.value.status) == ("rest_post_invalid_id", 404)
    with pytest.raises(PostGone) as refused:
        publish(journal, blog, review_id)
    assert refused.value.message == (f"Post #{post_id} is no longer on My film blog (deleted "
                                     "there?). Publish it as a new post instead (--new).")
    with pytest.raises(PublishError) as other:  # a 404 that is not a post's is not "gone"
        client.get("wp/v2/nothing")
    assert type(other.value) is PublishError and other.value.message == (
        "My film blog answered HTTP 404 to GET /wp-json/wp/v2/nothing: No route was found "
        "matching the URL and request method.")


def test_a_blog_that_does_not_answer_in_time(journal):
    with socket.socket() as listener:  # accepts, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        client = WordPressClient(f"http://127.0.0.1:{port}", "editor", "x", timeout=0.3,
                                 name="Slow")
        with pytest.raises(BlogUnreachable) as slow:
            client.get("wp/v2/users/me")
    assert slow.value.message == (f"Cannot reach Slow (http://127.0.0.1:{port}): no answer in "
                                  "time. Check the address and the connection; nothing was "
                                  "changed on the blog.")
    client = WordPressClient(f"http://127.0.0.1:{port}", "editor", "x", name="Down")
    with pytest.raises(BlogUnreachable) as down:
        client.post("wp/v2/posts", {"title": "x"})  # finding the API (a GET) fails first
    assert down.value.message == (f"Cannot reach Down (http://127.0.0.1:{port}): [Errno 111] "
                                  "Connection refused. Check the address and the connection; "
                                  "nothing was changed on the blog.")


def test_removing_a_blog_forgets_its_password(journal, blog, memory_keyring):
    assert len(memory_keyring.secrets) == 1
    BlogService(journal).remove(blog.name)
    assert memory_keyring.secrets == {}


def test_comments_are_fetched_and_a_reply_joins_the_thread(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    first = site.add_comment(post_id, "Lovely review.", "Ann")
    site.add_comment(post_id, "Agreed!", "Bob", parent=first)
    result = blog_comments.sync(journal, blog)
    assert (result.posts, result.new, result.known, result.problems) == (1, 2, 0, [])
    asked = sent(site, "GET", "wp/v2/posts")[-1].params
    assert (asked["include"], asked["context"]) == (str(post_id), "edit")
    [ann] = blog_comments.thread(journal, review_id)
    assert (ann.author, ann.unread, [r.author for r in ann.replies]) == ("Ann", True, ["Bob"])

    new_id = blog_comments.reply(journal, ann.id, 'It\'s "the" one — & only\r\n\r\nThanks.')
    made = site.comments[max(site.comments)]
    assert made["content"]["raw"] == 'It\'s "the" one — &amp; only\n\nThanks.'
    assert (made["post"], made["parent"]) == (post_id, first)
    [ann] = blog_comments.thread(journal, review_id)
    assert not ann.unread and [r.id for r in ann.replies][-1] == new_id
    assert blog_comments.unread_count(journal, review_id) == 1  # Bob's only
    assert blog_comments.sync(journal, blog).known == 3  # the reply is not fetched twice


def test_a_post_deleted_on_the_blog_has_no_comments_to_fetch(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = publish(journal, blog, review_id, status="publish").post_id
    site.posts[post_id]["status"] = "trash"
    result = blog_comments.sync(journal, blog)
    assert result.problems == [f"post #{post_id} (review #{review_id}) is no longer on the blog"]
    assert result.posts == 0


def test_blog_settings_check_the_user(journal, site, memory_keyring):
    settings = BlogSettings("Blog", site.url, site.user)
    with pytest.raises(PublishError) as refused:
        BlogService(journal).add(settings, "wrong password")
    assert refused.value.message == (
        "Blog refused the user name or application password (The provided password is an "
        "invalid application password.). Create a new application password in the blog's "
        "profile page and add the blog again.")
    assert memory_keyring.secrets == {}
    assert BlogService(journal).add(settings, site.password).name == "Blog"

