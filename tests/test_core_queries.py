"""The core's query functions the window shows (the UI runs no SQL of its own): the Diary's
tree, the film page's credits and backlinks, the film pickers, the preview's link resolver,
and a worker's connection released when its work ends."""

from __future__ import annotations

import threading

from journal.core import diary_query
from journal.core.film_titles import CatalogueResolver, films_matching


def _diary(journal):
    her = journal.films.create("Her", 2013)
    alien = journal.films.create("Alien", 1979)
    gone = journal.films.create("Gone", 2000)
    ids = {
        "day": journal.viewings.log(her.id, "2024-03-05").id,
        "again": journal.viewings.log(her.id, "2024-03-20").id,
        "month": journal.viewings.log(alien.id, "2024-03").id,
        "january": journal.viewings.log(alien.id, "2024-01-10").id,
        "year": journal.viewings.log(alien.id, "2024").id,
        "old": journal.viewings.log(alien.id, "2019-12-31", medium="cinema",
                                    venue="Prince Charles Cinema").id,
        "undated": journal.viewings.log(her.id, None).id,
        "trashed": journal.viewings.log(gone.id, "2024-03-06").id,
    }
    journal.reviews.create(her.id, "ok", viewing_id=ids["again"], score="8.5")
    journal.films.delete(gone.id, with_reviews=True)
    return ids


def test_diary_years_months_and_rows(journal):
    ids = _diary(journal)
    assert diary_query.years(journal) == [("2024", 5), ("2019", 1), (None, 1)]
    assert diary_query.months(journal, "2024") == [("03", 3), ("01", 1), (None, 1)]
    assert diary_query.months(journal, "2019") == [("12", 1)]
    march = diary_query.rows_in_month(journal, "2024-03")
    assert [r.id for r in march] == [ids["again"], ids["day"], ids["month"]]  # newest first
    again = march[0]
    assert (again.film_title, again.film_year, str(again.score), again.rewatch) == (
        "Her", 2013, "8.5", True)   # the undated "seen it" viewing of Her came first
    assert march[2].rewatch         # Alien's month-only viewing: 2019 and "2024" came first
    assert [r.id for r in diary_query.rows_on(journal, "2024")] == [ids["year"]]
    assert [r.id for r in diary_query.rows_on(journal, "2024-03-05")] == [ids["day"]]
    assert [r.id for r in diary_query.rows_undated(journal)] == [ids["undated"]]
    december = diary_query.rows_in_month(journal, "2019-12")
    alien = journal.viewings.get(ids["old"]).film_id
    assert december == [diary_query.DiaryRow(ids["old"], alien, "Alien", 1979, "2019-12-31",
                                             "cinema", "Prince Charles Cinema", False, None)]
    assert diary_query.month_range("2019-12") == ("2019-12", "2020-01")


def test_film_page_credits_and_backlinks(journal):
    stalker = journal.films.create("Stalker", 1979, directors=["Andrei Tarkovsky"])
    journal.people.add_credit(stalker.id, "Alisa Freindlich", "cast", character="Wife")
    gone = journal.people.add_credit(stalker.id, "Nobody", "cast", order=2)
    journal.people.delete(gone.person_id)
    solaris = journal.films.create("Solaris", 1972)
    titled = journal.reviews.create(solaris.id, "Like [[Stalker]], slow.", title="Slow cinema")
    untitled = journal.reviews.create(solaris.id, "Again [[Stalker (1979)]] and [[Stalker]].")
    trashed = journal.reviews.create(solaris.id, "[[Stalker]]")
    journal.reviews.delete(trashed.id)
    assert [(c.role, c.person.name, c.character) for c in journal.films.credits(stalker.id)] == [
        ("cast", "Alisa Freindlich", "Wife"), ("director", "Andrei Tarkovsky", None)]
    assert journal.films.mentioned_in(stalker.id) == [
        (titled.id, "Slow cinema"), (untitled.id, "Review of Solaris")]
    assert journal.films.mentioned_in(solaris.id) == []
    assert journal.films.poster(None) is None and journal.films.poster(stalker.id) is None


def test_film_pickers_and_the_preview_resolver(journal):
    journal.films.create("Zorro", 1998)
    old = journal.films.create("Amélie", 1950)
    new = journal.films.create("Amelie", 2001, allow_duplicate=True)
    gone = journal.films.create("Alien", 1979)
    journal.films.delete(gone.id)
    assert [c[1:] for c in films_matching(journal, "")] == [
        ("Amélie", 1950), ("Amelie", 2001), ("Zorro", 1998)]
    assert [f.title for f in journal.films.title_matches("AMEL")] == ["Amélie", "Amelie"]
    assert [f.title for f in journal.films.by_title_order()] == ["Amelie", "Amélie", "Zorro"]
    resolve = CatalogueResolver(journal)
    assert resolve("amelie", None).id == new.id       # the latest year first
    assert resolve("Amélie", 1950).id == old.id
    assert resolve("Alien", None) is None              # in the Trash
    journal.films.create("Alien", 1986)
    assert resolve("Alien", None) is None              # a snapshot, until reloaded
    resolve.reload(journal)
    assert resolve("Alien", None).year == 1986


def test_the_film_pickers_query_reads_a_few_films_for_what_is_typed(journal):
    """What the review form's picker offers as the user types: folded (case, accents), titles
    starting with the text first, "Title (Year)" for that year, never more than the limit."""
    ids = {}
    for title, year in [("Sherlock Jr.", 1924), ("Her", 2013), ("The Others", 2001),
                        ("Hereafter", 2010), ("Amélie", 2001), ("Her", 1999)]:
        ids[title, year] = journal.films.create(title, year, allow_duplicate=True).id
    journal.films.delete(journal.films.create("Her Trashed", 2000).id)

    def titles(text: str, limit: int = 50) -> list[tuple[str, int | None]]:
        return [(t, y) for _id, t, y in films_matching(journal, text, limit)]

    assert titles("HER") == [("Her", 2013), ("Her", 1999), ("Hereafter", 2010),
                             ("Sherlock Jr.", 1924), ("The Others", 2001)]
    assert titles("her", limit=3) == [("Her", 2013), ("Her", 1999), ("Hereafter", 2010)]
    assert titles("her", limit=4) == [("Her", 2013), ("Her", 1999), ("Hereafter", 2010),
                                      ("Sherlock Jr.", 1924)]
    assert titles("Her (1999)") == [("Her", 1999)]
    assert titles("  ther ") == [("The Others", 2001)]
    assert titles("AMÉL") == titles("amel") == titles("élie") == [("Amélie", 2001)]
    assert titles("sherlock jr") == [("Sherlock Jr.", 1924)]  # punctuation folded as stored
    assert titles("nothing like it") == [] and "Her Trashed" not in dict(titles(""))
    assert films_matching(journal, "Her (2013)")[0][0] == ids["Her", 2013]
    with journal.write():
        for n in range(120):
            journal.films.create(f"Padding {n:03}", 1950)
    assert [t for t, _y in titles("padding")] == [f"Padding {n:03}" for n in range(50)]
    assert len(titles("")) == 50 and len(titles("a", limit=7)) == 7


def test_a_worker_releases_its_connection_when_its_work_ends(journal):
    db = journal.store.db
    states = {}

    def work():
        journal.films.count()
        states["open while working"] = not db.is_closed()
        with journal.write():
            journal.release_thread_connection()  # inside a transaction: kept
            states["kept in a transaction"] = not db.is_closed()
        journal.release_thread_connection()
        states["closed after"] = db.is_closed()

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert states == {"open while working": True, "kept in a transaction": True,
                      "closed after": True}
    journal.release_thread_connection()  # the main thread keeps its own
    assert not db.is_closed() and journal.films.count() == 0


def test_quick_open_labels_films_with_and_without_a_year(journal):
    from journal.core.search.quick import quick_open

    journal.films.create("Heathers", None)
    journal.films.create("Heat", 1995)
    labels = sorted(item.label for item in quick_open(journal, "hea") if item.kind == "film")
    assert labels == ["Heat (1995)", "Heathers"]
