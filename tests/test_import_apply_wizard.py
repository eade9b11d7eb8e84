"""The import wizard: preview → confirm → import on a worker, cancel, bad files (offscreen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from journal.core.importers.synthetic import generate_wxr
from journal.ui.errors import ErrorReporter
from journal.ui.import_wizard import PAGE_DONE, PAGE_PREVIEW, PAGE_SOURCE, ImportWizard

POST = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><wp:wxr_version>1.2</wp:wxr_version>
<item><title>Her 8.5</title><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[<p>Rating: 8.5/10</p><p>Lovely.</p>]]></content:encoded></item>
</channel></rss>
"""


@pytest.fixture
def wizard(qtbot, journal):
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    dialog = ImportWizard(journal, None, errors)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(wizard, source: str, path) -> None:
    wizard.source.setCurrentIndex(wizard.source.findData(source))
    wizard.paths.setText(str(path))


def test_preview_confirm_import(qtbot, wizard, tmp_path):
    m = wizard.journal.models
    path = tmp_path / "blog.xml"
    path.write_text(POST, encoding="utf-8")
    _choose(wizard, "wxr", path)
    for name in ("importSource", "importPaths", "importDrafts", "importPreview"):
        widget = wizard.findChild(QWidget, name)
        assert widget is not None and widget.accessibleName()
    qtbot.mouseClick(wizard.next, qtbot_button())
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == PAGE_PREVIEW, timeout=10_000)
    assert "reviews: 1" in wizard.counts.text()
    assert "score 8.5 from “Rating: 8.5/10”" in wizard.details.toPlainText()
    assert m.Review.select().count() == 0 and wizard.confirm.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=10_000) as blocker:
        qtbot.mouseClick(wizard.confirm, qtbot_button())
    assert blocker.args[0].counts["reviews"] == 1
    assert wizard.stack.currentIndex() == PAGE_DONE and "Imported: 1 new film," in \
        wizard.outcome.text()
    assert m.Review.select().count() == 1
    wizard.grab().save(str(tmp_path / "wizard.png"))


def test_cancel_during_import_changes_nothing(qtbot, wizard, tmp_path):
    m = wizard.journal.models
    path = tmp_path / "big.xml"
    generate_wxr(path, 300, body_bytes=300)
    _choose(wizard, "wxr", path)
    wizard.start_preview()
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == PAGE_PREVIEW, timeout=20_000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    wizard.start_import()
    assert wizard.stop.isVisible() and not wizard.confirm.isEnabled()
    qtbot.wait(30)
    wizard.cancel_work()
    qtbot.waitUntil(lambda: not wizard.worker.running, timeout=20_000)
    timer.stop()
    assert "cancelled; nothing was changed" in wizard.status.text()
    assert m.Review.select().count() == 0 and ticks  # the event loop kept turning


def test_bad_file_is_reported_and_nothing_written(qtbot, wizard, tmp_path):
    m = wizard.journal.models
    path = tmp_path / "broken.xml"
    path.write_text(POST.replace("</item>", ""), encoding="utf-8")
    _choose(wizard, "wxr", path)
    with qtbot.waitSignal(wizard.errors.shown, timeout=10_000) as blocker:
        wizard.start_preview()
    assert blocker.args[1].startswith("broken.xml, line 7: not well-formed XML")
    assert wizard.stack.currentIndex() == PAGE_SOURCE and m.Review.select().count() == 0


def test_missing_file_is_said_plainly(wizard, tmp_path):
    _choose(wizard, "letterboxd", tmp_path / "nope.zip")
    wizard.start_preview()
    assert wizard.status.text().startswith("Not found:") and wizard.worker is None


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


@pytest.fixture
def backup_file(tmp_path):
    """A full backup of the sample journal. Request it before ``wizard``/``journal``: opening a
    journal binds the models to it, so the source must be opened (and closed) first."""
    from journal.core.export.fullbackup import dump
    from journal.core.journal import Journal
    from journal.core.sample import load_sample

    with Journal.open(tmp_path / "source.eyelights") as source:
        load_sample(source)
        expected = source.reviews.count()
        dump(source, tmp_path / "full.json")
    return tmp_path / "full.json", expected


def _preview(qtbot, wizard) -> None:
    qtbot.mouseClick(wizard.next, qtbot_button())
    qtbot.waitUntil(lambda: wizard.stack.currentIndex() == PAGE_PREVIEW, timeout=20_000)


def test_backup_restore_into_an_empty_journal(backup_file, qtbot, wizard, journal):
    path, expected = backup_file
    assert wizard.source.findData("backup") >= 0
    assert not wizard.mode.isVisibleTo(wizard)
    _choose(wizard, "backup", path)
    assert wizard.mode.isVisibleTo(wizard) and wizard.mode.accessibleName()
    assert not wizard.drafts.isVisibleTo(wizard)
    assert wizard.mode.currentData() == "empty"  # the journal is empty
    _preview(qtbot, wizard)
    assert f"reviews: {expected}" in wizard.counts.text()
    assert journal.reviews.count() == 0 and wizard.confirm.isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        qtbot.mouseClick(wizard.confirm, qtbot_button())
    result = blocker.args[0]
    assert result.counts["reviews"] == expected and result.backup.exists()
    assert wizard.stack.currentIndex() == PAGE_DONE
    assert wizard.outcome.text().startswith("Restored")
    assert journal.reviews.count() == expected


def test_backup_merge_twice_adds_nothing_the_second_time(backup_file, qtbot, wizard,
                                                          journal):
    path, expected = backup_file
    journal.films.create("Already here", 1999)
    _choose(wizard, "backup", path)
    assert wizard.mode.currentData() == "merge"  # the journal is not empty
    _preview(qtbot, wizard)
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        qtbot.mouseClick(wizard.confirm, qtbot_button())
    assert journal.reviews.count() == expected
    wizard.back.click()
    _preview(qtbot, wizard)
    assert "Nothing new to restore." in wizard.details.toPlainText()
    assert not wizard.confirm.isEnabled() and journal.reviews.count() == expected


def test_backup_into_a_journal_that_is_not_empty_is_refused(backup_file, qtbot, wizard,
                                                             journal):
    path, _expected = backup_file
    journal.films.create("Already here", 1999)
    _choose(wizard, "backup", path)
    wizard.mode.setCurrentIndex(wizard.mode.findData("empty"))
    with qtbot.waitSignal(wizard.errors.shown, timeout=20_000) as blocker:
        wizard.start_preview()
    assert "not empty" in blocker.args[1]
    assert wizard.stack.currentIndex() == PAGE_SOURCE and journal.reviews.count() == 0


def test_markdown_folder_from_the_window(qtbot, wizard, journal, tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "2014-02-01-her.md").write_text(
        "---\ntitle: Her (2013)\nrewatch: true\nwatched_on: 2014-01-24\n---\nRating: 8.5/10\n\n"
        "Lovely.\n", encoding="utf-8")
    _choose(wizard, "markdown", folder)
    assert wizard.drafts.isVisibleTo(wizard) and not wizard.mode.isVisibleTo(wizard)
    _preview(qtbot, wizard)
    assert "reviews: 1" in wizard.counts.text()
    with qtbot.waitSignal(wizard.imported, timeout=20_000):
        qtbot.mouseClick(wizard.confirm, qtbot_button())
    (review,) = journal.reviews.live()
    assert review.score == 8.5 and review.viewing.rewatch_flag
