"""Where the journal and the log live, and the log's rotation."""

from __future__ import annotations

import logging

import platformdirs
import pytest

from journal import APP_NAME
from journal.logsetup import LazyRotatingFileHandler
from journal.paths import data_dir, log_dir, resolve_journal_path


@pytest.mark.parametrize("data_home, state_home", [
    (None, None), ("/srv/data", "/srv/state"), ("   ", ""), ("relative/data", "rel/state"),
])
def test_folders_are_the_ones_platformdirs_gives(monkeypatch, data_home, state_home):
    for variable, value in (("XDG_DATA_HOME", data_home), ("XDG_STATE_HOME", state_home)):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert str(data_dir()) == platformdirs.user_data_dir(APP_NAME, appauthor=False)
    assert str(log_dir()) == platformdirs.user_log_dir(APP_NAME, appauthor=False)


def test_journal_path_order_flag_then_environment_then_default(monkeypatch, tmp_path):
    monkeypatch.setenv("EYELIGHTS_JOURNAL", str(tmp_path / "env.eyelights"))
    assert resolve_journal_path(str(tmp_path / "flag.eyelights")) == (tmp_path / "flag.eyelights",
                                                                      False)
    assert resolve_journal_path(None) == (tmp_path / "env.eyelights", False)
    monkeypatch.delenv("EYELIGHTS_JOURNAL")
    assert resolve_journal_path(None) == (data_dir() / "journal.eyelights", True)


def test_the_log_file_rotates_and_is_opened_only_when_something_is_logged(tmp_path):
    log = tmp_path / "logs" / "eyelights.log"
    handler = LazyRotatingFileHandler(log, max_bytes=200, keep=2)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("journal.test.rotation")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        assert not log.parent.exists()  # nothing logged: no folder, no file
        for n in range(40):
            logger.warning("record %02d %s", n, "x" * 20)
        handler.flush()
        kept = sorted(p.name for p in log.parent.iterdir())
        assert kept == ["eyelights.log", "eyelights.log.1", "eyelights.log.2"]
        assert all(p.stat().st_size <= 200 for p in log.parent.iterdir())
        assert "record 39" in log.read_text()
    finally:
        logger.removeHandler(handler)
        handler.close()


def test_an_unwritable_log_folder_never_breaks_logging(tmp_path, lock_folder):
    folder = tmp_path / "ro"
    folder.mkdir()
    handler = LazyRotatingFileHandler(folder / "sub" / "eyelights.log")
    logger = logging.getLogger("journal.test.unwritable")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with lock_folder(folder):
            logger.error("nowhere to go")  # must not raise
            logger.error("still nothing")
        assert not (folder / "sub").exists()
    finally:
        logger.removeHandler(handler)
        handler.close()


@pytest.mark.expect_log("a warning for the log")
def test_setup_logging_writes_records_to_the_log_file(tmp_path, monkeypatch):
    import journal.logsetup as logsetup

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    monkeypatch.setattr(logsetup, "_configured", False)
    root = logging.getLogger("journal")
    before = list(root.handlers)
    try:
        logsetup.setup_logging()
        logging.getLogger("journal.test").warning("a warning for the log")
        for handler in root.handlers:
            handler.flush()
        assert "a warning for the log" in logsetup.log_file().read_text(encoding="utf-8")
        assert logsetup.log_file().is_relative_to(tmp_path)
    finally:
        for handler in root.handlers[len(before):]:
            root.removeHandler(handler)
            handler.close()
