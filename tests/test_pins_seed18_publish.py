"""Publishing against the replayed WordPress REST API (tests/wp_replay.py): behaviour the seed-18
mutation sample of the core found untested (docs/testing.md, "Mutation testing"). Each test
failed with its mutant switched on."""

from __future__ import annotations

import publish_helpers as ph  # tests/ is on sys.path (conftest.py)
import pytest
from wp_replay import ReplayedWordPress

from journal.core.publish import Publisher, PublishError, compose
from journal.errors import DiskFull


@pytest.fixture
def site():
    replayed = ReplayedWordPress()
    yield replayed
    replayed.close()


@pytest.fixture
def blog(journal, site, memory_keyring):
    return ph.add_blog(journal, site)


class Steps:
    cancelled = False

    def __init__(self) -> None:
        self.said: list[str] = []

    def progress(self, done, total, message):
        self.said.append(message)


def test_a_published_poster_is_remembered_and_its_size_said(journal, blog, site):
    review_id = ph.write_review(journal, "Her", poster=ph.png())
    steps = Steps()
    publisher = Publisher(journal, blog)
    result = publisher.publish(publisher.plan(compose(journal, review_id, blog)), token=steps)
    assert "Uploading the poster (1 KB)…" in steps.said  # under 1 KB: said as 1, never 0
    media_id = site.posts[result.post_id]["featured_media"]
    kept = [(m.blog_id, m.media_id, m.url) for m in journal.models.BlogMedia.select()]
    assert kept == [(blog.id, media_id, site.media[media_id]["source_url"])]


def test_an_update_put_back_keeps_its_tags_and_categories(journal, blog, site):
    review_id = ph.write_review(journal, "Her")
    post_id = Publisher(journal, blog).publish(Publisher(journal, blog).plan(
        compose(journal, review_id, blog, status="publish"))).post_id
    before = {k: site.posts[post_id][k] for k in ("tags", "categories", "featured_media")}
    assert before["tags"]  # the two tags of the review
    journal.reviews.update(review_id, eyelights="Joaquin Phoenix, above all.")
    site.fail("POST", f"wp/v2/posts/{post_id}", after=True)
    publisher = Publisher(journal, blog)
    with pytest.raises(PublishError):
        publisher.publish(publisher.plan(compose(journal, review_id, blog)))
    assert {k: site.posts[post_id][k] for k in before} == before


def test_a_poster_whose_details_fail_is_deleted_from_the_media_library(journal, blog, site):
    review_id = ph.write_review(journal, "Her", poster=ph.png())
    site.fail("POST", r"wp/v2/media/\d+")  # the upload works; its alt text is refused
    publisher = Publisher(journal, blog)
    with pytest.raises(PublishError) as failed:
        publisher.publish(publisher.plan(compose(journal, review_id, blog)))
    assert failed.value.message.startswith("My film blog answered HTTP 500 to POST "
                                           "/wp-json/wp/v2/media/")
    assert site.media == {} and site.posts == {}


@pytest.mark.expect_log(r"the journal could not record the publish of review \d+; undoing it "
                        r"on the blog")
def test_a_new_post_the_journal_cannot_record_is_deleted_not_put_back(journal, blog, site,
                                                                     monkeypatch):
    review_id = ph.write_review(journal, "Her")
    publisher = Publisher(journal, blog)
    plan = publisher.plan(compose(journal, review_id, blog))

    def disk_full(*_args):
        raise DiskFull("The disk holding the journal is full.")

    monkeypatch.setattr(Publisher, "_record", disk_full)
    with pytest.raises(DiskFull) as failed:
        publisher.publish(plan)
    assert failed.value.message == ("The disk holding the journal is full. What this publish "
                                    "had done on My film blog was taken back.")
    assert site.posts == {}
    created = [r for r in site.requests if (r.method, r.route) == ("POST", "wp/v2/posts")]
    assert len(created) == 1
    # after the post was made, nothing is sent to it but its deletion
    after = site.requests[site.requests.index(created[0]) + 1:]
    assert [(r.method, r.route.split("/")[2]) for r in after if "posts" in r.route] == [
        ("DELETE", "posts")]
