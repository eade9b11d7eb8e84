"""The fast HTML → Markdown path gives exactly markdownify's output, or declines."""

from __future__ import annotations

import os
from html.entities import name2codepoint
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.core.importers import fast_html, wp_html, wp_markdownify
from journal.core.importers.errors import ImportFormatError
from journal.core.importers.synthetic import generate_wxr
from journal.core.importers.wxr import iter_wxr

CONV = wp_markdownify.converter()
#: Examples per hypothesis test, times the test's own figure (more when checking a change:
#: ``FAST_HTML_EXAMPLES=20`` runs ~5,000 of each).
SCALE = float(os.environ.get("FAST_HTML_EXAMPLES", "1"))


def examples(count: int) -> int:
    return int(count * SCALE)


WORDS = ["film", "Her", "8.5/10", "café", "naïveté", "“quoted”", "— dash", "l’été", "✨", "🎬",
         "a*b", "snake_case", "\\", "[[Her (2013)]]", "# not", "- item", "1. one", "> q", "`x`",
         "&amp;", "&lt;b&gt;", "&#8217;", "&quot;", "&eacute;", "&copy", "&bogus;", "a&b", "x>y",
         "https://e.org/a_b", "שָׁלוֹם", "\u200f", "||", "~~", "=", "+", "&nbsp;", "\xa0",
         "Her\u202f!", "\u2009", "\u3000", "&#160;", "&#x202F;", "\u2028"]
SPACES = ["", " ", "  ", "\n", " \n ", "\n\n", "\n \n", "\xa0", " \xa0\n", "&nbsp;"]
TAGS = sorted(fast_html.INLINE | fast_html.BLOCKS | {"pre", "table", "td", "dl", "dt", "cite"})
VOIDS = ["<br>", "<br/>", "<br />", "<hr>", "<hr />", '<img src="p_1.jpg" alt="A *b*">',
         '<img src="q.jpg" alt="a_b" title="say &quot;hi&quot;" />',
         '<img src="x.png" alt="" title="t" />', "<img>", '<img src="t.png" alt="a&Tab;b" />']
ATTRS = ["", ' href="https://e.org/a_b"', ' href="film"', ' href="a&amp;b" title="T"',
         ' href="/q" title="a &quot;b&quot;"', ' href="x&#xFFFF;"',
         ' class="wp-block" style="x"', ' href=""', ' title="only"', " data-x='1'", " hidden",
         ' start="3"', ' start="x"', ' start="0"']

text = st.lists(st.sampled_from(WORDS + SPACES), max_size=6).map("".join)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def render(parts: tuple[str, str, list[str], str, str]) -> str:
        name, attrs, inner, before, after = parts
        return f"{before}<{name}{attrs}>{''.join(inner)}</{name}>{after}"

    return st.tuples(st.sampled_from(TAGS), st.sampled_from(ATTRS),
                     st.lists(children, max_size=4), st.sampled_from(SPACES),
                     st.sampled_from(SPACES)).map(render)


LIST_ATTRS = ["", ' start="3"', ' start="0"', ' start="x"', ' start="12"', ' start=""',
              ' class="wp-list"']


def _list(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A list whose items hold anything (text, nested lists, quotes, paragraphs, headings…),
    with whitespace around the items and the list."""
    item = st.tuples(st.sampled_from(SPACES), st.lists(children, max_size=3),
                     st.sampled_from(SPACES)).map(lambda p: f"{p[0]}<li>{''.join(p[1])}</li>{p[2]}")
    return st.tuples(st.sampled_from(["ul", "ol"]), st.sampled_from(LIST_ATTRS),
                     st.lists(item, max_size=4), st.sampled_from(SPACES),
                     st.sampled_from(SPACES)).map(
        lambda p: f"{p[3]}<{p[0]}{p[1]}>{''.join(p[2])}</{p[0]}>{p[4]}")


#: Pairs whose rules meet: headings or images in links, quotes or lists in items, paragraphs
#: in headings, code in links… (the general strategies reach these rarely).
NESTING = ["a", "h2", "h6", "li", "blockquote", "p", "code", "em", "strong", "q", "figcaption",
           "div", "figure", "sub", "span"]
NESTING_ATTRS = ["", ' href="https://e.org/a_b"', ' href="x" title="say &quot;hi&quot;"',
                 ' href=""', ' start="2"']


def _nested(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(NESTING), st.sampled_from(NESTING_ATTRS),
                     st.lists(children, max_size=3), st.sampled_from(SPACES),
                     st.sampled_from(SPACES)).map(
        lambda p: f"{p[3]}<{p[0]}{p[1]}>{''.join(p[2])}</{p[0]}>{p[4]}")


documents = st.recursive(text | st.sampled_from(VOIDS),
                         lambda c: _element(c) | _list(c) | _nested(c), max_leaves=25)
fragments = st.lists(documents, min_size=1, max_size=5).map("".join)


@settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments)
def test_fast_path_equals_markdownify_or_declines(source):
    fast = fast_html.convert(source)
    if fast is not None:
        assert fast == CONV.convert(source)


SAFE_WORDS = [w for w in WORDS if w not in ("&copy", "&bogus;", "a&b", "\u2028")]
SUBSET_TAGS = sorted(fast_html.INLINE | fast_html.BLOCKS)
SUBSET_ATTRS = [a for a in ATTRS if "'" not in a and a not in (" hidden", ' href="x&#xFFFF;"')]
safe_text = st.lists(st.sampled_from(SAFE_WORDS + SPACES), max_size=6).map("".join)


def _subset_element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.sampled_from(SUBSET_TAGS), st.sampled_from(SUBSET_ATTRS),
                     st.lists(children, max_size=4), st.sampled_from(SPACES),
                     st.sampled_from(SPACES)).map(
        lambda p: f"{p[3]}<{p[0]}{p[1]}>{''.join(p[2])}</{p[0]}>{p[4]}")


subset_documents = st.lists(
    st.recursive(safe_text | st.sampled_from(VOIDS),
                 lambda c: _subset_element(c) | _list(c) | _nested(c), max_leaves=30),
    min_size=1, max_size=5).map(lambda parts: "".join(parts) + "<br>")


@settings(max_examples=examples(250), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subset_documents)
def test_documents_of_the_subset_take_the_fast_path_and_match(source):
    fast = fast_html.convert(source)
    assert fast is not None
    assert fast == CONV.convert(source)



@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.sampled_from(SAFE_WORDS + SPACES), max_size=12).map("".join))
def test_plain_text_and_entities_take_the_fast_path(source):
    html = f"<p>{source}</p>\n\n{source}<br />\n<em>{source}</em>"
    fast = fast_html.convert(html)
    assert fast is not None
    assert fast == CONV.convert(html)


@pytest.mark.parametrize("name", sorted(name2codepoint))
def test_every_html4_entity_reads_as_beautifulsoup_reads_it(name):
    html = f"<p>a&{name};b &#{name2codepoint[name]}; &#x{name2codepoint[name]:x};</p>"
    fast = fast_html.convert(html)
    if fast is not None:
        assert fast == CONV.convert(html)


@pytest.mark.parametrize("source", [
    "<p>Plain paragraph.</p>",
    "<p><strong>Eyelights:</strong> the <em>light</em>.</p>\n\n<p>Line<br />\nbreak</p>",
    '<p>See <a href="https://e.org/her">Her</a> and <a href="https://e.org">https://e.org</a>'
    '</p>',
    "<blockquote><p>“I’ve never loved anyone the way I loved you.”</p></blockquote>",
    "<h2>Spoilers</h2>\n<p><b>Bold</b> <i>italic</i> <span>span</span> snake_case *x*</p>",
    '<p><img src="her.jpg" alt="Theodore" /> <a href="/x" title="T">t</a></p><hr />',
    "<div><p>a</p> <p>b</p></div><p>&amp; &#8217; &lt;tag&gt;</p>",
    "<ul><li>list</li></ul>",
    "<p>&nbsp;</p>\n<p>Her&nbsp;8.5 — l’été\u202f!</p>\n<p>\xa0<em>\xa0x\xa0</em>\xa0</p>",
    "<p>Best of the year:</p>\n<ol start=\"3\">\n<li><em>Her</em></li>\n<li>Gravity</li>\n</ol>\n"
    "<p>Then:</p>",
    "<ul>\n<li>one\n<ul>\n<li>nested *a*</li>\n</ul>\n</li>\n<li>two</li>\n</ul>\n<ol><li>x</li></ol>",
    '<figure><a href="big.jpg"><img src="her.jpg" alt="Her" /></a>'
    "<figcaption>Joaquin Phoenix in <em>Her</em></figcaption></figure>",
    "<ol start=\"7\">\n<li>a\n<ol><li>b</li><li>c<ul><li>d</li></ul></li></ol>\n</li>"
    "<li><blockquote><p>q1</p>\n<p>q2</p></blockquote></li>\n<li></li></ol>\n\nafter",
    '<h2><a href="/x"><img src="i.png" alt="Alt *a*" /> Title</a></h2>'
    '<a href="/y"><h3>In a link</h3></a><a href="/z"><img src="z.png" /></a>',
    "<p></p><h2></h2><blockquote></blockquote><ul></ul><li></li><em></em><a href=\"x\"></a>"
    "<q></q><code></code><div> </div><figcaption> </figcaption>",
    "<div>\n\n<p>a</p>\n \n<blockquote>\n<p>b</p>\n</blockquote>\n\n<ul>\n<li>c</li>\n</ul>\n"
    "text\n<h2>d</h2>\n</div>\n\n<hr />\n\n<p>e<br />\n<br />\nf</p>",
    '<p><a href="/x" title="say &quot;hi&quot;">quoted</a> <a href="a_b">a_b</a></p>',
    "Intro \n<p>one</p> tail <p> two </p><em>e</em> <p>three</p>\n<br /> <p></p> <p>&nbsp;</p>x",
    '<h2><img src="x" alt="a&Tab;b" /> <a href="x&Tab;y">t</a></h2><h3><img alt="&Tab;" /></h3>',
    "<p>use <code>a_b*c</code> and <code>``x`</code>, <a href=\"a_b\">a_b</a> <em> x </em></p>",
])
def test_common_markup_takes_the_fast_path(source):
    fast = fast_html.convert(source)
    assert fast is not None
    assert fast == CONV.convert(source)


@pytest.mark.parametrize("source", [
    "<table><tr><td>cell</td></tr></table>", "<dl><dt>a</dt></dl>", "<p>unclosed",
    "<p>stray </em> end</p>", "<P>upper</P>",
    "<p>a < b</p>", "<!-- c --><p>x</p>", "<p>tab\there</p>", "<p>a\u2028b</p>",
    "<a href='single'>x</a>", "<p/>", "</br>", "<pre>code</pre>", "<p>a\x00b</p>",
])
def test_anything_else_declines(source):
    assert fast_html.convert(source) is None


@pytest.mark.parametrize("reference", ["&#xFFFF;", "&#xFFFE;", "&#xFDD0;", "&#65007;",
                                       "&#x1FFFF;", "&#x10FFFE;", "&#xFFFD;", "&#xFDCF;"])
def test_noncharacter_references_in_attributes_read_as_html_parser_reads_them(reference):
    """html.parser unescapes attribute values with ``html.unescape``, which drops
    noncharacters (U+FFFF, U+FDD0…), where text keeps them."""
    for source in (f'<a href="x{reference}">t</a>', f'<img src="a{reference}.jpg" alt="x">',
                   f'<a href="y" title="{reference}">t</a>', f"<p>x{reference}y</p>"):
        fast = fast_html.convert(source)
        if fast is not None:
            assert fast == CONV.convert(source), source


def _converted_inputs(path: Path) -> list[str]:
    """What html_to_markdown hands to the converter, for every post and comment of a file."""
    out = []
    try:
        items = list(iter_wxr(path))
    except ImportFormatError:
        return out
    for item in items:
        for source in [item.content] + [c.content for c in item.comments]:
            if source and source.strip():
                text = source.replace("\r\n", "\n").replace("\r", "\n")
                text = wp_html._BLOCK_COMMENT_RE.sub("", text)
                text = wp_html._PAGING_COMMENT_RE.sub("\n\n", text)
                text = wp_html.players_to_links(wp_html.replace_shortcodes(text), html_out=True)
                out.append(wp_html.autop(text))
    return out


@pytest.mark.shared
def test_real_posts_convert_identically(shared_testdata):
    accepted = total = 0
    for path in sorted((shared_testdata / "wxr").rglob("*.xml")):
        for source in _converted_inputs(path):
            total += 1
            fast = fast_html.convert(source)
            if fast is not None:
                accepted += 1
                assert fast == CONV.convert(source), (path.name, source[:200])
    assert total > 100
    print(f"fast path: {accepted} of {total} real posts and comments")  # 318 of 356 here
    assert accepted >= total * 0.85, f"only {accepted} of {total} took the fast path"


def test_generated_posts_all_take_the_fast_path(tmp_path):
    path = tmp_path / "blog.xml"
    generate_wxr(path, 40)
    sources = _converted_inputs(path)
    assert len(sources) >= 40
    for source in sources:
        fast = fast_html.convert(source)
        assert fast is not None
        assert fast == CONV.convert(source)


def test_odd_characters_are_the_controls_and_the_line_separators():
    for code in range(0x10000):
        char = chr(code)
        odd = code < 0x20 and char != "\n" or 0x7F <= code <= 0x9F or char in "\u2028\u2029"
        assert bool(fast_html._ODD_CHAR_RE.match(char)) == odd, hex(code)


def test_the_converter_wp_html_falls_back_on_is_the_one_mirrored():
    """The fast path's rules are wp_markdownify's converter's, which wp_html hands the declined
    markup to: another class or option would not be mirrored (and the equality tests above
    would then compare the fast path with the wrong converter)."""
    from markdownify import MarkdownConverter

    from journal.core.importers.wp_markdownify import WpConverter

    class OwnItems(WpConverter):
        def convert_li(self, el, text, parent_tags):  # type: ignore[no-untyped-def]
            return text

    assert fast_html.mirrors(CONV)
    assert not fast_html.mirrors(MarkdownConverter())
    assert not fast_html.mirrors(OwnItems())
    assert not fast_html.mirrors(WpConverter(bullets="*"))
    assert fast_html.mirrors(WpConverter())


def test_the_named_references_are_beautifulsoups():
    """fast_html reads named references from the standard library's HTML5 table, so as not to
    import BeautifulSoup: it is the table BeautifulSoup reads them with."""
    from bs4.dammit import EntitySubstitution

    assert fast_html._NAMED == EntitySubstitution.HTML_ENTITY_TO_CHARACTER


def test_converting_simple_posts_imports_no_markdownify(tmp_path):
    """The import's converting processes start without markdownify, BeautifulSoup or
    soupsieve (~70 ms of CPU each): they are loaded only for markup the fast path declines."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from journal.core.importers import convert_pool, wp_html\n"
        "heavy = lambda: sorted(m for m in ('markdownify', 'bs4', 'soupsieve') if m in sys.modules)\n"
        "assert heavy() == [], heavy()\n"
        "print(wp_html.html_to_markdown('A post &amp; <em>its</em> &nbsp;text.\\n\\nTwo.'))\n"
        "assert heavy() == [], heavy()\n"
        "print(wp_html.html_to_markdown('<table><tr><td>cell</td></tr></table>'))\n"
        "assert heavy() == ['bs4', 'markdownify', 'soupsieve'], heavy()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "A post & *its* \xa0text."
    assert "cell" in done.stdout


@pytest.mark.parametrize(("source", "expected"), [
    ('<p>Top:</p><ol start="½"><li>x</li><li>y</li></ol>', "Top:\n\n1. x\n2. y"),
    ('<ol start="&sup2;" class="c"><li>x</li></ol>', "1. x"),
    (f'<ol start="{"9" * 5000}"><li>x</li></ol>', "1. x"),  # past int()'s 4300 digits
    (f'<h{"9" * 5000}>Deep</h{"9" * 5000}><p>x</p>', "###### Deep\n\nx"),
    ('<ol start="3"><li>x</li></ol><pre>k</pre>', "3. x\n\n```\nk\n```"),
    ('<table><tr><td colspan="²">a</td><td>b</td></tr></table>', "|  |  |\n| --- | --- |\n| a | b |"),
])
def test_a_number_attribute_that_is_numeric_but_no_number_is_ignored_as_a_browser_does(
        source, expected):
    """markdownify reads ``start``/``colspan`` with ``int()`` once ``isnumeric()`` holds:
    "²" or "½" raised ValueError, which stopped the whole import."""
    assert wp_html.html_to_markdown(source) == expected
