"""Application start-up: QApplication, opening the journal with recovery, the main window."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from journal import APP_ID, APP_NAME, ORG_NAME, __version__
from journal.core.journal import Journal
from journal.errors import EyelightsError, JournalCorrupt, JournalLocked, JournalReadOnly
from journal.paths import data_dir, resolve_journal_path
from journal.store.backup import restore_backup
from journal.store.connection import INTERRUPTED, QuickCheck, handle_damage
from journal.ui.about import show_about
from journal.ui.bridge import JournalSignals, Worker
from journal.ui.errors import ErrorReporter
from journal.ui.icons import app_icon
from journal.ui.mainwindow import PAGES, MainWindow
from journal.ui.single_instance import InstanceServer, forward

log = logging.getLogger(__name__)

#: ask(kind, message) -> bool: the user's answer to a recovery question.
Ask = Callable[[str, str], bool]


def open_with_recovery(path: Path, ask: Ask, *, read_only: bool = False,
                       create_folder: bool = False, verify: bool = True) -> Journal:
    """Open a journal; on a known problem ask the user what to do (read-only, restore a backup).

    Raises the typed error when the user declines or nothing can be done.
    """
    try:
        return Journal.open(path, read_only=read_only, create_folder=create_folder,
                            verify=verify)
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
    app.setWindowIcon(app_icon())
    return app  # type: ignore[return-value]


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
        self._probe: QuickCheck | None = None

    def ask(self, kind: str, message: str) -> bool:
        answer = QMessageBox.question(self.window, APP_NAME, message)
        return answer == QMessageBox.StandardButton.Yes

    def open_journal(self, path: Path, *, read_only: bool = False,
                     create_folder: bool = False) -> bool:
        try:
            journal = open_with_recovery(path, self.ask, read_only=read_only,
                                         create_folder=create_folder, verify=False)
        except EyelightsError as exc:
            self.errors.report(exc, "The journal could not be opened")
            if self.window is None:
                QMessageBox.critical(None, APP_NAME, exc.message)
            return False
        self._close_current()
        self.journal = journal
        self.signals = JournalSignals(journal)
        self.window = MainWindow(journal, self.signals, self.settings, self.errors,
                                 lambda parent: show_about(parent, str(journal.path)))
        self.errors.parent_widget = self.window
        self.window.open_journal_requested.connect(self._choose_journal)
        self.window.sample_requested.connect(self.open_sample)
        self.window.show()
        self._start_verification()
        return True

    def _close_current(self) -> None:
        if self.window is not None:
            self.window.save_state()
            self.window.hide()
            self.window.deleteLater()
            self.window = None
        if self.signals is not None:
            self.signals.detach()
        if self.journal is not None:
            self.journal.close()
            self.journal = None

    def _start_verification(self) -> None:
        """``PRAGMA quick_check`` reads the whole file: run it on a worker while the window
        opens. If the journal is damaged, close it, move it aside and offer the newest backup;
        otherwise go on with the periodic backup."""
        journal = self.journal
        if journal is None:
            return
        path = journal.path
        probe = self._probe = QuickCheck(path)
        self._run(lambda token: probe.run(),
                  lambda problem: self._verified(journal, path, problem))

    def _verified(self, journal: Journal, path: Path, problem: str) -> None:
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
        name, _ = QFileDialog.getOpenFileName(self.window, "Open Journal", str(data_dir()),
                                              "Eyelights journals (*.eyelights *.db);;All (*)")
        if name:
            self.open_journal(Path(name))

    def open_sample(self) -> None:
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
        """Be the instance later launches on this journal talk to."""
        self.instance_server = InstanceServer(path)
        self.instance_server.message.connect(self.handle_message)
        self.instance_server.listen()

    def handle_message(self, message: dict) -> None:
        window = self.window
        if window is None:
            return
        if message.get("activate"):
            window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
            window.show()
            window.raise_()
            window.activateWindow()
        target = str(message.get("open") or "")
        kind, _, ident = target.partition(":")
        if kind in ("review", "film", "person") and ident.isdigit():
            window.navigate(kind, int(ident))

    def shutdown(self) -> None:
        """On quit: stop slow work, wait for it (it may be writing), then close the journal."""
        if self._probe is not None:
            self._probe.interrupt()
        for worker in list(self._workers):
            worker.cancel()
        QThreadPool.globalInstance().waitForDone(30_000)
        self._close_current()


def _smoke_test(controller: AppController) -> None:
    """``--smoke-test``: after the first paint, show every page once (so that a bundle missing
    a module fails here), then quit with the usual exit code."""
    if os.environ.get("EYELIGHTS_REPORT_SHOWN"):  # for benches/bench_startup.py
        print(f"shown {time.time():.6f}", flush=True)
    window = controller.window
    if window is not None and not os.environ.get("EYELIGHTS_REPORT_SHOWN"):
        for spec in PAGES:
            window.show_page(spec.key)
            QApplication.processEvents()
    QApplication.quit()


def run(args: argparse.Namespace) -> int:
    app = create_application(sys.argv[:1])
    controller = AppController(app)
    controller.errors.install_excepthook()
    path, is_default = resolve_journal_path(args.journal)
    if not args.read_only:
        reply = forward(path, {"activate": True, "open": args.open})
        if reply is not None:
            print("Eyelights is already running on this journal: its window was brought to "
                  "the front.")
            return 0
        controller.listen(path)
    if not controller.open_journal(path, read_only=args.read_only, create_folder=is_default):
        return 1
    app.aboutToQuit.connect(controller.shutdown)
    if args.open:
        controller.handle_message({"activate": True, "open": args.open})
    if args.smoke_test:
        QTimer.singleShot(0, lambda: _smoke_test(controller))  # runs after the first paint
    return app.exec()


