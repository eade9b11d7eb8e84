"""The window shell, offscreen: opens on a journal, pages switch, the Reviews model is sound."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QWidget

from journal.core.sample import load_sample
from journal.ui.bridge import Worker
from journal.ui.errors import ErrorReporter
from journal.ui.mainwindow import PAGES
from journal.ui.models.reviews_model import (
    COL_EDITED,
    COL_FILM,
    COL_SCORE,
    COL_VIEWED,
    FilmIdRole,
    FilterTextRole,
    ReviewIdRole,
    ReviewsModel,
    snapshot_model,
)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(open_window, settings):
    return lambda journal: open_window(journal, settings=settings)


def test_window_opens_on_an_empty_journal_with_the_sample_offer(make_window, journal):
    window = make_window(journal)
    page = window.reviews_page
    assert window.windowTitle().startswith("test.eyelights")
    assert page.stack.currentWidget() is page.welcome
    assert page.sample_button.isVisible() and page.sample_button.accessibleName()


def test_sample_request_reaches_the_window(make_window, journal, qtbot):
    window = make_window(journal)
    with qtbot.waitSignal(window.sample_requested, timeout=1000):
        qtbot.mouseClick(window.reviews_page.sample_button, Qt.MouseButton.LeftButton)


def test_pages_switch_by_sidebar_and_shortcut(make_window, journal, qtbot):
    window = make_window(journal)
    for n, spec in enumerate(PAGES):
        window.sidebar.setCurrentRow(n)
        assert window.stack.currentWidget().objectName() == spec.object_name
    window.show_page("reviews")
    window.page_actions[3].trigger()  # Ctrl+4: Diary
    assert window.current_page_key() == "diary"
    assert window.page_actions[3].shortcut().toString() == "Ctrl+4"


def test_reviews_list_follows_the_store(make_window, journal, qtbot):
    load_sample(journal)
    window = make_window(journal)
    model = window.reviews_page.model
    assert window.reviews_page.stack.currentWidget() is window.reviews_page.list_panel
    assert model.rowCount() == 5
    film = journal.films.create("Her", 2013)
    journal.reviews.create(film.id, "New", score="8.5")
    qtbot.waitUntil(lambda: model.rowCount() == 6, timeout=2000)
    assert "6 reviews" in window.status_counts.text()


def test_reviews_model_passes_the_model_tester(qtmodeltester, journal, qtbot):
    load_sample(journal)
    model = ReviewsModel(journal)
    qtmodeltester.check(model, force_py=True)
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.sort(COL_FILM, Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.set_filter("the")
    qtmodeltester.check(model, force_py=True)


def test_reviews_model_columns_sorting_and_quick_filter(journal, qtbot):
    load_sample(journal)
    model = ReviewsModel(journal)
    with qtbot.waitSignal(model.settled, timeout=5000):  # sorted in SQL, on the list's worker
        model.sort(COL_SCORE, Qt.SortOrder.DescendingOrder)
    scores = [model.index(r, COL_SCORE).data() for r in range(model.rowCount())]
    assert scores == ["9.5", "9.0", "8.5", "8.0", ""]
    model.set_filter("caligari")
    model.settle()  # as Down from the filter does: the rows the filter asks for, at once
    assert model.rowCount() == 1
    assert model.index(0, COL_VIEWED).data() == "2021"
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.set_filter("CABINET 1920")
    assert model.rowCount() == 1
    review_id = model.index(0, COL_FILM).data(ReviewIdRole)
    assert journal.reviews.get(review_id).film.title == "The Cabinet of Dr. Caligari"
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.set_filter("melies")  # accents folded: no film title has it, so none
    assert model.rowCount() == 0


def test_the_first_frames_snapshot_shows_what_the_model_shows(journal):
    """The first frame lists the first look's rows from a model Qt holds: every cell the user
    sees (text, alignment, tool tip) and the ids the page reads are the journal model's."""
    load_sample(journal)  # two of its reviews have spoiler sections
    model = ReviewsModel(journal)
    snapshot = snapshot_model(journal.reviews.rows())
    assert snapshot.rowCount() == model.rowCount() == 5
    assert [snapshot.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == \
        [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole,
             Qt.ItemDataRole.ToolTipRole)
    for row in range(model.rowCount()):
        for column in range(6):
            for role in roles:
                assert snapshot.index(row, column).data(role) == \
                    model.index(row, column).data(role), (row, column, role)
        for role in (ReviewIdRole, FilmIdRole, FilterTextRole):
            assert snapshot.index(row, 0).data(role) == model.index(row, 0).data(role)
        assert not snapshot.flags(snapshot.index(row, 0)) & Qt.ItemFlag.ItemIsEditable
    assert any(snapshot.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
               for row in range(5))  # the spoiler sections' tip is there


def test_window_state_and_last_page_are_kept(make_window, journal, settings):
    window = make_window(journal)
    window.show_page("watchlist")
    window.resize(900, 600)
    window.close()
    again = make_window(journal)
    assert again.current_page_key() == "watchlist"
    assert settings.value("window/page") == "watchlist"


def test_every_control_has_an_accessible_name_and_object_name(make_window, journal):
    window = make_window(journal)
    for name in ("sidebar", "pageStack", "reviewsTable", "reviewsFilter", "openSampleButton"):
        widget = window.findChild(QWidget, name)
        assert widget is not None, name
        assert widget.accessibleName(), name
    menus = [a.menu() for a in window.menuBar().actions()]
    assert len(menus) == 5
    for menu in menus:
        assert menu.menuAction().objectName()
        for action in menu.actions():
            if not action.isSeparator():
                assert action.objectName(), action.text()
                assert action.text(), action.objectName()


def test_backup_action_reports_in_the_status_bar(make_window, journal, qtbot):
    window = make_window(journal)
    window.act_backup.trigger()
    assert "Backup written to" in window.statusBar().currentMessage()


@pytest.mark.expect_log("shown: Cannot open: It is open elsewhere", "ERROR .*Something went wrong")
def test_errors_are_reported_by_signal(qtbot):
    from journal.errors import JournalLocked

    reporter = ErrorReporter()
    reporter.dialogs_enabled = False
    with qtbot.waitSignal(reporter.shown) as blocker:
        reporter.report(JournalLocked("It is open elsewhere."), "Cannot open")
    assert blocker.args == ["Cannot open", "It is open elsewhere."]
    with qtbot.waitSignal(reporter.shown) as blocker:
        reporter.report(ZeroDivisionError("bug"))
    assert "log file" in blocker.args[1]


def test_worker_runs_off_the_gui_thread_and_reports_back(qtbot):
    import threading

    main = threading.get_ident()
    worker = Worker(lambda token: (token.progress(1, 1, "done"), threading.get_ident())[1])
    with qtbot.waitSignal(worker.finished, timeout=5000) as blocker:
        worker.start()
    assert blocker.args[0] != main

    failing = Worker(lambda token: 1 / 0)
    with qtbot.waitSignal(failing.failed, timeout=5000) as blocker:
        failing.start()
    assert isinstance(blocker.args[0], ZeroDivisionError)


def test_app_controller_opens_the_sample_journal(qtbot, journal_path):
    from PySide6.QtWidgets import QApplication

    from journal.paths import data_dir
    from journal.ui.application import AppController

    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    try:
        assert controller.open_journal(journal_path)
        qtbot.addWidget(controller.window)
        controller.open_sample()
        assert controller.journal.path == (data_dir() / "sample.eyelights").resolve()
        assert controller.window.reviews_page.model.rowCount() == 5
        qtbot.addWidget(controller.window)
    finally:
        controller.shutdown()


def test_no_display_is_detected_before_qt_aborts():
    from journal.app import display_problem

    assert display_problem({}, "linux") is not None
    assert display_problem({"DISPLAY": ":0"}, "linux") is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert display_problem({}, "darwin") is None


def test_a_damaged_journal_is_moved_aside_and_the_backup_restored(qtbot, journal_path,
                                                                    monkeypatch):
    import random

    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.ui.application import AppController

    with Journal.open(journal_path) as journal:
        load_sample(journal)
        with journal.write():
            for i in range(300):
                journal.films.create(f"Padding {i}", 2000, synopsis="p" * 300)
        journal.backup()
    data = bytearray(journal_path.read_bytes())
    rng = random.Random(3)
    for i in range(8192, len(data)):
        data[i] = rng.randrange(256)
    journal_path.write_bytes(bytes(data))

    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    asked = []
    monkeypatch.setattr(controller, "ask", lambda kind, message: asked.append(kind) or True)
    try:
        controller.open_journal(journal_path)  # opens at once; the check runs on a worker
        qtbot.waitUntil(lambda: asked == ["restore"], timeout=10_000)
        qtbot.waitUntil(lambda: controller.window is not None
                        and controller.window.reviews_page.model.rowCount() == 5, timeout=10_000)
        assert list(journal_path.parent.glob("*.corrupt-*"))
        qtbot.addWidget(controller.window)
    finally:
        controller.shutdown()


def test_damage_reported_by_the_background_check_closes_moves_and_restores(qtbot, journal_path,
                                                                          monkeypatch):
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.ui.application import AppController

    with Journal.open(journal_path) as journal:
        load_sample(journal)
        journal.backup()
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    asked = []
    monkeypatch.setattr(controller, "ask", lambda kind, message: asked.append(kind) or True)
    try:
        assert controller.open_journal(journal_path)
        qtbot.waitUntil(lambda: controller.journal is not None, timeout=5000)  # second step
        first = controller.journal  # its window is closed and deleted below: not qtbot's
        # What the worker's PRAGMA quick_check would hand back for a damaged file:
        controller._verified(first, journal_path, "row 3 missing from index film_year")
        assert asked == ["restore"]
        assert list(journal_path.parent.glob("*.corrupt-*"))
        qtbot.waitUntil(lambda: controller.window is not None and controller.window.attached,
                        timeout=5000)  # the restored journal, opened in two steps too
        assert controller.journal is not None and controller.journal is not first
        assert controller.window.reviews_page.model.rowCount() == 5
        qtbot.addWidget(controller.window)
    finally:
        controller.shutdown()


def test_about_dialog_names_the_versions_a_bug_report_needs(qtbot, tmp_path):
    import peewee
    from PySide6.QtCore import qVersion

    from journal import __version__
    from journal.ui.about import show_about

    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_about(parent, str(tmp_path / "j.eyelights"))
    text = box.text()
    assert __version__ in text and qVersion() in text and peewee.__version__ in text
    assert "j.eyelights" in text and box.objectName() == "aboutDialog"
    box.close()


def test_reviews_model_refreshes_only_the_named_reviews(qtmodeltester, journal, qtbot):
    load_sample(journal)
    model = ReviewsModel(journal)
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.sort(COL_FILM, Qt.SortOrder.AscendingOrder)  # an edit moves no row
    first, second = model.row_at(0), model.row_at(1)
    journal.reviews.update(first.id, score="3.5")
    journal.reviews.update(second.id, score="4.5")
    with qtbot.waitSignal(model.dataChanged, timeout=5000) as changed:
        model.refresh({first.id})  # as after the autosave of the first review
    row = model.row_of(first.id)
    assert (changed.args[0].row(), changed.args[1].row()) == (row, row)
    assert model.row_at(model.row_of(first.id)).score_tenths == 35
    journal.reviews.delete(first.id)
    film = journal.films.create("Her", 2013)
    added = journal.reviews.create(film.id, "New")
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.refresh({first.id, added.id})
    assert model.row_of(first.id) is None and model.row_of(added.id) is not None
    with qtbot.waitSignal(model.settled, timeout=5000):
        model.refresh()  # the full pass catches up with everything
    assert model.row_at(model.row_of(second.id)).score_tenths == 45
    assert model.rowCount() == 5
    qtmodeltester.check(model, force_py=True)


def test_start_up_lists_the_newest_reviews_at_once_then_opens_the_journal(qtbot, journal_path):
    """The two steps of start-up: the window shows the first look's rows before the store
    layer opens the journal; then everything is built and every row listed."""
    from PySide6.QtWidgets import QApplication

    from journal.core.first_look import FIRST_ROWS
    from journal.core.journal import Journal
    from journal.errors import JournalLocked
    from journal.store.lock import JournalLock
    from journal.ui.application import AppController

    total = FIRST_ROWS + 20
    with Journal.open(journal_path) as journal:
        film = journal.films.create("Stalker", 1979)
        with journal.write():
            for n in range(total):
                journal.reviews.create(film.id, f"Review {n}")
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    opened = []
    try:
        assert controller.open_journal(journal_path)
        window = controller.window
        qtbot.addWidget(window)
        controller.when_open(lambda: opened.append(controller.journal))
        assert not window.attached and controller.journal is None and opened == []
        page = window.reviews_page
        snapshot = page.table.model()  # the first look's rows, held by Qt
        assert snapshot is not page.model and snapshot.rowCount() == FIRST_ROWS
        assert page.stack.currentWidget() is page.list_panel
        page.table.selectRow(3)  # picked in the first instant: still picked once all is open
        picked = page.selected_review_id()
        assert picked is not None
        shown = lambda: [r for r in range(snapshot.rowCount())  # noqa: E731
                         if not page.table.isRowHidden(r)]
        page.filter.setText("nothing like it")  # the quick filter works on the snapshot too
        assert shown() == []
        page.filter.setText("STALKER 1979")
        assert len(shown()) == FIRST_ROWS
        page.table.horizontalHeader().resizeSection(COL_SCORE, 333)  # widths the user set stay
        old_selection = page.table.selectionModel()
        assert f"{total} reviews" in window.status_counts.text()
        with pytest.raises(JournalLocked):  # the first look holds the lock already
            JournalLock(journal_path).acquire()
        page.findChild(QWidget, "newReviewButton").click()  # too early: nothing happens
        window.show_page("films")  # chosen before the page exists: shown once it does
        assert window.stack.currentWidget().objectName() == "pendingPage"
        qtbot.waitUntil(lambda: window.attached, timeout=10_000)
        assert opened == [controller.journal] and controller.journal is not None
        assert page.model.rowCount() == total and not page.editing()
        assert page.table.model() is page.model and page.selected_review_id() == picked
        assert page.table.currentIndex().row() == page.table.selectionModel().selectedRows()[0].row()
        assert page.model.rowCount() == total  # the filter typed meanwhile holds
        assert page.table.horizontalHeader().sectionSize(COL_SCORE) == 333
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(snapshot) and not shiboken6.isValid(old_selection)
        page.table.clearSelection()  # the actions follow the journal model's selection
        assert not page.act_delete.isEnabled()
        page.table.selectRow(0)
        assert page.act_delete.isEnabled()
        header = page.table.horizontalHeader()
        assert page.table.isSortingEnabled() and header.sortIndicatorSection() == COL_EDITED
        assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
        page.filter.setText("no such film")  # the filter works on the journal's model now
        qtbot.waitUntil(lambda: page.model.rowCount() == 0, timeout=5000)
        assert window.current_page_key() == "films"
        assert window.stack.currentWidget() is window.pages["films"]
        assert window.findChild(QWidget, "pendingPage") is None or \
            window.stack.indexOf(window.findChild(QWidget, "pendingPage")) == -1
    finally:
        controller.shutdown()


def test_a_launch_during_start_up_waits_for_the_first_window_and_is_handed_over(
        qtbot, journal_path):
    """A second launch while the first is between its first look and listening: the lock is
    taken, nobody answers yet; it asks again until the first window listens."""
    import threading

    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.store.lock import JournalLock
    from journal.ui.application import AppController, forward_patiently

    with Journal.open(journal_path) as journal:
        load_sample(journal)
    assert not JournalLock(journal_path).held_elsewhere()
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    controller.listen_to = journal_path
    replies = []
    try:
        assert controller.open_journal(journal_path)  # first look: lock taken, not listening
        qtbot.addWidget(controller.window)
        assert JournalLock(journal_path).held_elsewhere()
        with Journal.open(journal_path, read_only=True) as reader:
            review_id = reader.reviews.rows()[-1].id
        launch = threading.Thread(target=lambda: replies.append(forward_patiently(
            journal_path, {"open": f"review:{review_id}"}, seconds=10)))  # (raise(): not offscreen)
        launch.start()
        qtbot.waitUntil(lambda: not launch.is_alive(), timeout=15_000)
        assert replies and replies[0] is not None and replies[0].get("ok")
        qtbot.waitUntil(lambda: controller.window.attached
                        and controller.window.reviews_page.editing(), timeout=5000)
        assert controller.window.reviews_page.editor_view.review_id == review_id
    finally:
        controller.shutdown()
    assert not JournalLock(journal_path).held_elsewhere()


def test_quitting_before_the_journal_is_open_gives_the_lock_back(qtbot, journal_path):
    from PySide6.QtWidgets import QApplication

    from journal.core.journal import Journal
    from journal.store.lock import JournalLock
    from journal.ui.application import AppController

    Journal.open(journal_path).close()
    controller = AppController(QApplication.instance())
    controller.errors.dialogs_enabled = False
    assert controller.open_journal(journal_path)
    assert JournalLock(journal_path).held_elsewhere() and controller.journal is None
    controller.shutdown()  # before the first frame: the second step never runs
    assert not JournalLock(journal_path).held_elsewhere()
    qtbot.wait(400)  # past FirstPaint's timeout: nothing opens behind our back
    assert controller.journal is None and controller.window is None
