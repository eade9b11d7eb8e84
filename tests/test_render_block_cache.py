"""The block cache renders exactly what a whole conversion renders: random reviews built from
every construct of the dialect, edited one block at a time as a writer does, rendered by a
renderer that has seen the earlier versions (and other texts) and by one that converts whole."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.render import FilmRef, RenderOptions
from journal.core.render.markdown_dialect import Renderer
from journal.core.synthetic import review_body

WORD = st.sampled_from(["rain", "city", "Agnès", "café", "l’amour", "mirror", "noir", "42",
                        "a", "the", "x_y", "naïveté", "🎬"])
INLINE = st.one_of(
    WORD,
    WORD.map(lambda w: f"*{w}*"), WORD.map(lambda w: f"**{w}**"), WORD.map(lambda w: f"`{w}`"),
    WORD.map(lambda w: f"[{w}](https://example.org/{len(w)})"),
    st.sampled_from(["[seen][r1]", "[also][r2]", "[r1]", "[[Her (2013)]]", "[[Stalker|the zone]]",
                     "[[Unknown Film]]", '"quoted"', "'single'", "--", "---", "...", "&amp;",
                     "&copy;", "AT&T", "<span>inline html</span>", "<b>bold</b>", "~~gone~~",
                     "==lit==", "[^1]", "[^n]", "HTML", "{: .big}", "<br>", "\\*", "2 < 3",
                     "![poster](https://example.org/p.png)", "<https://example.org>"]))
LINE = st.lists(INLINE, min_size=1, max_size=7).map(" ".join)
BLOCK = st.one_of(
    LINE, LINE.map(lambda t: t + "  \n" + t),  # a hard line break inside a paragraph
    LINE.map(lambda t: "## " + t), LINE.map(lambda t: "# " + t + " {: #custom }"),
    LINE.map(lambda t: "> " + t), st.lists(LINE, min_size=1, max_size=3).map(
        lambda items: "\n".join("- " + i for i in items)),
    st.lists(LINE, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    LINE.map(lambda t: "```\n" + t + "\n```"), LINE.map(lambda t: "    indented " + t),
    LINE.map(lambda t: "<div class=\"box\">\n" + t + "\n</div>"),
    st.sampled_from(["*MAJOR spoiler alert*", "::: spoiler the end", ":::", "***", "---",
                     "[r1]: https://example.org/one", "[r2]: https://example.org/two \"Two\"",
                     "[^1]: A note.", "*[HTML]: Hyper Text", "| a | b |\n|---|---|\n| 1 | *2* |",
                     "Term\n: Definition", "<!-- a comment -->", "Date of viewing: January 24, 2014"]),
)
DOC = st.lists(BLOCK, min_size=1, max_size=12)
EDIT = st.tuples(st.sampled_from(["replace", "insert", "delete", "type"]),
                 st.integers(min_value=0, max_value=20), BLOCK)
OPTIONS = st.sampled_from([RenderOptions(), RenderOptions(spoilers="hide"),
                           RenderOptions(spoilers="fold", revealed=frozenset({2})),
                           RenderOptions(embed_line_anchors=False)])
FILMS = {"her": FilmRef(1, "Her", 2013), "stalker": FilmRef(2, "Stalker", 1979)}


def resolve(title: str, year: int | None) -> FilmRef | None:
    return FILMS.get(title.lower())


def edited(blocks: list[str], edit: tuple[str, int, str]) -> list[str]:
    kind, where, block = edit
    out = list(blocks)
    at = where % (len(out) + 1)
    if kind == "insert" or not out:
        out.insert(at, block)
    elif kind == "replace":
        out[at % len(out)] = block
    elif kind == "delete" and len(out) > 1:
        del out[at % len(out)]
    else:  # a keystroke in a block
        i = at % len(out)
        out[i] = out[i][: len(out[i]) // 2] + "x" + out[i][len(out[i]) // 2:]
    return out


def same(cached: Renderer, whole: Renderer, text: str, options: RenderOptions) -> None:
    a = cached.render_body(text, options, resolve)
    b = whole.render_body(text, options, resolve)
    assert a.html == b.html
    assert (a.line_map, a.headings, a.spoiler_count) == (b.line_map, b.headings, b.spoiler_count)
    # the same links; python-markdown's own walk lists them breadth first (a quoted link after
    # a later paragraph's), the cache in the order they are written: nothing depends on it
    assert sorted(a.film_links, key=repr) == sorted(b.film_links, key=repr)


# one renderer for every example: its cache holds the blocks of every text seen before
CACHED = Renderer()
WHOLE = Renderer(cache=False)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOC, st.lists(EDIT, min_size=1, max_size=6), OPTIONS,
       st.sampled_from(["\n\n", "\n", "\n\n\n"]))
def test_cached_rendering_equals_a_whole_conversion(blocks, edits, options, gap):
    text = gap.join(blocks)
    same(CACHED, WHOLE, text, options)
    for edit in edits:
        blocks = edited(blocks, edit)
        same(CACHED, WHOLE, gap.join(blocks), options)


def test_a_keystroke_re_renders_one_block():
    renderer = Renderer()
    body = review_body(seed=7, approx_bytes=100_000, titles=["Her (2013)"])
    options = RenderOptions()
    renderer.render_body(body, options)
    blocks = renderer.blocks.misses
    paragraph = body.index("\n\n", len(body) // 2) + 2
    typed = body[:paragraph] + "x" + body[paragraph:]
    result = renderer.render_body(typed, options)
    assert renderer.blocks.misses <= 2 and renderer.blocks.hits > blocks - 40
    assert result.html == Renderer(cache=False).render_body(typed, options).html
