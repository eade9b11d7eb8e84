"""The one review → HTML renderer (Qt-free): Markdown dialect, sanitiser, page, stylesheets.

The names below load on first use (PEP 562): importing ``journal.core.render.template`` or
``.options`` — as the editor and preferences do when the window opens — does not import
python-markdown; the preview's worker does, on its own thread, when it first renders.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.core.render.document import (
        CommentDocument,
        ReviewDocument,
        format_partial_date,
        format_score,
        render_markdown,
        render_review,
    )
    from journal.core.render.film_links import extract_film_links
    from journal.core.render.markdown_dialect import Renderer
    from journal.core.render.options import RenderOptions, RenderResult
    from journal.core.render.styles import stylesheet
    from journal.core.render.template import DEFAULT_REVIEW_TEMPLATE
    from journal.core.render.types import FilmRef, RenderError, Resolver

_WHERE = {
    "CommentDocument": "document", "ReviewDocument": "document",
    "format_partial_date": "document", "format_score": "document",
    "render_markdown": "document", "render_review": "document",
    "extract_film_links": "film_links", "Renderer": "markdown_dialect",
    "RenderOptions": "options", "RenderResult": "options", "stylesheet": "styles",
    "DEFAULT_REVIEW_TEMPLATE": "template", "FilmRef": "types", "RenderError": "types",
    "Resolver": "types",
}

__all__ = [
    "DEFAULT_REVIEW_TEMPLATE", "CommentDocument", "FilmRef", "RenderError", "RenderOptions",
    "RenderResult", "Renderer", "Resolver", "ReviewDocument", "extract_film_links",
    "format_partial_date", "format_score", "render_markdown", "render_review", "stylesheet",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
