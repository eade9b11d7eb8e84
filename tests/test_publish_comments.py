"""Readers' comments from a real WordPress: threaded, idempotent, unread; replies from the app;
and the round trip publish → the blog's own WXR export → import → the same review."""

from __future__ import annotations

from decimal import Decimal

import pytest

from journal.core.importers.run import import_files
from journal.core.journal import Journal
from journal.core.publish import (
    PublishConflict,
    Publisher,
    compose,
    mark_read,
    reply,
    sync,
    thread,
    unread_count,
)

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)


@pytest.fixture
def blog(journal, wordpress_site, memory_keyring):
    return ph.add_blog(journal, wordpress_site)


def published(journal, blog, film):
    review_id = ph.write_review(journal, film)
    publisher = Publisher(journal, blog)
    result = publisher.publish(publisher.plan(compose(journal, review_id, blog,
                                                      status="publish")))
    return review_id, result.post_id


def shape(nodes):
    return [(n.author, n.text, n.unread, shape(n.replies)) for n in nodes]


def test_comments_come_back_threaded_once_and_unread(journal, blog, wordpress_site):
    site = wordpress_site
    review_id, post_id = published(journal, blog, "Her, discussed")
    first = site.reader_comment(post_id, "Zoë", "Loved it — the score too 🎶")
    site.reader_comment(post_id, "Marc", "Agreed, Zoë!", parent=first)
    site.reader_comment(post_id, "Anonymous coward", "Too long.")

    result = sync(journal, blog)
    assert (result.posts, result.new, result.known) == (1, 3, 0)
    assert result.by_review == {review_id: 3}
    assert shape(thread(journal, review_id)) == [
        ("Zoë", "Loved it — the score too 🎶", True, [("Marc", "Agreed, Zoë!", True, [])]),
        ("Anonymous coward", "Too long.", True, []),
    ]
    node = thread(journal, review_id)[0]
    wp = site.rest("GET", f"wp/v2/comments/{first}")
    import datetime as dt

    expected = dt.datetime.fromisoformat(wp["date_gmt"]).replace(tzinfo=dt.UTC).astimezone()
    assert node.posted_at == expected.replace(tzinfo=None)
    assert unread_count(journal, review_id) == 3

    again = sync(journal, blog)
    assert (again.new, again.known) == (0, 3)
    assert journal.models.Comment.select().count() == 3

    site.reader_comment(post_id, "Zoë", "One more thing.", parent=first)
    mark_read(journal, review_id)
    third = sync(journal, blog)
    assert third.new == 1
    assert [(n.author, n.unread) for n in thread(journal, review_id)[0].replies] == [
        ("Marc", False), ("Zoë", True)]


def test_a_reply_from_the_app_is_posted_as_the_user_and_joins_the_thread(journal, blog,
                                                                          wordpress_site):
    site = wordpress_site
    review_id, post_id = published(journal, blog, "Her, answered")
    question = site.reader_comment(post_id, "Reader", "Did you see it twice?")
    sync(journal, blog)
    local = thread(journal, review_id)[0]
    assert local.can_reply and local.unread

    new_id = reply(journal, local.id, "Twice — and I’d go again <3")
    on_blog = site.rest("GET", f"wp/v2/comments&post={post_id}&per_page=100")
    mine = [c for c in on_blog if c["parent"] == question]
    assert len(mine) == 1 and mine[0]["author"] == 1 and mine[0]["author_name"] == "editor"
    assert mine[0]["status"] == "approved"
    assert "Twice — and I’d go again &lt;3" in mine[0]["content"]["rendered"]
    assert shape(thread(journal, review_id)) == [
        ("Reader", "Did you see it twice?", False,
         [("editor", "Twice — and I’d go again <3", False, [])])]
    assert journal.models.Comment.get_by_id(new_id).remote_id == mine[0]["id"]
    assert sync(journal, blog).new == 0  # the reply is known: never duplicated


def test_round_trip_through_the_blogs_own_export(journal, blog, wordpress_site, tmp_path):
    """publish → the blog's WXR export (export_wp()) → import into a new journal: the same
    review, spoilers and comments; then the imported review updates its own post."""
    site = wordpress_site
    review_id, post_id = published(journal, blog, "Her, round trip")
    first = site.reader_comment(post_id, "Zoë", "Beautiful.\n\nAnd sad.")
    site.reader_comment(post_id, "Marc", "Yes!", parent=first)
    sync(journal, blog)
    reply(journal, thread(journal, review_id)[0].id, "Thank you, Zoë.")
    export = site.export(tmp_path / "blog.xml")

    with Journal.open(tmp_path / "new.eyelights") as new:
        plan, _result = import_files(new, "wxr", [export])
        m = new.models
        (imported,) = [r for r in m.Review.select() if r.source_key.endswith(f":{post_id}")]
        original = journal.reviews.get(review_id)
        assert imported.title == "Her, round trip"
        assert imported.eyesores == original.eyesores
        viewing = m.Viewing.get_by_id(imported.viewing_id)
        assert viewing.watched_on == "2014-01-24"
        assert imported.has_spoilers
        assert "::: spoiler\n\nSamantha leaves, with all the others: “I’m yours and I’m not " \
               "yours.”\n\n:::" in imported.body
        assert "Theodore writes other people’s letters — and falls for the voice in his " \
               "computer. 🎬" in imported.body
        assert shape(thread(new, imported.id)) == [
            ("Zoë", "Beautiful.\n\nAnd sad.", False,
             [("Marc", "Yes!", False, []), ("editor", "Thank you, Zoë.", False, [])])]
        dates = sorted((c.author, c.posted_at) for c in
                       m.Comment.select().where(m.Comment.review == imported.id))
        mine = journal.models.Comment
        assert dates == sorted((c.author, c.posted_at) for c in
                               mine.select().where(mine.review == review_id))

        # the imported review knows its post: publishing it updates that post, after asking
        new_blog = ph.add_blog(new, site, "The same blog")
        assert sync(new, new_blog).new == 0  # the export's comments are those on the blog
        publisher = Publisher(new, new_blog)
        plan = publisher.plan(compose(new, imported.id, new_blog, status="publish"))
        assert plan.draft.post_id == post_id and plan.draft.target == "import"
        assert plan.confirm == ""  # read back exactly (score line, eyelights): the same post
        new.reviews.update(imported.id, body=imported.body + "\n\nAdded after the import.")
        plan = publisher.plan(compose(new, imported.id, new_blog, status="publish"))
        assert "never published from Eyelights" in plan.confirm
        with pytest.raises(PublishConflict):
            publisher.publish(plan)
        assert publisher.publish(plan, overwrite=True).post_id == post_id


def test_round_trip_keeps_the_score_line_and_eyelights(journal, blog, wordpress_site, tmp_path):
    site = wordpress_site
    review_id, post_id = published(journal, blog, "Her, scored")
    export = site.export(tmp_path / "blog.xml")
    with Journal.open(tmp_path / "new.eyelights") as new:
        import_files(new, "wxr", [export])
        m = new.models
        (imported,) = [r for r in m.Review.select() if r.source_key.endswith(f":{post_id}")]
        assert imported.eyelights == journal.reviews.get(review_id).eyelights
        assert imported.score == Decimal("8.5")
        assert "Her, scored 8.5" not in imported.body
