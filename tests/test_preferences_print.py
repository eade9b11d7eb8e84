"""Print settings chosen in Preferences reach Export PDF, Print… and Booklet (read with poppler)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtWidgets import QWidget

from journal.core import preferences as prefs
from journal.core.preferences import PrintPreferences
from journal.errors import ValidationError
from journal.printing import PrintSettings, saved_print_settings
from journal.ui.errors import ErrorReporter
from journal.ui.export_actions import ExportActions
from journal.ui.preferences import PreferencesDialog

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs poppler-utils (pdftotext, pdfinfo)")

MM = 72 / 25.4  # PDF points per millimetre


def pdftext(path: Path, page: int) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-f", str(page), "-l", str(page),
                          str(path), "-"], check=True, capture_output=True, text=True).stdout
    return [line.strip() for line in out.splitlines() if line.strip()]


def pdfinfo(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True,
                         text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def words(path: Path, page: int) -> list[tuple[float, float, str]]:
    """(x, y) of the top-left corner and text of every word on the page, in points."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path),
                          "-"], check=True, capture_output=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)
    return [(float(x), float(y), text) for x, y, text in found]


def line_at(path: Path, page: int, y_mm: float) -> str:
    """The words whose tops lie at ``y_mm`` from the top of the page."""
    return " ".join(t for _x, y, t in words(path, page) if abs(y - y_mm * MM) < 1.5)


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "eyelights.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def acts(qtbot, journal, settings):
    window = QWidget()
    qtbot.addWidget(window)
    errors = ErrorReporter(window)
    errors.dialogs_enabled = False
    return ExportActions(journal, errors, lambda: None, window, settings)


@pytest.fixture
def long_review(journal):
    from journal.core.synthetic import review_body

    film = journal.films.create("Le Samouraï", 1967, directors=["Jean-Pierre Melville"])
    return journal.reviews.create(film.id, review_body(3, 9_000), score="9").id


def _choose_in_dialog(qtbot, settings, *, header: bool) -> None:
    """Letter paper and 30 mm margins, chosen the way a user does, in the Preferences dialog."""
    dialog = PreferencesDialog(settings)
    qtbot.addWidget(dialog)
    box = dialog.print_options
    box.page.setCurrentText("Letter")
    for edit in box.margins.values():
        edit.setText("30")
    box.header.setChecked(header)
    box.footer.setChecked(True)
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted


def test_pdf_follows_letter_and_30_mm_with_header_and_footer(qtbot, acts, settings,
                                                            long_review, tmp_path):
    _choose_in_dialog(qtbot, settings, header=True)
    out = acts.export_to("pdf", long_review, tmp_path / "samourai.pdf")  # no explicit settings
    assert out is not None
    info = pdfinfo(out)
    assert "612 x 792 pts" in info["Page size"]  # Letter
    pages = int(info["Pages"])
    assert pages >= 2
    assert min(x for x, _y, _t in words(out, 2)) == pytest.approx(30 * MM, abs=1.5)
    for page in (1, 2, pages):
        assert line_at(out, page, 30) == "Le Samouraï (1967)"  # the header, at the top margin
        lines = pdftext(out, page)
        assert re.fullmatch(rf"{page} ?/ ?{pages}", lines[-1])  # the footer: page / pages


def test_header_off_leaves_no_title_line(qtbot, acts, settings, long_review, tmp_path):
    _choose_in_dialog(qtbot, settings, header=False)
    out = acts.export_to("pdf", long_review, tmp_path / "plain.pdf")
    assert out is not None
    lines = pdftext(out, 2)
    assert not any("Samouraï" in line for line in lines)  # no header on a body-only page
    tops = [y for _x, y, _t in words(out, 2) if y >= 30 * MM - 1]
    assert min(tops) < 30 * MM + 8  # the body moves up to the top margin
    assert re.fullmatch(r"2 ?/ ?\d+", lines[-1])  # the footer is still there
    prefs.save_print(settings, PrintPreferences(header=False, footer=False))
    out = acts.export_to("pdf", long_review, tmp_path / "bare.pdf")
    assert out is not None
    assert "595" in pdfinfo(out)["Page size"]  # back to A4
    assert not re.fullmatch(r"\d+ ?/ ?\d+", pdftext(out, 2)[-1])


def test_print_preview_and_booklet_use_the_preferences(qtbot, acts, settings, long_review,
                                                       journal, tmp_path):
    prefs.save_print(settings, PrintPreferences("Letter", (30, 25, 30, 25)))
    dialog = acts.preview_dialog(long_review)
    qtbot.addWidget(dialog)
    assert acts._preview is not None
    layout = acts._preview[1].pageLayout()
    assert layout.pageSize().id() == QPageSize.PageSizeId.Letter
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    assert (round(margins.left()), round(margins.top())) == (30, 25)
    worker = acts.start_booklet(tmp_path / "b.pdf", [long_review])
    with qtbot.waitSignal(worker.finished, timeout=20_000) as blocker:
        pass
    assert blocker.args[0].path is not None
    assert "612 x 792 pts" in pdfinfo(tmp_path / "b.pdf")["Page size"]


def test_print_settings_refuse_bad_values_and_convert_both_ways(settings):
    with pytest.raises(ValidationError, match="top margin"):
        PrintSettings(margins_mm=(20, 60, 20, 20))
    with pytest.raises(ValidationError, match="A4 or Letter"):
        PrintSettings(page_size="A5")
    chosen = PrintPreferences("Letter", (30, 30, 30, 30), header=False, comments=True)
    made = PrintSettings.from_preferences(chosen, author="Zoé")
    assert made.to_preferences() == chosen and made.author == "Zoé"
    prefs.save_print(settings, chosen)
    assert saved_print_settings(settings, spoilers=False) == \
        PrintSettings.from_preferences(chosen, spoilers=False)
