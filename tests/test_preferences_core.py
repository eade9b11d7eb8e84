"""The Qt-free preferences: validation, lenient reading, all-or-nothing saving."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from journal.core import preferences as prefs
from journal.core.preferences import Preferences, PrintPreferences
from journal.core.render import DEFAULT_REVIEW_TEMPLATE
from journal.errors import ValidationError


class MemoryStore:
    """A dict with QSettings' three methods (the command line can use one like it)."""

    def __init__(self, values: dict[str, object] | None = None) -> None:
        self.values = dict(values or {})

    def value(self, key: str, default: object = None) -> object:
        return self.values.get(key, default)

    def setValue(self, key: str, value: object) -> None:  # noqa: N802
        self.values[key] = value

    def remove(self, key: str) -> None:
        self.values.pop(key, None)


@pytest.mark.parametrize(("given", "expected"), [
    ("5", 5.0), ("50", 50.0), ("12,5", 12.5), (" 30 ", 30.0), (20, 20.0), (17.25, 17.2)])
def test_margins_in_range_are_accepted(given, expected):
    assert prefs.validate_margin(given) == expected


@pytest.mark.parametrize("given", ["4.9", "50.1", "-10", "", "abc", "nan", "inf", None, True,
                                   "1e3"])
def test_margins_out_of_range_or_not_numbers_are_refused(given):
    with pytest.raises(ValidationError) as info:
        prefs.validate_margin(given, "top")
    assert info.value.field == "margin_top"
    assert "top margin" in info.value.message and "5 to 50" in info.value.message


def test_parse_margins_for_the_command_line():
    assert prefs.parse_margins("25") == (25.0, 25.0, 25.0, 25.0)
    assert prefs.parse_margins("10, 15,20,25") == (10.0, 15.0, 20.0, 25.0)
    with pytest.raises(ValidationError, match="four"):
        prefs.parse_margins("10,15")
    with pytest.raises(ValidationError, match="right margin"):
        prefs.parse_margins("10,15,99,25")


def test_other_validators():
    assert prefs.validate_page_size("letter") == "Letter"
    assert prefs.validate_language("fr") == "fr"
    assert prefs.validate_template("a\r\nb\rc\x00") == "a\nb\nc"
    assert prefs.validate_template("") == ""
    for check, bad in ((prefs.validate_page_size, "A5"), (prefs.validate_theme, "dark"),
                       (prefs.validate_language, "xx"), (prefs.validate_template, 3),
                       (prefs.validate_template, "x" * (prefs.TEMPLATE_MAX_CHARS + 1)),
                       (prefs.to_bool, "maybe")):
        with pytest.raises(ValidationError):
            check(bad)


def test_an_empty_store_gives_the_defaults():
    loaded = prefs.load(MemoryStore())
    assert loaded == Preferences()
    assert loaded.template == DEFAULT_REVIEW_TEMPLATE and loaded.spell_language == "en"
    assert loaded.printing.page_size == "A4" and loaded.printing.header
    assert prefs.load_template(None) == DEFAULT_REVIEW_TEMPLATE
    assert prefs.load_language(None) == "en"


def test_save_then_load_round_trips_under_clear_keys():
    store = MemoryStore()
    chosen = Preferences("## Notes\n\n— *Le Samouraï* 🎬\n", "fr",
                         PrintPreferences("Letter", (30, 30, 30, 25.5), header=False,
                                          footer=True, spoilers=False, comments=True,
                                          theme="light"))
    saved = prefs.save(store, chosen)
    assert saved.printing.margins_mm == (30.0, 30.0, 30.0, 25.5)
    assert store.values[prefs.KEY_TEMPLATE] == chosen.template
    assert store.values["print/pageSize"] == "Letter"
    assert store.values["print/marginBottomMm"] == 25.5
    assert store.values["editor/spellLanguage"] == "fr"
    assert prefs.load(store) == saved


def test_values_read_back_as_text_from_an_ini_file_are_understood():
    store = MemoryStore({"print/header": "false", "print/comments": "true",
                         "print/marginLeftMm": "35", "print/pageSize": "Letter"})
    printing = prefs.load_print(store)
    assert (printing.header, printing.comments, printing.margins_mm[0], printing.page_size) == \
        (False, True, 35.0, "Letter")


@pytest.mark.expect_log(r"Preference print/marginTopMm ignored", r"Preference print/pageSize ignored",
                        r"Preference print/footer ignored", r"editor/spellLanguage ignored")
def test_junk_in_the_store_falls_back_per_value(caplog):
    store = MemoryStore({"print/marginTopMm": "900", "print/pageSize": "A3",
                         "print/footer": "sometimes", "editor/spellLanguage": "tlh",
                         "print/marginLeftMm": "42"})
    with caplog.at_level(logging.WARNING, logger="journal.core.preferences"):
        printing = prefs.load_print(store)
        language = prefs.load_language(store)
    assert printing.margins_mm == (42.0, 18.0, 20.0, 18.0)
    assert printing.page_size == "A4" and printing.footer is True and language == "en"
    assert "print/marginTopMm" in caplog.text and "print/pageSize" in caplog.text
    assert "(The top margin must be a number of millimetres from 5 to 50.)" in caplog.text


def test_a_refused_value_stores_nothing():
    store = MemoryStore()
    bad = Preferences("my template", "fr", PrintPreferences(margins_mm=(20, 20, 2, 20)))
    with pytest.raises(ValidationError) as info:
        prefs.save(store, bad)
    assert info.value.field == "margin_right" and store.values == {}


def test_the_default_template_is_not_copied_into_the_store():
    store = MemoryStore({prefs.KEY_TEMPLATE: "old custom text"})
    prefs.save(store, Preferences(template=DEFAULT_REVIEW_TEMPLATE))
    assert prefs.KEY_TEMPLATE not in store.values
    assert prefs.load_template(store) == DEFAULT_REVIEW_TEMPLATE


def test_the_core_module_does_not_import_qt():
    code = ("import sys, journal.core.preferences; "
            "sys.exit(any(m.startswith('PySide6') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
