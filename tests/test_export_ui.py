"""The File-menu export actions: enabled state, exports, clipboard, booklet worker, preview."""

from __future__ import annotations

import export_helpers as helpers  # noqa: E402 (tests/ is on sys.path: conftest.py)
import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from journal.printing import PrintSettings
from journal.ui.errors import ErrorReporter
from journal.ui.export_actions import ExportActions, ExportOptionsDialog


@pytest.fixture
def actions(qtbot, journal):
    ids = helpers.rich_journal(journal)
    window = QWidget()
    qtbot.addWidget(window)
    errors = ErrorReporter(window)
    errors.dialogs_enabled = False
    current = {"id": ids["review"]}
    acts = ExportActions(journal, errors, lambda: current["id"], window)
    return acts, errors, current, ids


def test_actions_have_names_and_follow_the_current_review(actions):
    acts, _errors, current, _ids = actions
    names = [a.objectName() for a in acts.menu_actions() if a is not None]
    assert names == ["actionPrint", "actionExportPdf", "actionExportHtml", "actionExportMd",
                     "actionExportOdt", "actionCopyForBlog", "actionBooklet",
                     "actionExportFolder", "actionLetterboxd", "actionFullBackup"]
    assert all(a.isEnabled() for a in acts.review_actions())
    current["id"] = None
    acts.update_enabled()
    assert not any(a.isEnabled() for a in acts.review_actions())
    assert acts.booklet_action.isEnabled() and acts.print_action.shortcut().toString()
    assert acts.folder_action.isEnabled()  # many reviews: no current review needed


@pytest.mark.parametrize("fmt", ["pdf", "html", "md", "odt"])
def test_export_to_every_format(actions, tmp_path, qtbot, fmt):
    acts, _errors, _current, ids = actions
    with qtbot.waitSignal(acts.exported) as blocker:
        out = acts.export_to(fmt, ids["review"], tmp_path / f"r.{fmt}")
    assert out is not None and out.stat().st_size > 0 and str(out) in blocker.args[0]


@pytest.mark.expect_log("shown: The review could not be exported: .* is not a folder")
def test_export_failure_is_reported_not_raised(actions, tmp_path, qtbot):
    acts, errors, _current, ids = actions
    (tmp_path / "afile").write_text("")
    with qtbot.waitSignal(errors.shown) as blocker:
        assert acts.export_to("pdf", ids["review"], tmp_path / "afile" / "x.pdf") is None
    assert "not a folder" in blocker.args[1]


def test_copy_for_blog_puts_html_and_text_on_the_clipboard(actions):
    acts, *_ = actions
    acts.copy_for_blog()
    data = QGuiApplication.clipboard().mimeData()
    assert "<h1" in data.html() and "A fabulous destiny" in data.html()
    assert "A fabulous destiny" in data.text() and "<h1" not in data.text()


def test_booklet_runs_on_a_worker(actions, tmp_path, qtbot):
    acts, _errors, _current, ids = actions
    worker = acts.start_booklet(tmp_path / "b.pdf", [ids["review"], ids["plain"]],
                                PrintSettings())
    with qtbot.waitSignal(worker.finished, timeout=20_000) as blocker:
        pass
    assert blocker.args[0].pages >= 4 and (tmp_path / "b.pdf").stat().st_size > 0
    assert acts.progress is None


def test_cancelled_booklet_writes_nothing(actions, tmp_path, qtbot):
    acts, _errors, _current, ids = actions
    worker = acts.start_booklet(tmp_path / "b.pdf", [ids["review"], ids["plain"]] * 10,
                                PrintSettings())
    worker.cancel()
    with qtbot.waitSignal(acts.exported, timeout=20_000) as blocker:
        pass
    assert "cancelled" in blocker.args[0] and not (tmp_path / "b.pdf").exists()


def test_letterboxd_and_backup(actions, tmp_path):
    acts, *_ = actions
    message = acts.letterboxd_to(tmp_path / "lb")
    assert message and "8.5 → 9" in message
    out = acts.backup_to(tmp_path / "b.zip")
    assert out is not None and out.exists()


def test_options_dialog(qtbot):
    dialog = ExportOptionsDialog()
    qtbot.addWidget(dialog)
    dialog.spoilers.setChecked(False)
    dialog.comments.setChecked(True)
    dialog.theme.setCurrentIndex(1)
    dialog.page.setCurrentText("Letter")
    settings = dialog.settings()
    assert (settings.spoilers, settings.comments, settings.theme, settings.page_size) == \
        (False, True, "light", "Letter")
    for w in (dialog.spoilers, dialog.comments, dialog.theme, dialog.page):
        assert w.objectName() and w.accessibleName()


def test_print_preview_paints_the_review(actions, qtbot):
    acts, errors, _current, ids = actions
    dialog = acts.preview_dialog(ids["review"], PrintSettings())
    qtbot.addWidget(dialog)
    painted = []
    dialog.paintRequested.connect(lambda printer: painted.append(printer))
    dialog.show()
    qtbot.waitUntil(lambda: bool(painted), timeout=5000)
    dialog.close()
