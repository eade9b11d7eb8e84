"""Render options and results (plain dataclasses, Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from journal.core.render.types import FilmRef, RenderError

SPOILER_MODES = ("show", "hide", "fold")
#: How shown spoiler sections are written: the app's own section, or a blog's conventions
#: (marker paragraphs such as ``*MAJOR spoiler alert*`` around it, or a ``<details>`` block).
SPOILER_STYLES = ("section", "markers", "details")
THEMES = ("light", "dark", "print")


@dataclass(frozen=True)
class RenderOptions:
    """How to render: spoiler handling, comments, theme, page vs. fragment, line anchors."""

    spoilers: Literal["show", "hide", "fold"] = "show"
    revealed: frozenset[int] = frozenset()
    include_comments: bool = False
    theme: Literal["light", "dark", "print"] = "light"
    standalone: bool = True
    embed_line_anchors: bool = True
    spoiler_style: Literal["section", "markers", "details"] = "section"
    spoiler_marker: str = "MAJOR spoiler alert"
    #: Keep ``<img>`` of images on the network (a blog post); else they become links.
    remote_images: bool = False

    def validate(self) -> None:
        """Raise RenderError for values outside the documented choices."""
        if self.spoilers not in SPOILER_MODES:
            raise RenderError(f"Unknown spoiler mode {self.spoilers!r}: use show, hide or fold.")
        if self.spoiler_style not in SPOILER_STYLES:
            raise RenderError(f"Unknown spoiler style {self.spoiler_style!r}: use section, "
                              "markers or details.")
        if self.theme not in THEMES:
            raise RenderError(f"Unknown theme {self.theme!r}: use light, dark or print.")


@dataclass
class RenderResult:
    """The HTML plus what the UI needs around it (spoilers, links, scroll map, outline)."""

    html: str
    has_spoilers: bool = False
    spoiler_count: int = 0
    film_links: list[tuple[str, int | None, FilmRef | None]] = field(default_factory=list)
    line_map: list[int] = field(default_factory=list)
    headings: list[tuple[int, str, str]] = field(default_factory=list)
    #: Why the text is not fully formatted (pathological Markdown, ``render.guard``), or "".
    notice: str = ""
    #: The body's top-level parts when rendered by pieces (``render/incremental.py``): joined
    #: by newlines they are the body's HTML; the preview replaces the ones that changed.
    units: list[Any] | None = None
