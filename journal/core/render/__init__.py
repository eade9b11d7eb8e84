"""The one review → HTML renderer (Qt-free): Markdown dialect, sanitiser, page, stylesheets."""

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

__all__ = [
    "DEFAULT_REVIEW_TEMPLATE", "CommentDocument", "FilmRef", "RenderError", "RenderOptions",
    "RenderResult", "Renderer", "Resolver", "ReviewDocument", "extract_film_links",
    "format_partial_date", "format_score", "render_markdown", "render_review", "stylesheet",
]
