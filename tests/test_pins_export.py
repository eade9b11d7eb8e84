"""Exports and backups: what the user is told and what the files hold, pinned in full.

Written from the survivors of the core's mutation sample (docs/testing.md, "Mutation
testing"): each test fails with its mutant's edit put back.
"""

from __future__ import annotations

import json

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest

from journal import __version__
from journal.core.export import BackupFormatError, ExportError, check_name, safe_filename
from journal.core.export.folder import export_folder
from journal.core.export.fullbackup import dump, restore
from journal.core.export.letterboxd import export_letterboxd


def test_a_json_file_that_is_not_a_backup_is_named_in_the_message(journal, tmp_path):
    bad = tmp_path / "notes.json"
    bad.write_text('["a list, not a backup"]', encoding="utf-8")
    with pytest.raises(BackupFormatError) as caught:
        restore(journal, bad)
    assert str(caught.value) == "notes.json is not an Eyelights full backup."
    assert journal.is_empty()


@pytest.mark.parametrize("row, words", [
    ('[1, "Her"], 7', "row 2, is damaged (not a list of values)"),
    ('[2, "Alien", 1979]', "row 1, is damaged (it has 3 values for 2 columns)"),
])
def test_a_damaged_row_is_reported_with_its_table_and_number(journal, tmp_path, row, words):
    bad = tmp_path / "b.json"
    bad.write_text('{"format": "eyelights-backup", "format_version": 1, "schema_version": 1, '
                   '"tables": {"film": {"columns": ["id", "title"], "rows": ['
                   + row + ']}}}', encoding="utf-8")
    with pytest.raises(BackupFormatError) as caught:
        restore(journal, bad)
    assert str(caught.value) == f"The backup's table film, {words}."
    assert journal.is_empty()


def test_a_backup_says_which_eyelights_wrote_it(journal, tmp_path):
    journal.films.create("Her", 2013)
    out = dump(journal, tmp_path / "b.json").path
    head = json.loads(out.read_text(encoding="utf-8"))
    assert head["app_version"] == __version__
    assert head["format"] == "eyelights-backup"


def test_a_file_name_over_255_bytes_is_refused_in_words(tmp_path):
    with pytest.raises(ExportError) as caught:
        check_name("é" * 128 + ".pdf", windows=False)  # 260 bytes
    assert str(caught.value) == "The file name is too long (over 255 bytes)."
    check_name("e" * 251 + ".pdf", windows=False)  # 255 bytes exactly: fine


def test_a_title_exactly_at_the_length_limit_is_kept_whole():
    assert safe_filename("x" * 120, "pdf") == "x" * 120 + ".pdf"
    assert safe_filename("x" * 121, "pdf") == "x" * 120 + ".pdf"
    assert safe_filename("Her: a love story", ".md") == "Her - a love story.md"


def test_the_letterboxd_summary_counts_only_live_drafts_without_a_film(journal, tmp_path):
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "With a film.", score="8")
    journal.reviews.create(None, "A draft, no film yet.")
    gone = journal.reviews.create(None, "A trashed draft.")
    journal.reviews.delete(gone.id)
    summary = export_letterboxd(journal, tmp_path / "lb")
    assert summary.without_film == 1
    assert "1 draft review with no film yet left out (Letterboxd needs the film)." \
        in summary.message()


class _Token:
    cancelled = False

    def __init__(self) -> None:
        self.seen: list[tuple[int, int, str]] = []

    def progress(self, done: int, total: int, message: str) -> None:
        self.seen.append((done, total, message))


def test_a_folder_export_reports_its_progress_in_words(journal, tmp_path):
    ids = helpers.rich_journal(journal)
    token = _Token()
    export_folder(journal, [ids["review"]], tmp_path / "out", "md", token=token)
    assert token.seen and token.seen[0] == (0, 1, "Exporting the reviews…")


def test_a_merged_film_takes_the_other_films_poster_when_it_has_none(journal):
    keep = journal.films.create("Her", 2013)
    other = journal.films.create("Her (2013)", 2013)
    journal.films.set_poster(other.id, helpers.tiny_png(), "image/png", 4, 6)
    poster_id = journal.films.get(other.id).poster_id
    merged = journal.films.merge(keep.id, other.id)
    assert journal.films.get(merged.id).poster_id == poster_id


def test_changing_a_viewings_companions_is_kept(journal):
    film = journal.films.create("Her", 2013)
    viewing = journal.viewings.log(film.id, "2014-01-24", companions="Zoé")
    journal.viewings.update(viewing.id, companions="Zoé and Marc", venue="Le Champo",
                            note="Rain outside.")
    again = journal.viewings.get(viewing.id)
    assert (again.companions, again.venue, again.note) == ("Zoé and Marc", "Le Champo",
                                                           "Rain outside.")

