"""The spoiler skeleton's HTML taken apart for the incremental renderer
(``incremental.py``): its top-level parts between the placeholders of the runs of pieces, and
the tags open around each placeholder (a spoiler section's ``div``)."""

from __future__ import annotations

import re

#: A placeholder paragraph standing for a run of pieces in the skeleton (its number, then Z).
TOKEN = "EyelightsPieceRun"
PLACEHOLDER_RE = re.compile(r'<p>(?:<a name="L\d+"></a>)?' + TOKEN + r"(\d+)Z</p>")


def split_frame(html: str) -> tuple[list[str], list[str]]:
    """The skeleton's HTML as its top-level parts and placeholders, in order (joined by
    newlines they are the HTML again, each placeholder standing for its run), and the tags
    open around each placeholder."""
    frame: list[str] = []
    inside: list[str] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(html):
        _frame_part(frame, html[position:match.start()], position > 0, True)
        frame.append(f"{TOKEN}{match.group(1)}Z")
        inside.append(_open_tags(html[:match.start()]))
        position = match.end()
    _frame_part(frame, html[position:], position > 0, False)
    return frame, inside


def _frame_part(frame: list[str], part: str, after: bool, before: bool) -> None:
    """Add the skeleton's HTML between placeholders, less the newlines around them."""
    if after and part.startswith("\n"):
        part = part[1:]
    if before and part.endswith("\n"):
        part = part[:-1]
    if part:
        frame.append(part)


_TAG_RE = re.compile(r"<(/?)(div|details)\b[^>]*>")


def _open_tags(html: str) -> str:
    stack: list[str] = []
    for match in _TAG_RE.finditer(html):
        if match.group(1):
            if stack:
                stack.pop()
        else:
            stack.append(match.group(0))
    return "".join(stack)
