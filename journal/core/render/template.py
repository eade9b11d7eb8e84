"""The Markdown skeleton a new review starts from."""

from __future__ import annotations

#: Opening quote, body sections, one spoiler section and the closing quote. The film, score,
#: eyelights/eyesores and the date of viewing are fields of the review form, not body text.
DEFAULT_REVIEW_TEMPLATE = """\
> “An opening line from the film.”
> — Character, *Film Title*

## First impressions

What drew you to the film, and what you expected.

## The story

The set-up, without giving anything away. Link other films like [[Her (2013)]].

## Performances and craft

Acting, direction, photography, music.

::: spoiler What happens at the end
Everything that would spoil the film for someone who has not seen it.
:::

## Verdict

Would you watch it again? Who would you recommend it to?

> “A closing line from the film.”
> — Character, *Film Title*
"""

_PREFIX = ("> ", ">", "#", "- ", "* ", "+ ")
_QUOTES = (("“", "”"), ('"', '"'), ("«", "»"), ("‘", "’"))


def first_placeholder(text: str) -> tuple[int, int] | None:
    """Where a new review starts typing in ``text`` (a template): the words of its first
    non-empty line, without the line's Markdown prefix (a quote's ``>``, a heading's ``#``, a
    list's bullet) and inside its quotation marks when it is quoted — so that what the writer
    types replaces “An opening line from the film.” and keeps the quote around it. (start, end)
    as ``str`` indexes; None for an empty template."""
    at = 0
    for line in text.split("\n"):
        start, end = at, at + len(line)
        at = end + 1
        if not line.strip():
            continue
        while start < end:
            rest = text[start:end]
            prefix = next((p for p in _PREFIX if rest.startswith(p)), None)
            if prefix is None:
                if rest[0].isspace():
                    start += 1
                    continue
                break
            start += len(prefix)
        while end > start and text[end - 1].isspace():
            end -= 1
        for opening, closing in _QUOTES:
            if end - start >= 2 and text.startswith(opening, start) \
                    and text[end - 1] == closing:
                start, end = start + 1, end - 1
                break
        while start < end and text[start].isspace():  # « Une réplique »: the words only
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if start < end else None
    return None
