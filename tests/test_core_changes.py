"""Typed change sets (journal.core.events): what each write says it changed, merged in batches.

The pages follow the journal through these values (docs/architecture.md, "Typed changes"):
a service that forgot a kind, or a batch that never delivered, leaves a window showing the past.
"""

from __future__ import annotations

import threading

import pytest

from journal.core.events import EVERY, NONE, ChangeEvents, Changes, Rows
from journal.core.importers.run import import_files


@pytest.fixture
def heard(journal):
    """Every Changes the journal sends, in order."""
    got: list[Changes] = []
    journal.events.subscribe(got.append)
    yield got
    journal.events.unsubscribe(got.append)


def touched(changes: Changes) -> dict[str, object]:
    """{kind: ids or "every"} of the kinds touched."""
    out: dict[str, object] = {}
    for kind in Changes.KINDS:
        value: Rows = getattr(changes, kind)
        if value:
            out[kind] = "every" if value.every else set(value.ids)
    return out


# ---------------------------------------------------------------------- the values
def test_rows_merge_ids_and_every_absorbs():
    assert not NONE and EVERY and Rows(frozenset({1}))
    assert Rows(frozenset({1})) | Rows(frozenset({2})) == Rows(frozenset({1, 2}))
    assert Rows(frozenset({1})) | NONE == Rows(frozenset({1}))
    assert NONE | Rows(frozenset({3})) == Rows(frozenset({3}))
    assert Rows(frozenset({1})) | EVERY == EVERY and EVERY | NONE == EVERY
    assert NONE | NONE == NONE and not (NONE | NONE)


def test_changes_of_ids_every_and_untouched():
    c = Changes.of(films=[3, 4], trash=True, reviews=[], people=False)
    assert touched(c) == {"films": {3, 4}, "trash": "every"}
    assert not c.reviews and not c.people and not c.journal
    assert not Changes() and Changes.of(tags=True)
    with pytest.raises(TypeError, match="'film'"):
        Changes.of(film=[1])  # type: ignore[call-arg]
    with pytest.raises(AttributeError):
        Changes().film  # noqa: B018 - a misspelt kind fails loudly


def test_changes_merge_kind_by_kind():
    merged = Changes.of(reviews=[1]) | Changes.of(reviews=[2], films=[9]) | Changes.of(trash=True)
    assert touched(merged) == {"reviews": {1, 2}, "films": {9}, "trash": "every"}
    assert (Changes() | Changes.everything()).journal


def test_everything_touches_every_kind():
    every = Changes.everything()
    assert every.journal and all(getattr(every, k) == EVERY for k in Changes.KINDS)


def test_emit_takes_only_changes_and_skips_empty_ones():
    events, got = ChangeEvents(), []
    events.subscribe(got.append)
    with pytest.raises(TypeError):
        events.emit("review")  # type: ignore[arg-type]
    events.emit(Changes())
    assert got == []
    events.emit(Changes.of(reviews=[1]))
    events.unsubscribe(got.append)
    events.emit(Changes.of(reviews=[2]))
    assert got == [Changes.of(reviews=[1])]


def test_a_failing_listener_does_not_stop_the_others(caplog, expect_log):
    expect_log("change listener failed")
    events, got = ChangeEvents(), []

    def broken(_changes: Changes) -> None:
        raise RuntimeError("listener bug")

    events.subscribe(broken)
    events.subscribe(got.append)
    events.emit(Changes.of(films=[1]))
    assert got == [Changes.of(films=[1])]
    assert "change listener failed" in caplog.text


# ---------------------------------------------------------------------- batches
def test_a_batch_sends_its_changes_once_merged_at_the_end():
    events, got = ChangeEvents(), []
    events.subscribe(got.append)
    with events.batch():
        events.emit(Changes.of(reviews=[1]))
        with events.batch():  # nested: still held
            events.emit(Changes.of(reviews=[2], tags=True))
        assert got == []
        events.emit(Changes.of(films=[5]))
        assert got == []
    assert got == [Changes.of(reviews=[1, 2], tags=True, films=[5])]
    events.emit(Changes.of(films=[6]))  # after the batch: at once again
    assert got[-1] == Changes.of(films=[6]) and len(got) == 2


def test_a_batch_that_fails_still_says_what_it_held():
    events, got = ChangeEvents(), []
    events.subscribe(got.append)
    with pytest.raises(ValueError), events.batch():
        events.emit(Changes.of(viewings=[4]))
        raise ValueError("boom")
    assert got == [Changes.of(viewings=[4])]


def test_an_empty_batch_sends_nothing():
    events, got = ChangeEvents(), []
    events.subscribe(got.append)
    with events.batch():
        pass
    assert got == []


def test_changes_emitted_on_other_threads_during_a_batch_join_it():
    events, got = ChangeEvents(), []
    events.subscribe(got.append)
    with events.batch():
        worker = threading.Thread(target=events.emit, args=(Changes.of(people=[8]),))
        worker.start()
        worker.join()
        assert got == []
    assert got == [Changes.of(people=[8])]


# ---------------------------------------------------------------------- what services say
def test_each_write_says_what_it_changed(journal, heard):
    j = journal
    film = j.films.create("Her", 2013)
    assert touched(heard[-1]) == {"films": {film.id}}
    person = j.people.add_credit(film.id, "Spike Jonze", "director")
    assert touched(heard[-1]) == {"films": {film.id}}
    viewing = j.viewings.log(film.id, "2014-01-24")
    assert touched(heard[-1]) == {"viewings": {viewing.id}}
    review = j.reviews.create(film.id, "Body", tags=["romance"])
    assert touched(heard[-2]) == {"tags": "every"} and touched(heard[-1]) == {
        "reviews": {review.id}}
    j.reviews.update(review.id, body="Body, longer")
    assert touched(heard[-1]) == {"reviews": {review.id}}
    comment = j.reviews.add_comment(review.id, "Lovely")
    assert touched(heard[-1]) == {"comments": {comment.id}}
    entry = j.watchlist.add(film.id)
    assert touched(heard[-1]) == {"watchlist": {entry.id}}
    j.watchlist.remove(entry.id)
    assert touched(heard[-1]) == {"watchlist": {entry.id}}
    group = j.reviews.delete(review.id)
    assert touched(heard[-1]) == {"reviews": {review.id}, "trash": "every"}
    j.trash.restore(group)
    assert touched(heard[-1]) == {k: "every" for k in (
        "films", "people", "viewings", "reviews", "comments", "trash")}
    j.viewings.delete(viewing.id)
    assert touched(heard[-1]) == {"viewings": {viewing.id}, "trash": "every"}
    j.trash.empty()
    assert touched(heard[-1]) == {"trash": "every"}
    del person


def test_film_merge_and_delete_say_every_kind_they_move(journal, heard):
    j = journal
    keep = j.films.create("Alien", 1979)
    other = j.films.create("Alien", 1979, allow_duplicate=True)
    j.films.merge(keep.id, other.id)
    assert touched(heard[-1]) == {"films": {keep.id, other.id}, "viewings": "every",
                                  "reviews": "every"}
    j.films.delete(keep.id)
    assert touched(heard[-1]) == {"films": {keep.id}, "trash": "every"}


def test_an_import_is_heard_once_with_every_row_it_wrote(journal, heard, tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    for n, title in enumerate(("Her (2013)", "Drive (2011)")):
        (folder / f"{n}.md").write_text(
            f"---\ntitle: {title}\nwatched_on: 2020-02-0{n + 1}\ntags: [night]\n---\nBody.\n",
            encoding="utf-8")
    import_files(journal, "markdown", [folder])
    assert len(heard) == 1  # one batch: pages reload once, not once a row
    (changes,) = heard
    m = journal.models
    assert set(changes.reviews.ids) == {r.id for r in m.Review.select()}
    assert set(changes.films.ids) == {f.id for f in m.Film.select()}
    assert set(changes.viewings.ids) == {v.id for v in m.Viewing.select()}
    assert changes.tags and not changes.trash and not changes.watchlist
