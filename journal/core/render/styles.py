"""Stylesheets for rendered reviews, loaded from ``journal/assets/css``."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from journal.core.render.options import THEMES
from journal.core.render.types import RenderError


@cache
def _read(name: str) -> str:
    try:
        return (files("journal") / "assets" / "css" / name).read_text(encoding="utf-8")
    except OSError as exc:
        raise RenderError(f"The stylesheet {name} is missing from this installation.") from exc


def stylesheet(theme: str = "light") -> str:
    """The shared review CSS followed by the theme's colours (light, dark or print)."""
    if theme not in THEMES:
        raise RenderError(f"Unknown theme {theme!r}: use light, dark or print.")
    return _read("review.css") + "\n" + _read(f"{theme}.css")
