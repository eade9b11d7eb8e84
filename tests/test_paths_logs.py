"""Where the journal and the log live, and the log's rotation."""

from __future__ import annotations

import logging

import platformdirs
import pytest

from journal import APP_NAME
from journal.logsetup import rotate
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


def test_the_log_is_rotated_when_a_session_starts_over_the_limit(tmp_path):
    log = tmp_path / "eyelights.log"
    rotate(log, max_bytes=10)  # nothing there yet: nothing happens
    assert list(tmp_path.iterdir()) == []
    for session in range(5):
        log.write_text(f"session {session} " * 4)
        rotate(log, max_bytes=10, keep=3)
    assert not log.exists()
    kept = {p.name: p.read_text().split()[1] for p in tmp_path.iterdir()}
    assert kept == {"eyelights.log.1": "4", "eyelights.log.2": "3", "eyelights.log.3": "2"}
    log.write_text("small")
    rotate(log, max_bytes=10, keep=3)
    assert log.read_text() == "small"  # under the limit: kept as it is


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
