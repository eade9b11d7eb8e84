"""In the window: Export Reviews to a Folder… (dialog, worker, cancel) and the import wizard's
preview of what a wild import fills in, reads as and leaves unused (offscreen)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from journal.printing import PrintSettings
from journal.ui.errors import ErrorReporter
from journal.ui.export_actions import ExportActions
from journal.ui.export_folder import ExportFolderDialog
from journal.ui.import_wizard import PAGE_PREVIEW, ImportWizard

DATA = Path(__file__).with_name("data")


@pytest.fixture
def actions(qtbot, journal):
    for title, year, day, body in (("Her", 2013, "2014-01-24", "A voice in the city."),
                                   ("Drive", 2011, "2012-01-15", "A scorpion jacket."),
                                   ("Heat", 1995, "2014-05-02", "A diner scene.")):
        film = journal.films.create(title, year)
        viewing = journal.viewings.log(film.id, day)
        journal.reviews.create(film.id, body, viewing_id=viewing.id, status="published",
                               score="8.0", created_at=dt.datetime.fromisoformat(day))
    window = QWidget()
    qtbot.addWidget(window)
    errors = ErrorReporter(window)
    errors.dialogs_enabled = False
    return ExportActions(journal, errors, lambda: None, window), errors


def _ok(dialog: ExportFolderDialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_the_dialog_asks_which_reviews_how_and_where(qtbot, tmp_path):
    dialog = ExportFolderDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.all.isChecked() and not _ok(dialog).isEnabled()
    assert "Choose the folder" in dialog.message.text()
    dialog.folder.setFocus()
    qtbot.keyClicks(dialog.folder, str(tmp_path / "site"))
    assert _ok(dialog).isEnabled()
    qtbot.mouseClick(dialog.by_search, Qt.MouseButton.LeftButton)
    assert not _ok(dialog).isEnabled() and "Type what" in dialog.message.text()
    qtbot.keyClicks(dialog.search, "scorpion")
    assert _ok(dialog).isEnabled()
    dialog.format.setFocus()
    qtbot.keyClick(dialog.format, Qt.Key.Key_Down)
    assert dialog.format.currentData() == "html"
    dialog.grab().save(str(tmp_path / "export-folder-dialog.png"))
    with qtbot.waitSignal(dialog.accepted, timeout=5_000):
        qtbot.mouseClick(_ok(dialog), Qt.MouseButton.LeftButton)
    assert dialog.choice() == (tmp_path / "site", "html", None, "scorpion")


def test_typing_a_year_chooses_the_years_reviews(qtbot, tmp_path):
    dialog = ExportFolderDialog(folder=tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.year.setFocus()
    dialog.year.selectAll()
    qtbot.keyClicks(dialog.year, "2014")
    assert dialog.by_year.isChecked() and dialog.choice()[2] == 2014


def test_the_export_runs_on_a_worker_and_says_what_it_wrote(actions, qtbot, tmp_path):
    acts, _errors = actions
    worker = acts.start_folder_export(tmp_path / "site", "html", year=2014,
                                      settings=PrintSettings())
    with qtbot.waitSignal(acts.exported, timeout=20_000) as blocker:
        pass
    assert blocker.args[0] == f"Exported 2 reviews as HTML pages and index.html to {tmp_path}" \
                              f"/site"
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == [
        "2014-01-24-her-2013.html", "2014-05-02-heat-1995.html", "index.html"]
    assert acts.progress is None and not worker.running


def test_a_cancelled_export_writes_nothing(actions, qtbot, tmp_path):
    acts, _errors = actions
    worker = acts.start_folder_export(tmp_path / "site", "md")
    worker.cancel()
    with qtbot.waitSignal(acts.exported, timeout=20_000) as blocker:
        pass
    assert "cancelled; nothing was written" in blocker.args[0]
    site = tmp_path / "site"
    assert not site.exists() or list(site.iterdir()) == []


@pytest.mark.expect_log("nothing to export")
def test_an_empty_selection_is_reported_plainly(actions, qtbot, tmp_path):
    acts, errors = actions
    with qtbot.waitSignal(errors.shown, timeout=20_000) as blocker:
        acts.start_folder_export(tmp_path / "site", "md", search="nothingmatchesthis")
    assert "No review matches" in blocker.args[1]


def test_the_wizard_previews_defaults_scales_and_unused_keys(qtbot, journal, tmp_path):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    wizard = ImportWizard(journal, None, errors)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.source.setCurrentIndex(wizard.source.findData("markdown"))
    wizard.paths.setText(str(DATA / "jekyll"))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == PAGE_PREVIEW, timeout=10_000)
    details = wizard.details.toPlainText()
    assert "Read as:\n  front-matter ratings (rating): all 5 numbers are 5 or less" in details
    assert "Filled in by default (the files do not say):" in details
    assert "1 × title from the file name" in details and "1 × dated at import time" in details
    assert "Front-matter keys not used:\n  layout (3 files)" in details
    assert "imdb: 7.7 is not an IMDb id" in details
    wizard.grab().save(str(tmp_path / "wizard-wild.png"))
