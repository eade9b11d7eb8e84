"""Standalone HTML export: one file, CSS inline, poster embedded, sanitised, no script."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from journal.core.export.atomic import check_target, write_text
from journal.core.export.document import export_options, review_html

if TYPE_CHECKING:
    from journal.core.journal import Journal


def export_html(journal: Journal, review_id: int, path: Path | str, *, spoilers: bool = True,
                comments: bool = False, theme: str = "light") -> Path:
    """Write one review as a standalone HTML5 page; returns the path written."""
    target = check_target(path)
    options = export_options(spoilers=spoilers, comments=comments, theme=theme)
    return write_text(target, review_html(journal, review_id, options).html)


def blog_fragment(journal: Journal, review_id: int, *, spoilers: bool = True) -> tuple[str, str]:
    """"Copy for blog": (HTML fragment in the shape of a blog post, plain-text version)."""
    options = export_options(spoilers=spoilers, theme="light", standalone=False)
    html = review_html(journal, review_id, options).html
    return html, html_to_text(html)


def html_to_text(html: str) -> str:
    """A readable plain-text version of a rendered fragment (paragraphs kept apart)."""
    from html.parser import HTMLParser

    blocks = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "tr", "br",
              "pre", "hr"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in ("style", "script"):
                self.skip += 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in ("style", "script"):
                self.skip -= 1
            elif tag in blocks:
                self.parts.append("\n")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip() + "\n"
