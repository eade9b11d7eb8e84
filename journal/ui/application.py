"""Application start-up: QApplication, opening the journal with recovery, the main window.

Start-up is in two steps, so that the window is on screen at once even on a large journal: a first
look at the journal (plain :mod:`sqlite3`, read-only, the lock taken) gives the newest reviews and
the window shows them; on the next turn of the event loop the journal is opened the full way
(peewee, the services) and the window builds the rest of itself. A journal that is not in the
expected state (missing, older schema, locked, damaged…) is opened the full way first, with the
usual questions and messages.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from journal import APP_ID, APP_NAME, ORG_NAME, __version__
from journal.errors import EyelightsError, JournalCorrupt, JournalLocked, JournalReadOnly
from journal.paths import data_dir, resolve_journal_path
from journal.ui.errors import ErrorReporter
from journal.ui.first_paint import FirstPaint
from journal.ui.mainwindow import PAGES, MainWindow
from journal.ui.single_instance import forward

if TYPE_CHECKING:
    from journal.core.first_look import FirstLook
    from journal.core.journal import Journal
    from journal.store.connection import QuickCheck
    from journal.store.lock import JournalLock
    from journal.ui.bridge import JournalSignals, Worker
    from journal.ui.instance_server import InstanceServer
    from journal.ui.timing import PaintSeen

log = logging.getLogger(__name__)

#: How long after the journal opens its integrity check starts (``_start_verification``).
VERIFY_AFTER_MS = 1500

#: ask(kind, message) -> bool: the user's answer to a recovery question.
Ask = Callable[[str, str], bool]


def open_with_recovery(path: Path, ask: Ask, *, read_only: bool = False,
                       create_folder: bool = False, verify: bool = True,
                       lock: JournalLock | None = None) -> Journal:
    """Open a journal; on a known problem ask the user what to do (read-only, restore a backup).

    ``lock``: the journal's lock when the first look took it. Raises the typed error when the
    user declines or nothing can be done.
    """
    from journal.core.journal import Journal

    try:
        return Journal.open(path, read_only=read_only, create_folder=create_folder,
                            verify=verify, lock=lock)
    except (JournalLocked, JournalReadOnly) as exc:
        if read_only or not path.exists():
            raise
        if ask("read-only", f"{exc.message}\n\nOpen it read-only?"):
            return Journal.open(path, read_only=True, verify=verify)
        raise
    except JournalCorrupt as exc:
        if restore_offered(exc, path, ask):
            return Journal.open(path, read_only=read_only)
        raise


def restore_offered(exc: JournalCorrupt, path: Path, ask: Ask) -> bool:
    """After damage was found (and the file moved aside): offer the newest good backup."""
    from journal.store.backup import restore_backup

    if exc.newest_backup and ask(
            "restore", f"{exc.message}\n\nRestore the newest good backup "
                       f"({Path(exc.newest_backup).name})?"):
        restore_backup(Path(exc.newest_backup), path)
        return True
    return False


def create_application(argv: list[str]) -> QApplication:
    # X11 WM_CLASS = the app id, so the desktop entry's StartupWMClass matches this window.
    os.environ.setdefault("RESOURCE_NAME", APP_ID)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)
    return app


def set_window_icon(app: QApplication) -> None:
    from journal.ui.icons import app_icon

    app.setWindowIcon(app_icon())  # type: ignore[return-value]


class AppController:
    """Owns the open journal and its window; can switch journals (Open…, sample)."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.settings = QSettings()
        self.errors = ErrorReporter()
        self.journal: Journal | None = None
        self.signals: JournalSignals | None = None
        self.window: MainWindow | None = None
        self._workers: list[Worker] = []
        self.instance_server: InstanceServer | None = None
        self.listen_to: Path | None = None  # the journal whose later launches come here
        self._probe: QuickCheck | None = None
        self._when_open: list[Callable[[], None]] = []
        self._first: FirstLook | None = None  # the first look whose full opening is pending
        self.report_times = False  # print "shown"/"ready" times (benches/bench_startup.py)
        #: The launch names a review to open (``--open review:ID``): the first window does not
        #: reopen the last place first (two loads and renders, the first one wasted).
        self.launch_opens_review = False
        #: That review's id: its kept page is looked for at the first look and shown at once.
        self.launch_review: int | None = None
        self._standin_paint: PaintSeen | None = None  # benches: the kept page's first paint

    def ask(self, kind: str, message: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(self.window, APP_NAME, message)
        return answer == QMessageBox.StandardButton.Yes

    def open_journal(self, path: Path, *, read_only: bool = False,
                     create_folder: bool = False) -> bool:
        """Open ``path`` in the window. At start-up, a first look puts the window on screen at
        once and the journal is opened on the next turn of the event loop."""
        first = None
        if self.window is None:
            first = self._first_look(path, read_only)
        if first is None:
            return self._open_whole(path, read_only, create_folder)
        self._first = first
        self.window = MainWindow(None, None, self.settings, self.errors, self._show_about,
                                 first=first, reopen_place=not self.launch_opens_review)
        self.errors.parent_widget = self.window
        self.window.show()
        if self.report_times:
            QTimer.singleShot(0, lambda: _report("shown"))  # the first turn of the event loop
            standin = self.window.reviews_page.standin
            if standin is not None:  # the review's kept page: drawn with the first frame?
                from journal.ui.timing import PaintSeen

                self._standin_paint = PaintSeen(standin.viewport())
        FirstPaint(self.window, lambda: self._first_painted(first))
        return True

    def _first_look(self, path: Path, read_only: bool) -> FirstLook | None:
        from journal.core.first_look import first_look

        if self.launch_review is None:
            return first_look(path, read_only=read_only)
        # The kept page of the review the launch opens is in the theme the preview will use
        # (naming Qt's colour scheme costs ~15 ms, paid here rather than later: roles.py).
        from journal.ui.theme import theme_name

        return first_look(path, read_only=read_only, review_id=self.launch_review,
                          theme=theme_name())

    def _first_painted(self, first: FirstLook) -> None:
        if self.report_times:
            _report("painted")
            seen = self._standin_paint
            if seen is not None and seen.seen:  # the review's kept page is drawn: its preview
                from journal.ui.timing import report

                report("preview")
        if first is not self._first:  # closed meanwhile (quit, another journal)
            return
        if self.listen_to is not None:  # later launches find this window from now on
            self.listen(self.listen_to)
        self._finish_opening(first)

    def _open_whole(self, path: Path, read_only: bool, create_folder: bool) -> bool:
        from PySide6.QtWidgets import QMessageBox

        try:
            journal = open_with_recovery(path, self.ask, read_only=read_only,
                                         create_folder=create_folder, verify=False)
        except EyelightsError as exc:
            self.errors.report(exc, "The journal could not be opened")
            if self.window is None:
                QMessageBox.critical(None, APP_NAME, exc.message)
            return False
        self._close_current()
        self._install(journal)
        return True

    def _finish_opening(self, first: FirstLook) -> None:
        """The second step of start-up: the journal opened the full way, the window completed."""
        from PySide6.QtWidgets import QMessageBox

        self._first = None
        try:
            journal = open_with_recovery(first.path, self.ask, read_only=first.read_only,
                                         verify=False, lock=first.lock)
            first.lock = None  # the journal holds it now
            self._install(journal)
        except Exception as exc:  # noqa: BLE001 - a journal that cannot open, or a bug: say so
            first.release()  # if the failed opening has not already
            self.errors.report(exc, "The journal could not be opened")
            self._close_current()
            message = exc.message if isinstance(exc, EyelightsError) else \
                f"Eyelights could not open the journal ({type(exc).__name__}: {exc})."
            QMessageBox.critical(None, APP_NAME, message)
            self.app.exit(1)

    def _install(self, journal: Journal) -> None:
        from journal.ui.bridge import JournalSignals

        self.journal = journal
        self.signals = JournalSignals(journal)
        if self.window is None:
            self.window = MainWindow(journal, self.signals, self.settings, self.errors,
                                     self._show_about, reopen_place=not self.launch_opens_review)
            self.window.show()
        else:
            self.window.attach(journal, self.signals)
        self.launch_opens_review = False  # journals opened later reopen their last place
        self.launch_review = None
        self.window.reopen_last_place = True
        self.errors.parent_widget = self.window
        self.window.open_journal_requested.connect(self._choose_journal)
        self.window.sample_requested.connect(self.open_sample)
        # The integrity check reads the whole file (a core for a second on a large journal):
        # it waits until what the user opened the app for is on screen.
        QTimer.singleShot(VERIFY_AFTER_MS, self._start_verification)
        from journal.ui import module_sources

        module_sources.forget()  # the opening's imports are done (see module_sources)
        ready, self._when_open = self._when_open, []
        for callback in ready:
            callback()

    def when_open(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the journal is open in the window (at once if it is)."""
        if self.window is not None and self.window.attached:
            callback()
        else:
            self._when_open.append(callback)

    def _show_about(self, parent: QWidget) -> None:
        from journal.ui.about import show_about

        show_about(parent, str(self.journal.path) if self.journal else "")

    def _close_current(self) -> None:
        self.errors.parent_widget = None
        if self._first is not None:  # closed before its full opening: give the lock back
            self._first.release()
            self._first = None
        if self.window is not None:
            self.window.reviews_page.flush()  # what was typed is saved before the journal closes
            self.window.save_state()
            self.window.hide()
        self._stop_work()
        if self.window is not None:
            self.window.deleteLater()
            self.window = None
        if self.signals is not None:
            self.signals.detach()
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def _start_verification(self) -> None:
        """``PRAGMA quick_check`` reads the whole file: run it on a worker once the window is
        open (``VERIFY_AFTER_MS``). If the journal is damaged, close it, move it aside and
        offer the newest backup; otherwise go on with the periodic backup."""
        from journal.store.connection import QuickCheck

        journal = self.journal
        if journal is None:
            return
        path = journal.path
        probe = self._probe = QuickCheck(path)
        self._run(lambda token: probe.run(),
                  lambda problem: self._verified(journal, path, problem))

    def _verified(self, journal: Journal, path: Path, problem: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        from journal.store.connection import INTERRUPTED, handle_damage

        if problem == INTERRUPTED:
            return
        if problem == "ok":
            if journal is self.journal and not journal.read_only:
                self._run(lambda token: journal.rotate_backups(), None,
                          "The periodic backup failed")
            return
        if journal is self.journal:
            self._close_current()
        try:
            handle_damage(path, problem)
        except JournalCorrupt as exc:
            restored = restore_offered(exc, path, self.ask)
            if not restored:
                QMessageBox.warning(None, APP_NAME, exc.message + "\n\nA new, empty journal "
                                    "opens in its place; the damaged file is kept.")
        self.open_journal(path)

    def _run(self, fn: Callable[[Any], object], done: Callable[[Any], None] | None,
             failure: str = "Something went wrong") -> None:
        from journal.ui.bridge import Worker

        worker = Worker(fn)
        self._workers.append(worker)

        def finished(result: object) -> None:
            self._workers.remove(worker)
            if done is not None:
                done(result)

        def failed(exc: object) -> None:
            self._workers.remove(worker)
            self.errors.report(exc, failure)  # type: ignore[arg-type]

        worker.finished.connect(finished)
        worker.failed.connect(failed)
        worker.start()

    def _choose_journal(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getOpenFileName(self.window, "Open Journal", str(data_dir()),
                                              "Eyelights journals (*.eyelights *.db);;All (*)")
        if name:
            self.open_journal(Path(name))

    def open_sample(self) -> None:
        from journal.core.journal import Journal
        from journal.core.sample import load_sample

        path = data_dir() / "sample.eyelights"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with Journal.open(path) as journal:
                if journal.is_empty():
                    load_sample(journal)
        except EyelightsError as exc:
            self.errors.report(exc, "The sample journal could not be opened")
            return
        self.open_journal(path)

    def listen(self, path: Path) -> None:
        """Be the instance later launches on this journal talk to (once)."""
        from journal.ui.instance_server import InstanceServer

        if self.instance_server is not None:
            return
        self.instance_server = InstanceServer(path)
        self.instance_server.message.connect(self.handle_message)
        self.instance_server.listen()

    def handle_message(self, message: dict) -> None:
        window = self.window
        if window is None:
            return
        if message.get("activate"):
            from PySide6.QtCore import Qt  # not at start-up (see roles.py)

            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
            window.show()
            window.raise_()
            window.activateWindow()
        target = str(message.get("open") or "")
        kind, _, ident = target.partition(":")
        if kind in ("review", "film", "person") and ident.isdigit():
            # the pages exist once the journal is open (a launch may come during start-up)
            self.when_open(lambda: self.window.navigate(kind, int(ident)) if self.window
                           else None)

    def _stop_work(self) -> None:
        """Cancel the slow work on the journal in hand (the integrity check, the window's
        imports, catalogue runs, saves on a worker) and wait for it: none may write into a
        journal once it is closed and its lock given back."""
        from journal.ui.bridge import Worker

        if self._probe is not None:
            self._probe.interrupt()
        workers = list(self._workers)
        if self.window is not None:
            workers += self.window.findChildren(Worker)
        for worker in workers:
            worker.cancel()
        QThreadPool.globalInstance().waitForDone(30_000)

    def shutdown(self) -> None:
        """On quit: what was typed saved, slow work stopped and waited for (it may be
        writing), then the journal closed (``_close_current``)."""
        self._close_current()


def forward_patiently(path: Path, message: dict, seconds: float = 3.0) -> dict | None:
    """``forward`` to a running instance; when nobody answers but the journal's lock is taken,
    an instance may be starting (it listens once its window is painted): ask again for a while
    before going on (then the lock's holder is told of, and read-only offered)."""
    from journal.store.lock import JournalLock

    reply = forward(path, message)
    deadline = time.monotonic() + seconds
    while reply is None and time.monotonic() < deadline and JournalLock(path).held_elsewhere():
        time.sleep(0.1)
        reply = forward(path, message)
    return reply


def _report(what: str) -> None:
    """For benches/bench_startup.py: the wall-clock time and the process's CPU time so far."""
    print(f"{what} {time.time():.6f} {time.process_time() * 1000:.1f}", flush=True)


def _smoke_test(controller: AppController) -> None:
    """``--smoke-test``: once the journal is open, show every page once (so that a bundle
    missing a module fails here), then quit with the usual exit code."""
    window = controller.window
    if controller.report_times:
        _report("ready")
    elif window is not None:
        for spec in PAGES:
            window.show_page(spec.key)
            QApplication.processEvents()
    QApplication.quit()


def run(args: argparse.Namespace) -> int:
    app = create_application(sys.argv[:1])
    controller = AppController(app)
    if str(controller.settings.value("appearance/theme", "system")) != "system":
        from journal.ui.theme import apply_saved  # names Qt enums: only for a chosen theme

        apply_saved(controller.settings)
    controller.errors.install_excepthook()
    # benches: print when the window is shown, painted, ready (and a review's preview drawn)
    controller.report_times = bool(os.environ.get("EYELIGHTS_REPORT_SHOWN"))
    path, is_default = resolve_journal_path(args.journal)
    if not args.read_only:
        reply = forward_patiently(path, {"activate": True, "open": args.open})
        if reply is not None:
            print("Eyelights is already running on this journal: its window was brought to "
                  "the front.")
            return 0
        controller.listen_to = path
    controller.launch_opens_review = str(args.open or "").startswith("review:")
    if controller.launch_opens_review and str(args.open)[7:].isdigit():
        controller.launch_review = int(str(args.open)[7:])
    if not controller.open_journal(path, read_only=args.read_only, create_folder=is_default):
        return 1
    app.aboutToQuit.connect(controller.shutdown)
    controller.when_open(lambda: set_window_icon(app))
    if not args.read_only:
        controller.when_open(lambda: controller.listen(path))  # if not already (first look)
    if args.open:
        controller.when_open(lambda: controller.handle_message({"activate": True,
                                                                "open": args.open}))
    if controller.report_times and str(args.open).startswith("review:"):
        from journal.ui.timing import watch_preview  # benches: launch to the preview drawn

        then = QApplication.quit if args.smoke_test else (lambda: None)
        # "preview" once the review's page is drawn (its kept page, or its first rendering),
        # then "editor" once the editor shows it too
        controller.when_open(lambda: watch_preview(controller.window, then))
    elif args.smoke_test:
        # after the first paint and the second step of opening
        controller.when_open(lambda: QTimer.singleShot(0, lambda: _smoke_test(controller)))
    return app.exec()
