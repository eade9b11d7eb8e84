"""Film links: ``[[Title]]``, ``[[Title (Year)]]`` and ``[[Title (Year)|shown text]]``."""

from __future__ import annotations

import re
from urllib.parse import quote

#: The link syntax. Group 1 is the target, group 2 the optional alias.
FILM_LINK_RE = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")

_YEAR_RE = re.compile(r"^(.*?)\s*\((\d{4})\)\s*$")
_FENCE_OPEN_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)


def parse_target(target: str) -> tuple[str, int | None]:
    """Split ``"Her (2013)"`` into ``("Her", 2013)``; a target without a year gives None."""
    target = " ".join(target.split())
    match = _YEAR_RE.match(target)
    if match and match.group(1):
        return match.group(1), int(match.group(2))
    return target, None


def new_film_href(title: str, year: int | None) -> str:
    """The ``newfilm:`` URL the preview opens to create a film that does not exist yet."""
    href = "newfilm:" + quote(title, safe="")
    return f"{href}?year={year}" if year is not None else href


def _strip_fenced_code(text: str) -> str:
    """Blank out fenced code blocks (kept line for line so nothing shifts)."""
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        if fence is None:
            match = _FENCE_OPEN_RE.match(line)
            if match:
                fence = match.group(1)
                out.append("")
                continue
            out.append(line)
        else:
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            out.append("")
    return "\n".join(out)


def _strip_code_spans(text: str) -> str:
    # A code span never crosses a blank line (a paragraph break ends it).
    return "\n\n".join(_CODE_SPAN_RE.sub(" ", part) for part in text.split("\n\n"))


def extract_film_links(markdown_text: str) -> list[tuple[str, int | None]]:
    """Every film link in a Markdown body, in order, outside code spans and fenced code.

    Returns ``(title, year)`` pairs exactly as the renderer resolves them (spoiler sections
    included: backlinks do not depend on how the review is displayed).
    """
    text = _strip_code_spans(_strip_fenced_code(markdown_text.replace("\r\n", "\n")))
    return [parse_target(m.group(1)) for m in FILM_LINK_RE.finditer(text)]
