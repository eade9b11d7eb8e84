"""The Markdown dialect: spoilers, film links, line anchors (journal.core.render)."""

from __future__ import annotations

import pytest

from journal.core.render import (
    FilmRef,
    Renderer,
    RenderError,
    RenderOptions,
    extract_film_links,
    render_markdown,
)

FRAG = RenderOptions(standalone=False)

BLOG_SPOILERS = """Intro paragraph.

*MAJOR spoiler alert*

## The reveal

The butler Quentavius did it.

**End of spoilers!**

After the section.
"""

FENCED_SPOILER = """Before.

::: spoiler The twist ending
Zorblax is the father.
:::

After.
"""


def render(text: str, **opts: object) -> object:
    return Renderer().render_body(text, RenderOptions(standalone=False, **opts))  # type: ignore[arg-type]


def test_blog_spoiler_section_is_marked_and_labelled() -> None:
    result = render(BLOG_SPOILERS)
    assert result.has_spoilers and result.spoiler_count == 1
    html = result.html
    start = html.index('<div class="spoiler" id="spoiler-1">')
    section = html[start:html.index("</div>", start)]
    assert "<em>MAJOR spoiler alert</em>" in section
    assert "Quentavius" in section and "The reveal" in section
    assert "End of spoilers!" in section
    assert "Intro paragraph" not in section and "After the section" not in section


def test_fenced_spoiler_with_label() -> None:
    result = render(FENCED_SPOILER)
    assert result.spoiler_count == 1
    assert "Spoilers: The twist ending" in result.html
    assert ":::" not in result.html
    section = result.html[result.html.index('class="spoiler"'):]
    assert "Zorblax" in section[:section.index("</div>")]


@pytest.mark.parametrize("marker",
                         ["_spoilers ahead_", "**Spoiler alert!**", "***spoiler-alert***"])
def test_blog_marker_variants_open_a_section(marker: str) -> None:
    result = render(f"Hello.\n\n{marker}\n\nSecret words.\n")
    assert result.spoiler_count == 1
    assert render(f"Hello.\n\n{marker}\n\nSecret words.\n", spoilers="hide").html.count(
        "Secret") == 0


def test_unclosed_blog_section_runs_to_the_end() -> None:
    result = render("Open.\n\n*Spoilers*\n\nOne.\n\nTwo.\n", spoilers="hide")
    assert "Open." in result.html
    assert "One." not in result.html and "Two." not in result.html


def test_phrases_that_are_not_markers() -> None:
    for text in ("*No spoilers here, promise*", "Plain spoiler alert line",
                 "*spoiler alert* followed by text"):
        assert render(text + "\n\nBody.\n").spoiler_count == 0, text


SECRET_TEXT = """Visible start.

*Spoiler alert*

## Quentavius Heading

Quentavius betrays [[Zorblax Returns (1999)]] at the end.

*end of spoilers*

::: spoiler Quentavius label
Second secret Quentavius.
:::

Visible end.
"""


@pytest.mark.parametrize("mode", ["hide", "fold"])
def test_hidden_spoilers_leave_no_trace(mode: str) -> None:
    result = render(SECRET_TEXT, spoilers=mode)
    assert "Quentavius" not in result.html
    assert "quentavius" not in result.html.lower()
    assert "Zorblax" not in result.html
    assert result.headings == []
    assert result.film_links == []
    assert result.spoiler_count == 2 and result.has_spoilers
    assert result.html.count("Spoilers hidden") == 2
    assert "Visible start." in result.html and "Visible end." in result.html


def test_fold_links_and_reveal() -> None:
    folded = render(SECRET_TEXT, spoilers="fold")
    assert '<a href="spoiler:1">show spoilers</a>' in folded.html
    assert '<a href="spoiler:2">show spoilers</a>' in folded.html
    revealed = render(SECRET_TEXT, spoilers="fold", revealed=frozenset({2}))
    assert "Second secret Quentavius." in revealed.html
    assert "betrays" not in revealed.html
    assert 'href="spoiler:1"' in revealed.html and 'href="spoiler:2"' not in revealed.html


def test_no_spoilers() -> None:
    result = render("Just a review.\n")
    assert not result.has_spoilers and result.spoiler_count == 0


def test_bad_option_is_a_render_error() -> None:
    with pytest.raises(RenderError):
        render("x", spoilers="maybe")


# --- film links -----------------------------------------------------------------------------

def resolver(title: str, year: int | None) -> FilmRef | None:
    films = {("Her", 2013): FilmRef(42, "Her", 2013),
             ("Eternal Sunshine of the Spotless Mind", None): FilmRef(7, "Eternal…", 2004)}
    return films.get((title, year))


def test_film_links_resolve_alias_and_unresolved() -> None:
    text = ("See [[Her (2013)|this film]], [[Eternal Sunshine of the Spotless Mind]] "
            "and [[Amélie (2001)]] and [[Nope]].")
    result = Renderer().render_body(text, FRAG, resolver)
    assert '<a class="film-link" href="film:42">this film</a>' in result.html
    assert '<a class="film-link" href="film:7">Eternal Sunshine of the Spotless Mind</a>' in (
        result.html)
    assert ('<a class="film-link unresolved" href="newfilm:Am%C3%A9lie?year=2001">'
            "Amélie (2001)</a>") in result.html
    assert 'href="newfilm:Nope"' in result.html
    assert [(t, y) for t, y, _ in result.film_links] == [
        ("Her", 2013), ("Eternal Sunshine of the Spotless Mind", None), ("Amélie", 2001),
        ("Nope", None)]
    assert result.film_links[0][2] == FilmRef(42, "Her", 2013)
    assert result.film_links[3][2] is None


def test_film_links_without_resolver_are_unresolved() -> None:
    result = render_markdown("[[Her (2013)]]", FRAG)
    assert 'class="film-link unresolved"' in result.html
    assert result.film_links == [("Her", 2013, None)]


CODE_TEXT = """Real [[Alien (1979)]] link and `[[Span (2000)]]` in code.

```
[[Fenced (2001)]]
```

~~~python
x = "[[Tilde (2002)]]"
~~~

Then [[Brazil]] and ``[[Double `tick` (2003)]]``.
"""


def test_extract_film_links_ignores_code() -> None:
    assert extract_film_links(CODE_TEXT) == [("Alien", 1979), ("Brazil", None)]


def test_extract_matches_what_the_renderer_finds() -> None:
    found = Renderer().render_body(CODE_TEXT + SECRET_TEXT, FRAG).film_links
    assert [(t, y) for t, y, _ in found] == extract_film_links(CODE_TEXT + SECRET_TEXT)


# --- line anchors ---------------------------------------------------------------------------

LINES_TEXT = """# Heading one

First paragraph
continues here.

- item a
- item b

Paragraph right before a heading
## Heading two

```
code
more
```

Last.
"""


def test_line_anchors_sit_at_source_lines() -> None:
    result = render(LINES_TEXT)
    html = result.html
    assert '<h1 id="heading-one"><a name="L1"></a>Heading one</h1>' in html
    assert '<p><a name="L3"></a>First paragraph' in html
    assert '<li><a name="L6"></a>item a</li>' in html
    assert '<p><a name="L9"></a>Paragraph right before' in html
    assert '<a name="L10"></a>Heading two</h2>' in html
    assert '<pre><a name="L12"></a><code>' in html
    assert '<p><a name="L17"></a>Last.</p>' in html
    assert result.line_map == [1, 3, 6, 9, 10, 12, 17]


def test_line_anchors_inside_shown_spoilers_and_optional() -> None:
    result = render(BLOG_SPOILERS)
    assert result.line_map == [1, 3, 5, 7, 11]
    assert '<a name="L5"></a>The reveal' in result.html
    plain = render(BLOG_SPOILERS, embed_line_anchors=False)
    assert 'name="L' not in plain.html and plain.line_map == []


def test_headings_outline() -> None:
    result = render(LINES_TEXT)
    assert result.headings == [(1, "Heading one", "heading-one"), (2, "Heading two", "heading-two")]


def test_renderer_is_reusable_between_documents() -> None:
    renderer = Renderer()
    first = renderer.render_body(SECRET_TEXT, FRAG)
    second = renderer.render_body("Plain.\n", FRAG)
    assert second.spoiler_count == 0 and second.film_links == [] and second.line_map == [1]
    assert renderer.render_body(SECRET_TEXT, FRAG).html == first.html


def test_footnotes_defined_in_hidden_spoilers_are_dropped() -> None:
    text = ("Intro[^a].\n\n*Spoiler alert*\n\nSecret[^b].\n\n[^b]: Quentavius note.\n\n"
            "*end spoilers*\n\n[^a]: Public note.\n")
    hidden = render(text, spoilers="hide").html
    assert "Quentavius" not in hidden and "Public note." in hidden
    assert "Quentavius note." in render(text).html


def test_a_blank_body_after_one_with_spoilers_has_none() -> None:
    """python-markdown runs no processor on a blank text: the spoiler count was the last
    body's (a review emptied still said it had spoilers; found by rendering by pieces)."""
    renderer = Renderer(cache=False)
    assert renderer.render_body(BLOG_SPOILERS, FRAG).spoiler_count == 1
    for blank in ("", "\n\n", "   \n"):
        result = renderer.render_body(blank, FRAG)
        assert (result.spoiler_count, result.has_spoilers, result.html) == (0, False, "")


def test_the_first_line_of_spaces_is_blank_and_a_fence_label_after_blank_lines() -> None:
    """A first line of four spaces (or a tab) is a blank line, as every other line of spaces
    (python-markdown kept it: an empty code block at the top); a ``:::`` marker after two
    blank lines is anchored at its own line (it was one line on)."""
    assert render("    \nHello.\n").html == '<p><a name="L2"></a>Hello.</p>'
    assert render("\t\n\nHello.\n").line_map == [3]
    result = render("Before.\n\n\n::: spoiler the end\n\nInside.\n\n:::\n")
    assert '<p class="spoiler-label"><a name="L4"></a>' in result.html
    assert result.line_map == [1, 4, 6]


def test_line_anchors_after_raw_html_holding_fenced_code() -> None:
    """Fenced code inside a raw HTML block stands for its lines, not the three of its
    placeholder: the paragraph after the block was anchored at a line inside it (found by
    rendering by pieces: a code block pasted into an unfinished tag)."""
    text = '<div class=\n\n```\nrain\n\nrain\n```\n\n"box">\nrain rain\n</div>\n\nrain rain\n'
    assert render(text).line_map == [1, 13]
    assert render("<div>\n\n```\nrain rain\n```\n\n```\nx\n```\n\n</div>\n\nrain rain\n"
                  ).line_map == [1, 13]


def test_a_leaked_placeholder_renders_as_without_the_block_cache() -> None:
    """python-markdown lets a piece of an inline placeholder through (``**rain*`` then a line
    starting ``* ``): its number is the stash's, which the block cache's blocks do not share —
    such a text is converted without the cache, as a whole conversion gives it (fresh seed 6)."""
    text = "`a` `b` [c](https://e.org/c)\n\nrain *mirror* **rain*\n* [x](https://e.org) `42` *rain*\n"
    cached = Renderer()
    cached.render_body("`a` `b` [c](https://e.org/c)\n\nother\n", FRAG)  # the first block kept
    whole = Renderer(cache=False).render_body(text, FRAG).html
    assert "zwxh:" in whole  # (the leak itself: python-markdown's)
    assert cached.render_body(text, FRAG).html == whole
