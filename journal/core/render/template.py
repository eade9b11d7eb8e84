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
