"""Where a new review starts typing in its template (``first_placeholder``)."""

from __future__ import annotations

import pytest

from journal.core.render.template import DEFAULT_REVIEW_TEMPLATE, first_placeholder


def _placeholder(text: str) -> str | None:
    found = first_placeholder(text)
    return None if found is None else text[found[0]:found[1]]


def test_the_default_template_starts_inside_its_opening_quote():
    assert _placeholder(DEFAULT_REVIEW_TEMPLATE) == "An opening line from the film."


@pytest.mark.parametrize(("template", "words"), [
    ("\n\n## First impressions\n\nText", "First impressions"),   # blank lines, a heading
    ("> — Character  \nMore", "— Character"),                     # a quote, trailing spaces
    ("   - an item\n", "an item"),                                 # an indented list item
    ('"Plain quoted"\n', "Plain quoted"),                          # straight quotes
    ("« Une réplique »", "Une réplique"),                       # French quotes
    ("Just words 🎬", "Just words 🎬"),                           # no prefix, an emoji
    ("", None), ("\n   \n", None), ("> “”", None), ("#", None),    # nothing to type over
])
def test_the_placeholder_is_the_first_lines_words(template, words):
    assert _placeholder(template) == words
