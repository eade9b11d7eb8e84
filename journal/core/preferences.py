"""User preferences shared by the window and the command line (Qt-free).

The values live in a key/value store: the app's ``QSettings`` in practice, anything with
``value(key, default)``, ``setValue(key, value)`` and ``remove(key)`` in general. Reading is
lenient (a hand-edited or stale value falls back to its default, with a warning in the log);
writing validates everything first and stores nothing when a value is refused.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from journal.core.render.template import DEFAULT_REVIEW_TEMPLATE
from journal.core.spellcheck import LANGUAGES
from journal.errors import ValidationError

log = logging.getLogger(__name__)

MARGIN_MIN_MM = 5.0
MARGIN_MAX_MM = 50.0
PAGE_SIZES = ("A4", "Letter")
THEMES = ("print", "light")
SIDES = ("left", "top", "right", "bottom")
TEMPLATE_MAX_CHARS = 100_000
DEFAULT_LANGUAGE = "en"

#: Where each preference is stored (QSettings groups "editor" and "print").
KEY_TEMPLATE = "editor/newReviewTemplate"
KEY_LANGUAGE = "editor/spellLanguage"
KEY_PAGE_SIZE = "print/pageSize"
KEY_MARGINS = {side: f"print/margin{side.capitalize()}Mm" for side in SIDES}
KEY_HEADER = "print/header"
KEY_FOOTER = "print/footer"
KEY_SPOILERS = "print/spoilers"
KEY_COMMENTS = "print/comments"
KEY_THEME = "print/theme"
ALL_KEYS = (KEY_TEMPLATE, KEY_LANGUAGE, KEY_PAGE_SIZE, *KEY_MARGINS.values(), KEY_HEADER,
            KEY_FOOTER, KEY_SPOILERS, KEY_COMMENTS, KEY_THEME)

Margins = tuple[float, float, float, float]  # left, top, right, bottom, in millimetres


class SettingsStore(Protocol):
    """What the preferences need from a settings store (``QSettings`` fits)."""

    def value(self, key: str, /, *args: Any, **kwargs: Any) -> Any: ...

    def setValue(self, key: str, value: Any, /) -> None: ...  # noqa: N802 - Qt's name

    def remove(self, key: str, /) -> None: ...


# ---------------------------------------------------------------------------- validation
def validate_margin(value: object, side: str = "left") -> float:
    """A margin in millimetres between 5 and 50 ("12,5" is read as 12.5)."""
    field_name = f"margin_{side}"
    message = (f"The {side} margin must be a number of millimetres from "
               f"{MARGIN_MIN_MM:g} to {MARGIN_MAX_MM:g}.")
    if isinstance(value, bool):
        raise ValidationError(message, field_name)
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) \
            else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError(message, field_name) from None
    if not math.isfinite(number) or not MARGIN_MIN_MM <= number <= MARGIN_MAX_MM:
        raise ValidationError(message, field_name)
    return round(number, 1)


def validate_margins(values: object) -> Margins:
    """Four margins (left, top, right, bottom), each validated."""
    if not isinstance(values, (tuple, list)) or len(values) != 4:
        raise ValidationError("Give four margins: left, top, right and bottom.", "margins")
    left, top, right, bottom = (validate_margin(v, side)
                                for v, side in zip(values, SIDES, strict=True))
    return left, top, right, bottom


def parse_margins(text: str) -> Margins:
    """Margins from the command line: "20" (all four) or "20,18,20,18" (left,top,right,bottom)."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    if len(parts) == 1:
        parts *= 4
    if len(parts) != 4:
        raise ValidationError("Give one margin for all sides, or four (left,top,right,bottom), "
                              "in millimetres.", "margins")
    return validate_margins(parts)


def validate_page_size(value: object) -> str:
    for size in PAGE_SIZES:
        if str(value).strip().lower() == size.lower():
            return size
    raise ValidationError(f"The page size must be {' or '.join(PAGE_SIZES)}.", "page_size")


def validate_theme(value: object) -> str:
    if value in THEMES:
        return str(value)
    raise ValidationError(f"The print theme must be {' or '.join(THEMES)}.", "theme")


def validate_language(value: object) -> str:
    if value in LANGUAGES:
        return str(value)
    names = ", ".join(sorted(LANGUAGES))
    raise ValidationError(f"There is no spelling dictionary for “{value}” (available: {names}).",
                          "spell_language")


def validate_template(value: object) -> str:
    """The new-review template: any text (empty is allowed) up to 100,000 characters."""
    if not isinstance(value, str):
        raise ValidationError("The review template must be text.", "template")
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if len(text) > TEMPLATE_MAX_CHARS:
        raise ValidationError(f"The review template is too long (more than "
                              f"{TEMPLATE_MAX_CHARS:,} characters).", "template")
    return text


def to_bool(value: object) -> bool:
    """A flag as stored by QSettings (a bool in memory, "true"/"false" once read from disk)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise ValidationError(f"“{value}” is not on or off.", "flag")


# ---------------------------------------------------------------------------- values
@dataclass(frozen=True)
class PrintPreferences:
    """Defaults offered by Print…, Export PDF and Booklet (and used by the CLI)."""

    page_size: str = "A4"
    margins_mm: Margins = (20.0, 18.0, 20.0, 18.0)
    header: bool = True   # film title at the top of every page
    footer: bool = True   # page number at the bottom
    spoilers: bool = True  # keep spoiler sections (False: a short "spoilers hidden" note)
    comments: bool = False
    theme: str = "print"

    def validated(self) -> PrintPreferences:
        """The same values checked and normalised; raises ValidationError on the first bad one."""
        return replace(self, page_size=validate_page_size(self.page_size),
                       margins_mm=validate_margins(self.margins_mm),
                       header=to_bool(self.header), footer=to_bool(self.footer),
                       spoilers=to_bool(self.spoilers), comments=to_bool(self.comments),
                       theme=validate_theme(self.theme))


@dataclass(frozen=True)
class Preferences:
    template: str = DEFAULT_REVIEW_TEMPLATE
    spell_language: str = DEFAULT_LANGUAGE
    printing: PrintPreferences = field(default_factory=PrintPreferences)

    def validated(self) -> Preferences:
        return Preferences(validate_template(self.template),
                           validate_language(self.spell_language), self.printing.validated())


# ---------------------------------------------------------------------------- store
def _read(store: SettingsStore, key: str, check: Any, default: Any) -> Any:
    raw = store.value(key, None)
    if raw is None:
        return default
    try:
        return check(raw)
    except ValidationError as exc:
        log.warning("Preference %s ignored (%s): using the default", key, exc.message)
        return default


def load_print(store: SettingsStore) -> PrintPreferences:
    d = PrintPreferences()
    left, top, right, bottom = (
        _read(store, KEY_MARGINS[side], lambda v, s=side: validate_margin(v, s), dflt)
        for side, dflt in zip(SIDES, d.margins_mm, strict=True))
    return PrintPreferences(
        page_size=_read(store, KEY_PAGE_SIZE, validate_page_size, d.page_size),
        margins_mm=(left, top, right, bottom),
        header=_read(store, KEY_HEADER, to_bool, d.header),
        footer=_read(store, KEY_FOOTER, to_bool, d.footer),
        spoilers=_read(store, KEY_SPOILERS, to_bool, d.spoilers),
        comments=_read(store, KEY_COMMENTS, to_bool, d.comments),
        theme=_read(store, KEY_THEME, validate_theme, d.theme))


def load_template(store: SettingsStore | None) -> str:
    """The text a new review starts with (the built-in template when none is saved)."""
    if store is None:
        return DEFAULT_REVIEW_TEMPLATE
    return str(_read(store, KEY_TEMPLATE, validate_template, DEFAULT_REVIEW_TEMPLATE))


def load_language(store: SettingsStore | None) -> str:
    """The spelling language a new review starts with."""
    if store is None:
        return DEFAULT_LANGUAGE
    return str(_read(store, KEY_LANGUAGE, validate_language, DEFAULT_LANGUAGE))


def load(store: SettingsStore) -> Preferences:
    """Every preference from ``store``; missing or unreadable values are the defaults."""
    return Preferences(load_template(store), load_language(store), load_print(store))


def save(store: SettingsStore, prefs: Preferences) -> Preferences:
    """Validate, then store every preference. Returns the normalised values.

    A template equal to the built-in one is removed from the store rather than copied, so that
    a later version's better default reaches users who never changed it.
    """
    good = prefs.validated()
    if good.template == DEFAULT_REVIEW_TEMPLATE:
        store.remove(KEY_TEMPLATE)
    else:
        store.setValue(KEY_TEMPLATE, good.template)
    store.setValue(KEY_LANGUAGE, good.spell_language)
    save_print(store, good.printing)
    return good


def save_print(store: SettingsStore, printing: PrintPreferences) -> PrintPreferences:
    good = printing.validated()
    store.setValue(KEY_PAGE_SIZE, good.page_size)
    for side, value in zip(SIDES, good.margins_mm, strict=True):
        store.setValue(KEY_MARGINS[side], value)
    for key, flag in ((KEY_HEADER, good.header), (KEY_FOOTER, good.footer),
                      (KEY_SPOILERS, good.spoilers), (KEY_COMMENTS, good.comments)):
        store.setValue(key, flag)
    store.setValue(KEY_THEME, good.theme)
    return good
