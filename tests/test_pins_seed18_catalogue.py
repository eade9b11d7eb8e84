"""The watchlist and an import's film matching: behaviour the seed-18 mutation sample of the
core found untested (docs/testing.md, "Mutation testing"). Each test failed with its mutant
switched on."""

from __future__ import annotations

from journal.core.importers.matching import CatalogueView
from journal.core.importers.plan import ImportPlan


def test_adding_a_film_again_to_the_watchlist_changes_only_its_entry(journal):
    her = journal.films.create("Her", 2013).id
    alien = journal.films.create("Alien", 1979).id
    journal.watchlist.add(her, note="Spike Jonze", recommended_by="Ann", priority=1)
    journal.watchlist.add(alien, note="Ridley Scott", recommended_by="Bob", priority=2)
    again = journal.watchlist.add(her, note="Joaquin Phoenix", priority=3)
    assert (again.note, again.recommended_by, again.priority) == ("Joaquin Phoenix", "Ann", 3)
    m = journal.models
    assert [(e.film_id, e.note, e.recommended_by, e.priority)
            for e in m.WatchlistEntry.select().order_by(m.WatchlistEntry.id)] == [
        (her, "Joaquin Phoenix", "Ann", 3), (alien, "Ridley Scott", "Bob", 2)]


def test_a_letterboxd_uri_learnt_later_still_names_the_same_film(journal):
    view = CatalogueView(journal, ImportPlan(source="letterboxd", paths=[]), "letterboxd:")
    first = view.film("Alien", 1979)  # a file without URIs (the diary's export rows)
    named = view.film("Alien", 1979, letterboxd_uri="https://boxd.it/2bhA")
    # a watchlist title without its year: known by its URI alone
    later = view.film("Alien", None, letterboxd_uri="https://boxd.it/2bhA", strict_year=True)
    assert first is named is later
    assert later.letterboxd_uri == "https://boxd.it/2bhA"


def test_a_film_matched_by_its_id_under_another_title_is_said_in_the_preview(journal):
    her = journal.films.create("Her", 2013, tmdb_id="152601").id
    plan = ImportPlan(source="letterboxd", paths=[])
    spec = CatalogueView(journal, plan, "letterboxd:").film("Elle", 2013, tmdb_id="152601")
    assert spec.existing_id == her
    assert plan.matched.lines == [f"film “Elle” is “Her” (2013) #{her} (by TMDb id)"]
