"""Test-wide setup: offscreen Qt, isolated settings and the shared test data folder."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

# Qt must never look for a real display in tests.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

ROOT = Path(__file__).resolve().parent.parent
SHARED_TESTDATA = ROOT.parent / "shared" / "testdata"
# The tests' helper modules (export_helpers, publish_helpers, …) are imported by name: pytest's
# importlib mode puts no test folder on the path by itself.
if str(Path(__file__).parent) not in sys.path:
    sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture
def shared_testdata() -> Path:
    """The real WordPress and Letterboxd exports in ../shared/testdata (skip when absent)."""
    if not SHARED_TESTDATA.is_dir():
        pytest.skip(f"shared test data not found at {SHARED_TESTDATA}")
    return SHARED_TESTDATA


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep QSettings, XDG folders and the default journal out of the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.delenv("EYELIGHTS_JOURNAL", raising=False)
    yield


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "test.eyelights"


@pytest.fixture
def journal(journal_path):
    from journal.core.journal import Journal

    j = Journal.open(journal_path)
    yield j
    j.close()


@contextmanager
def _locked(folder: Path):
    if os.geteuid() == 0:
        # root ignores permission bits; the immutable attribute stops even root.
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot make an unwritable folder as root here: {done.stderr!r}")
        try:
            yield folder
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield folder
        finally:
            folder.chmod(0o755)


@pytest.fixture
def lock_folder():
    """``with lock_folder(path):`` makes a folder nobody may write into, for the block."""
    return _locked


@pytest.fixture(autouse=True)
def _empty_clipboard_after_test():
    """Qt's offscreen platform crashes at exit when the clipboard still holds data set from
    Python (seen with PySide6 6.11: segfault after all tests passed); the real X11 and Wayland
    platforms do not. Empty it after each test that may have used it."""
    yield
    qtgui = sys.modules.get("PySide6.QtGui")
    if qtgui is not None and qtgui.QGuiApplication.instance() is not None:
        qtgui.QGuiApplication.clipboard().clear()


@pytest.fixture
def env(journal, qtbot):
    """(journal, signals, errors) for a page under test; errors never open a dialog."""
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter

    signals = JournalSignals(journal)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    yield journal, signals, errors
    signals.detach()


@pytest.fixture
def reviews_page(env, qtbot):
    """``reviews_page(width, height)``: a shown Reviews page on ``env``'s journal; what it holds
    is saved at teardown."""
    from journal.ui.pages.reviews import ReviewsPage

    made = []

    def make(width: int = 1100, height: int = 700):
        page = ReviewsPage(*env)
        qtbot.addWidget(page)
        page.resize(width, height)
        page.show()
        made.append(page)
        return page

    yield make
    for page in made:
        page.flush()


# --- film metadata (issue 17): no test may reach Wikidata, Commons or TMDb, nor a real keyring
_CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, a stray request fails at once


@pytest.fixture(autouse=True)
def _no_metadata_services(monkeypatch):
    for name, path in (("EYELIGHTS_WIKIDATA_API", "/w/api.php"), ("EYELIGHTS_TMDB_API", "/3"),
                       ("EYELIGHTS_TMDB_IMAGES", "/t/p/"),
                       ("EYELIGHTS_COMMONS_FILES", "/wiki/Special:FilePath/")):
        monkeypatch.setenv(name, _CLOSED + path)
    monkeypatch.delenv("EYELIGHTS_TMDB_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    yield


def _load_helpers(name: str):
    import importlib

    return importlib.import_module(name)


@pytest.fixture
def metadata_server(monkeypatch):
    """The local Wikidata/Commons/TMDb stand-in (tests/metadata_helpers.py), already pointed to
    by the EYELIGHTS_* variables; ``.faults``, ``.requests``, ``.paths()``."""
    server = _load_helpers("metadata_helpers").MetadataServer().start()
    for key, value in server.environ().items():
        monkeypatch.setenv(key, value)
    yield server
    server.stop()


@pytest.fixture
def metadata_helpers():
    """tests/metadata_helpers.py (Fault, MetadataServer, SyntheticTmdb, …)."""
    return _load_helpers("metadata_helpers")
# ---------------------------------------------------------------- a real WordPress (issue 18)
def _wordpress_helpers():
    return _load_helpers("wordpress_site")


@pytest.fixture(scope="session")
def wordpress_site(tmp_path_factory):
    """A real WordPress served on 127.0.0.1 for the whole session (skips where it cannot be
    installed); stopped, workers and database included, at the end."""
    helpers = _wordpress_helpers()
    site = helpers.WordPressSite(tmp_path_factory.mktemp("wordpress"), helpers.free_port())
    try:
        site.start()
    except helpers.Unavailable as exc:
        pytest.skip(f"no WordPress here: {exc}")
    yield site
    site.stop()


@pytest.fixture
def memory_keyring():
    """A system keyring the test controls (secrets in memory), for the length of the test."""
    import keyring

    before = keyring.get_keyring()
    backend = _wordpress_helpers().MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


# --- mutation testing (issue 16): tests that need a QApplication are marked "qt" ----------------
# ``make mutation`` runs the others: journal/core and journal/store are Qt-free and tested so.
def pytest_collection_modifyitems(config, items):
    qt = pytest.mark.qt
    for item in items:
        if "qapp" in getattr(item, "fixturenames", ()):  # qtbot, env, reviews_page… use it
            item.add_marker(qt)


# --- log-fail (issue 16, after qutebrowser's logfail) -------------------------------------------
# A WARNING (or worse) logged during a test fails it, and so does any error shown to the user:
# the ErrorReporter logs what it shows as a WARNING, and a QMessageBox.warning/critical is
# logged here (answered Ok, never blocking). A test that means to provoke one declares it:
# ``expect_log("regex", …)`` (a fixture) or ``@pytest.mark.expect_log("regex", …)``; each
# expected pattern must then be seen at least once.
class _LogFail(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        self.expected: list[re.Pattern[str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self, record: logging.LogRecord) -> str:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        return f"{record.levelname} {record.name}: {text}"


@pytest.fixture(autouse=True)
def _logfail(request, monkeypatch):
    handler = _LogFail()
    for marker in request.node.iter_markers("expect_log"):
        handler.expected.extend(re.compile(p) for p in marker.args)
    root = logging.getLogger()
    root.addHandler(handler)
    widgets = sys.modules.get("PySide6.QtWidgets")
    if widgets is not None:
        box = widgets.QMessageBox
        shown = logging.getLogger("tests.message_box")
        for name in ("warning", "critical"):
            def answer(parent=None, title="", text="", *args, _name=name, **kwargs):
                shown.warning("QMessageBox.%s shown: %s: %s", _name, title, text)
                return box.StandardButton.Ok
            monkeypatch.setattr(box, name, staticmethod(answer))
    yield handler
    root.removeHandler(handler)
    texts = [handler.text(r) for r in handler.records]
    unexpected = [t for t in texts if not any(p.search(t) for p in handler.expected)]
    unseen = [p.pattern for p in handler.expected if not any(p.search(t) for t in texts)]
    if unexpected or unseen:
        lines = [f"unexpected: {t}" for t in unexpected] + [
            f"expected but never logged: {p}" for p in unseen]
        pytest.fail("log-fail (tests/conftest.py):\n" + "\n".join(lines), pytrace=False)


@pytest.fixture
def expect_log(_logfail):
    """``expect_log("pattern", …)``: these WARNINGs (or errors shown) are part of the test."""
    def expect(*patterns: str) -> None:
        _logfail.expected.extend(re.compile(p) for p in patterns)
    return expect


# ---------------------------------------------------------------- the main window, as shown
@pytest.fixture
def open_window(qtbot, tmp_path):
    """``open_window(journal, size=(900, 600), signals=None, errors=None, settings=None)``: the
    main window as the user meets it — shown, exposed and active — with settings of its own and
    errors reported without dialogs; its change signals are detached after the test (after the
    test's own fixture has finished with the window)."""
    made = []

    def open_(journal, size=(900, 600), *, signals=None, errors=None, settings=None):
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from journal.ui.bridge import JournalSignals
        from journal.ui.errors import ErrorReporter
        from journal.ui.mainwindow import MainWindow

        if errors is None:
            errors = ErrorReporter()
            errors.dialogs_enabled = False
        if signals is None:
            signals = JournalSignals(journal)
            made.append(signals)
        if settings is None:
            settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(journal, signals, settings, errors, lambda parent: None)
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        qtbot.waitExposed(win)
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
        win.test_signals = signals
        return win

    yield open_
    for signals in made:
        signals.detach()
