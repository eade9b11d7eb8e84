"""Importer and restore behaviour that the seed-17 mutation sample of the core found untested
(docs/testing.md, "Mutation testing"). Each test failed with its mutant switched on."""

from __future__ import annotations

from decimal import Decimal

import pytest

from journal.core.importers.frontmatter import read_fields
from journal.core.importers.letterboxd import load_letterboxd
from journal.core.importers.letterboxd_merge import merge_letterboxd
from journal.core.importers.restore import plan_restore
from journal.core.importers.wp_html import html_to_markdown
from journal.errors import ValidationError


@pytest.mark.parametrize("year", ["2013", "2013-05", "2013-05-01"])
def test_a_front_matter_year_may_be_a_month_or_a_day(year):
    assert read_fields({"film": "Her", "year": year}).year == 2013


def test_a_lazy_loaded_player_keeps_its_address():
    """Themes and lazy-load plugins move an iframe's ``src`` to ``data-src``."""
    assert html_to_markdown('<p>Trailer:</p><iframe data-src="https://www.youtube.com/embed/abc"'
                            ' width="560"></iframe>') == (
        "Trailer:\n\n<https://www.youtube.com/embed/abc>")


def test_rows_of_one_day_in_a_letterboxd_import_file_are_one_entry(tmp_path):
    """Letterboxd's import format: rows of the same film and day are combined into a single
    entry; the first rating stays, a review written on another row joins it."""
    path = tmp_path / "import.csv"
    path.write_text("Title,Year,Rating10,WatchedDate,Review\n"
                    "Her,2013,8,2014-01-24,\n"
                    "Her,2013,6,2014-01-24,Letters written for others.\n"
                    "Her,2013,,2014-02-02,\n", encoding="utf-8")
    data = merge_letterboxd(load_letterboxd(path))
    by_day = {v.watched_date.isoformat(): v for v in data.viewings}
    assert sorted(by_day) == ["2014-01-24", "2014-02-02"]
    assert by_day["2014-01-24"].rating10 == Decimal(8)
    assert "Letters written for others." in by_day["2014-01-24"].review_html


def test_a_restore_mode_that_does_not_exist_is_refused_in_words(journal, tmp_path):
    with pytest.raises(ValidationError) as refused:
        plan_restore(journal, tmp_path / "backup.eyelights-backup", mode="replace")
    assert (str(refused.value), refused.value.field) == (
        "Choose how to restore: empty or merge.", "mode")


def test_an_import_says_which_id_found_the_film(journal):
    from journal.core.importers.matching import FilmIndex

    her = journal.films.create("Her", 2013, imdb_id="tt1798709", tmdb_id="152601").id
    index = FilmIndex(journal)
    assert index.find("Elle", None, imdb_id="tt1798709") == (her, "IMDb id", 1)
    assert index.find("Elle", None, tmdb_id="152601") == (her, "TMDb id", 1)
    assert index.find("her", 2013) == (her, "title and year", 1)


def test_an_import_completes_only_the_film_it_matched(journal, tmp_path):
    from journal.core.importers.apply import apply
    from journal.core.importers.letterboxd_plan import plan_letterboxd

    her = journal.films.create("Her", 2013).id
    alien = journal.films.create("Alien", 1979).id
    path = tmp_path / "import.csv"
    path.write_text("Title,Year,tmdbID,imdbID,WatchedDate\n"
                    "Her,2013,152601,tt1798709,2014-01-24\n", encoding="utf-8")
    apply(journal, plan_letterboxd(journal, path))
    m = journal.models
    assert [(f.id, f.tmdb_id, f.imdb_id) for f in m.Film.select().order_by(m.Film.id)] == [
        (her, "152601", "tt1798709"), (alien, None, None)]


def test_a_film_already_on_the_watchlist_is_named_in_the_preview(journal, tmp_path):
    from journal.core.importers.letterboxd_plan import plan_letterboxd

    journal.watchlist.add(journal.films.create("Her", 2013).id)
    path = tmp_path / "watchlist.csv"
    path.write_text("Date,Name,Year,Letterboxd URI\n"
                    "2020-01-02,Her,2013,https://boxd.it/2b8s\n", encoding="utf-8")
    plan = plan_letterboxd(journal, path)
    assert plan.skipped["films already on your watchlist"] == 1
    assert plan.skipped_examples["films already on your watchlist"] == ["“Her” (2013)"]


def test_a_csv_over_the_shared_budget_names_the_files_read_before_it():
    import io

    from journal.core.importers.safe_input import CsvBudget, CsvRows

    budget = CsvBudget(chars=60)

    def error(problem, line):
        return ValueError(f"{problem} (line {line})")

    list(CsvRows(lambda: io.BytesIO(b"Name,Year\n" + b"Her,2013\n" * 3), "diary.csv", error,
                 budget))
    with pytest.raises(ValueError) as refused:
        list(CsvRows(lambda: io.BytesIO(b"Name,Year\n" + b"Alien,1979\n" * 6), "ratings.csv",
                     error, budget))
    assert str(refused.value) == (
        "holds more than 0 million characters of text together with diary.csv; Eyelights reads "
        "at most that much from one export (a lifetime of reviews is a few million) (line 3)")


def test_film_links_of_an_import_that_adds_no_film_are_resolved(journal, tmp_path):
    from journal.core.importers.apply import apply
    from journal.core.importers.markdown_folder import plan_markdown

    her = journal.films.create("Her", 2013).id
    alien = journal.films.create("Alien", 1979).id
    (tmp_path / "reviews").mkdir()
    (tmp_path / "reviews" / "her.md").write_text(
        "---\nfilm: Her\nyear: 2013\n---\nNothing like [[Alien (1979)]].\n", encoding="utf-8")
    apply(journal, plan_markdown(journal, tmp_path / "reviews"))
    assert journal.models.Film.select().count() == 2  # no film added
    [(review_id, label)] = journal.films.mentioned_in(alien)
    assert journal.reviews.get(review_id).film_id == her and label == "Her"


def test_a_letterboxd_file_that_is_not_there_is_said_in_words(tmp_path):
    from journal.core.importers.errors import LetterboxdFormatError

    with pytest.raises(LetterboxdFormatError) as refused:
        load_letterboxd(tmp_path / "gone" / "diary.csv")
    assert str(refused.value) == "diary.csv: cannot be read (No such file or directory)"
