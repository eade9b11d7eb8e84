"""The export command follows the print preferences, and its own options override them."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from journal.cli import main
from journal.core.journal import Journal
from journal.core.sample import load_sample

pytestmark = [pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="needs poppler-utils"),
              pytest.mark.usefixtures("qapp")]  # a QApplication before the CLI makes a QGuiApplication


@pytest.fixture
def sample_path(tmp_path):
    path = tmp_path / "s.eyelights"
    with Journal.open(path) as journal:
        load_sample(journal)
    return path


def _page_size(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return next(line for line in info.splitlines() if line.startswith("Page size:"))


def test_page_size_and_margins_from_the_command_line(sample_path, tmp_path, capsys):
    out = tmp_path / "general.pdf"
    code = main(["export", "The General", "--format", "pdf", "-o", str(out), "--journal",
                 str(sample_path), "--page-size", "Letter", "--margins", "30"])
    assert code == 0, capsys.readouterr().err
    assert "612 x 792" in _page_size(out)


def test_print_preferences_apply_when_the_command_line_says_nothing(sample_path, tmp_path,
                                                                     capsys):
    from PySide6.QtCore import QSettings

    from journal import APP_NAME, ORG_NAME

    settings = QSettings(ORG_NAME, APP_NAME)
    settings.setValue("print/pageSize", "Letter")
    settings.sync()
    try:
        out = tmp_path / "nosferatu.pdf"
        assert main(["export", "Nosferatu", "-o", str(out), "--journal", str(sample_path)]) == 0
        assert "612 x 792" in _page_size(out)
    finally:
        settings.remove("print/pageSize")
        settings.sync()


def test_bad_margins_are_one_line_and_exit_2(sample_path, tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["export", "1", "-o", str(tmp_path / "x.pdf"), "--journal", str(sample_path),
              "--margins", "2"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "margin" in err.lower()
    assert not (tmp_path / "x.pdf").exists()
