"""Kept pages (``journal/core/render_cache.py``, schema version 10): a review's last rendering
is found only while it is the page of the review as the journal holds it now — any edit (in the
app, outside it, an import, a restore, a merge), another theme, another renderer or a new film a
link now names makes it a miss, never stale HTML. Real journals, the real renderer."""

from __future__ import annotations

import sqlite3

import pytest

from journal.core import render_cache
from journal.core.film_titles import link_resolver
from journal.core.first_look import first_look
from journal.core.journal import Journal
from journal.core.render import RenderOptions, render_review

BODY = ("> “An opening quote.”\n\nShe is *everything* — [[Her (2013)]], not [[Lost Film]].\n\n"
        "*MAJOR spoiler alert*\n\nThe end.\n\n*MAJOR spoiler alert*\n\nDate of viewing: "
        "January 24, 2014\n")


def _keep(journal: Journal, review_id: int, theme: str = "light") -> str:
    """Render the review as stored and keep it, as the editor's save does."""
    doc = render_cache.stored_document(journal.store.db.execute_sql, review_id)
    options = RenderOptions(theme=theme)  # type: ignore[arg-type]
    result = render_review(doc, options, resolve=link_resolver(journal))
    key = render_cache.keep(journal, review_id, doc, options, result)
    assert key is not None
    return result.html


def _found(path, review_id: int, theme: str = "light"):
    """What a launch's first look finds (plain sqlite3, read-only)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return render_cache.find(db.execute, review_id, theme)


@pytest.fixture
def her(journal):
    film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
    viewing = journal.viewings.log(film.id, "2014-01-24")
    review = journal.reviews.create(film.id, BODY, title="Her 8.5", score="8.5",
                                    eyelights="Joaquin", eyesores="none", tags=["romance", "SF"],
                                    viewing_id=viewing.id, status="published")
    return journal, film, review


def test_a_kept_page_is_found_for_the_review_as_stored(her, journal_path):
    journal, _film, review = her
    html = _keep(journal, review.id)
    page = _found(journal_path, review.id)
    assert page is not None and page.result.html == html
    assert "Spike Jonze" in html and "8.5/10" in html and "24 January 2014" in html
    assert page.result.has_spoilers and page.result.line_map  # what the preview needs too
    assert [ref is not None for _t, _y, ref in page.result.film_links] == [True, False]
    assert page.doc.tags == ["romance", "SF"]
    # the first look of a launch naming it finds it; another review, or none named: nothing
    look = first_look(journal_path, read_only=True, review_id=review.id, theme="light")
    assert look is not None and look.page is not None and look.page.result.html == html
    assert first_look(journal_path, read_only=True).page is None


def test_the_first_look_reads_no_rows_for_a_list_hidden_behind_the_page(her, journal_path):
    """The list is behind the launch's review page until the journal is open and its own model
    takes over: its rows are not read (nor laid out) for nothing; the counts still are."""
    journal, _film, review = her
    _keep(journal, review.id)
    behind = first_look(journal_path, read_only=True, review_id=review.id, theme="light")
    assert behind is not None and behind.page is not None
    assert behind.rows == [] and (behind.films, behind.reviews) == (1, 1)
    plain = first_look(journal_path, read_only=True)
    assert [row.id for row in plain.rows] == [review.id]
    # a miss rendered at once stands in front of the list too
    with sqlite3.connect(journal_path) as db:
        db.execute("DELETE FROM review_render")
    missed = first_look(journal_path, read_only=True, review_id=review.id, theme="light")
    assert missed.page is not None and not missed.page.kept and missed.rows == []


@pytest.mark.parametrize("change", [
    "body", "title", "score", "eyelights", "tags", "status", "viewing", "film title",
    "director", "film of the review", "merge", "new film for a link", "link resolves elsewhere",
    "film deleted",
    "outside the app", "revision restored", "restored from the trash"])
def test_any_change_to_what_the_page_shows_makes_it_a_miss(her, journal_path, change):
    journal, film, review = her
    _keep(journal, review.id)
    assert _found(journal_path, review.id) is not None
    other = journal.films.create("Her", 1999)  # a second "Her": links need their year
    if change == "body":
        journal.reviews.update(review.id, body=BODY + "\nOne more line.")
    elif change == "title":
        journal.reviews.update(review.id, title="Her 9")
    elif change == "score":
        journal.reviews.update(review.id, score="9")
    elif change == "eyelights":
        journal.reviews.update(review.id, eyelights="Scarlett")
    elif change == "tags":
        journal.reviews.update(review.id, tags=["romance"])
    elif change == "status":
        journal.reviews.update(review.id, status="draft")
    elif change == "viewing":
        journal.viewings.update(review.viewing_id, watched_on="2014-02-01")
    elif change == "film title":
        journal.films.update(film.id, title="Her (director's cut)")
    elif change == "director":
        journal.people.add_credit(film.id, "Someone Else", "director")
    elif change == "film of the review":
        journal.reviews.update(review.id, film_id=other.id)
    elif change == "merge":
        journal.films.merge(other.id, film.id)  # the review now belongs to the 1999 film
    elif change == "new film for a link":
        journal.films.create("Lost Film", 1950)  # [[Lost Film]] resolves now
    elif change == "link resolves elsewhere":
        journal.reviews.update(review.id, body=BODY.replace("Her (2013)", "Her"))
        _keep(journal, review.id)  # [[Her]]: the latest "Her", 2013's
        assert _found(journal_path, review.id) is not None
        journal.films.update(other.id, year=2020)  # now the latest "Her"
    elif change == "film deleted":
        lost = journal.films.create("Lost Film", 1950)
        _keep(journal, review.id)
        assert _found(journal_path, review.id) is not None
        journal.films.delete(lost.id)  # [[Lost Film]] names no film any more
    elif change == "outside the app":
        with sqlite3.connect(journal_path) as db:
            db.execute("UPDATE review SET body = body || 'x' WHERE id = ?", (review.id,))
    elif change == "revision restored":
        journal.reviews.snapshot(review.id, "test")
        journal.reviews.update(review.id, body="Another text.")
        _keep(journal, review.id)
        assert _found(journal_path, review.id) is not None
        revision = journal.reviews.revisions(review.id)[-1]
        journal.reviews.restore_revision(revision.id)
    elif change == "restored from the trash":
        group = journal.reviews.delete(review.id)
        assert _found(journal_path, review.id) is None  # in the Trash: no page
        journal.trash.restore(group)
        assert _found(journal_path, review.id) is not None  # back, unchanged: its page again
        journal.reviews.update(review.id, eyesores="the ending")
    assert _found(journal_path, review.id) is None


def test_another_theme_or_renderer_is_a_miss(her, journal_path, monkeypatch):
    journal, _film, review = her
    _keep(journal, review.id, theme="light")
    assert _found(journal_path, review.id, "light") is not None
    assert _found(journal_path, review.id, "dark") is None
    monkeypatch.setattr(render_cache, "renderer_version", lambda: "a renderer changed since")
    assert _found(journal_path, review.id, "light") is None


def test_the_renderer_version_follows_the_render_package_and_stylesheets():
    version = render_cache.renderer_version()
    assert len(version) == 64 and version == render_cache.renderer_version()
    render_cache.renderer_version.cache_clear()
    try:
        from unittest import mock

        with mock.patch.object(render_cache, "FORMAT", render_cache.FORMAT + 1):
            assert render_cache.renderer_version() != version
    finally:
        render_cache.renderer_version.cache_clear()
    assert render_cache.renderer_version() == version


def test_only_the_page_a_review_opens_on_is_kept(her):
    journal, _film, review = her
    doc = render_cache.stored_document(journal.store.db.execute_sql, review.id)
    for options in (RenderOptions(spoilers="fold"), RenderOptions(revealed=frozenset({1})),
                    RenderOptions(standalone=False), RenderOptions(include_comments=True)):
        result = render_review(doc, options)
        assert render_cache.keep(journal, review.id, doc, options, result) is None
    assert render_cache.kept_key(journal, review.id) is None


def test_deleting_a_review_for_good_deletes_its_page_and_old_pages_are_pruned(
        journal, monkeypatch):
    film = journal.films.create("Stalker", 1979)
    reviews = [journal.reviews.create(film.id, f"Zone {n}") for n in range(3)]
    monkeypatch.setattr(render_cache, "KEEP", 2)
    for review in reviews:
        _keep(journal, review.id)
    kept = [r.id for r in reviews if render_cache.kept_key(journal, r.id)]
    assert kept == [reviews[1].id, reviews[2].id]  # the oldest row went
    journal.reviews.delete(reviews[2].id)
    assert render_cache.kept_key(journal, reviews[2].id) is not None  # the Trash keeps it
    journal.trash.empty()
    assert render_cache.kept_key(journal, reviews[2].id) is None  # foreign key cascade
    assert render_cache.kept_key(journal, reviews[1].id) is not None


def test_full_backups_leave_kept_pages_out(her, tmp_path):
    from journal.core.export import fullbackup

    journal, _film, review = her
    _keep(journal, review.id)
    target = tmp_path / "backup.zip"
    fullbackup.dump(journal, target)
    restored_path = tmp_path / "restored.eyelights"
    with Journal.open(restored_path) as restored:
        fullbackup.restore(restored, target)
        assert restored.reviews.get(review.id).body == BODY
        count = restored.store.db.execute_sql("SELECT count(*) FROM review_render").fetchone()
        assert count[0] == 0  # derived data: filled again as reviews are opened
    import zipfile

    with zipfile.ZipFile(target) as archive:
        assert not any("review_render" in archive.read(n).decode("utf-8", "replace")
                       for n in archive.namelist() if n.endswith(".json"))


def test_a_schema_9_journal_migrates_to_kept_pages(journal_path):
    """A real schema-9 file (as version 9 wrote it: no ``review_render``) opens, is backed
    up, gains the table, and its reviews' pages are kept from then on."""
    from journal.store import backup as backups
    from journal.store.migrations import CURRENT_VERSION

    with Journal.open(journal_path) as journal:
        film = journal.films.create("Her", 2013)
        review = journal.reviews.create(film.id, BODY)
    with sqlite3.connect(journal_path) as db:  # back to version 9
        db.execute("DROP TABLE review_render")
        db.execute("PRAGMA user_version = 9")
    assert first_look(journal_path, read_only=True) is None  # to migrate: the full way
    with Journal.open(journal_path) as journal:
        assert journal.store.migrated_from == 9
        assert journal.store.schema_version() == CURRENT_VERSION == 10
        assert journal.reviews.get(review.id).body == BODY
        html = _keep(journal, review.id)
    assert [b.reason for b in backups.list_backups(journal_path)] == ["pre-migration-v9"]
    page = _found(journal_path, review.id)
    assert page is not None and page.result.html == html


@pytest.mark.parametrize("damage", ["html", "meta", "links"])
def test_a_damaged_kept_page_is_a_miss_not_an_error(her, journal_path, damage):
    journal, _film, review = her
    _keep(journal, review.id)
    value = {"html": b"not zlib", "meta": "{", "links": "[[1, 2, 3]]"}[damage]
    with sqlite3.connect(journal_path) as db:
        db.execute(f"UPDATE review_render SET {damage} = ?", (value,))
    assert _found(journal_path, review.id) is None
    look = first_look(journal_path, read_only=True, review_id=review.id, theme="light")
    # a miss: the review rendered at once, as without a row
    assert look is not None and look.page is not None and not look.page.kept
    assert look.page.result.html == render_review(
        look.page.doc, RenderOptions(), resolve=link_resolver(journal)).html


def test_a_miss_is_rendered_at_once_as_the_renderer_renders_it(her, journal_path):
    """No kept page: the first look renders the review with the one renderer, the preview's
    options and its links resolved by the one rule — the page ``keep`` would keep."""
    journal, film, review = her
    journal.films.create("Her", 1999)  # [[Her (2013)]] must pick by its year
    look = first_look(journal_path, read_only=True, review_id=review.id, theme="dark")
    assert look is not None and look.page is not None and not look.page.kept
    page = look.page
    doc = render_cache.stored_document(journal.store.db.execute_sql, review.id)
    expected = render_review(doc, RenderOptions(theme="dark"), resolve=link_resolver(journal))
    assert page.doc == doc and page.result.html == expected.html
    assert page.result.film_links == expected.film_links
    assert [ref.id if ref else None for _t, _y, ref in page.result.film_links] == [film.id, None]
    assert page.result.line_map == expected.line_map and page.result.has_spoilers
    assert "Spike Jonze" in page.result.html and "Joaquin" in page.result.html
    # its key is the one its keeping writes, so a later launch finds it kept
    key = render_cache.keep(journal, review.id, doc, RenderOptions(theme="dark"),
                            page.result)
    assert key == page.key
    found = _found(journal_path, review.id, "dark")
    assert found is not None and found.kept and found.result.html == page.result.html


def test_a_page_rendered_at_once_is_checked_again_before_the_editor_uses_it(her):
    journal, _film, review = her
    execute = journal.store.db.execute_sql
    page = render_cache.render_now(execute, review.id, "light")
    assert page is not None
    doc = render_cache.stored_document(execute, review.id)
    current = render_cache.still_current(execute, page, "light", doc)
    assert current is not None and current.result.html == page.result.html
    assert render_cache.still_current(execute, page, "dark", doc) is None
    journal.films.create("Lost Film", 1950)  # [[Lost Film]] names a film now
    assert render_cache.still_current(execute, page, "light", doc) is None
    page = render_cache.render_now(execute, review.id, "light")
    journal.reviews.update(review.id, body=BODY + "\nTyped meanwhile.")
    changed = render_cache.stored_document(execute, review.id)
    assert render_cache.still_current(execute, page, "light", changed) is None


def test_a_page_rendered_at_once_asks_for_each_link_once(journal):
    """The renderer asks for each link twice (its block cache's key, then the link): the first
    look's render looks each one up once."""
    for title in ("Her", "Alien", "Brazil"):
        journal.films.create(title, 1990)
    body = "[[Her]] and [[Alien (1990)]], then [[Brazil]], [[Her]] again, [[Nowhere]].\n\n" * 3
    review = journal.reviews.create(journal.films.create("Solaris", 1972).id, body)
    asked: list[tuple[object, ...]] = []

    def execute(sql: str, params: tuple[object, ...] = ()) -> object:
        if "title_folded = ?" in sql:
            asked.append(tuple(params))
        return journal.store.db.execute_sql(sql, params)

    page = render_cache.render_now(execute, review.id, "light")
    assert page is not None and len(page.result.film_links) == 15
    assert sorted(asked) == [("alien",), ("brazil",), ("her",), ("nowhere",)]


def test_only_a_review_shorter_than_the_bound_is_rendered_at_once(journal, journal_path):
    film = journal.films.create("Stalker", 1979)
    paragraph = "The Zone is a room that grants wishes. " * 20 + "\n\n"
    long_body = paragraph * (render_cache.RENDER_AT_ONCE // len(paragraph) + 1)
    short = journal.reviews.create(film.id, long_body[:render_cache.RENDER_AT_ONCE - 1])
    long = journal.reviews.create(film.id, long_body)
    execute = journal.store.db.execute_sql
    assert render_cache.render_now(execute, short.id, "light") is not None
    assert render_cache.render_now(execute, long.id, "light") is None
    assert render_cache.render_now(execute, 999, "light") is None  # no such review
    look = first_look(journal_path, read_only=True, review_id=long.id, theme="light")
    assert look is not None and look.page is None  # the preview renders it, as before
