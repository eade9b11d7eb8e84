"""The importers' quick scans give exactly what the plain code they replaced gave.

``conventions._lines_to_classify`` (one regex over the whole body instead of a test per line),
``conventions._rebuild`` (the body cut as slices instead of line by line), ``conventions._plain``,
``derive.has_spoilers`` (a regex that jumps from newline to newline) and ``any_case.words``
(alternatives grouped by first letter) are each compared here with a plain reference: the code
as it was before, kept in this file.
"""

from __future__ import annotations

import re
import string
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from journal.core.derive import has_spoilers
from journal.core.importers import any_case, conventions, wp_html
from journal.core.values import fold

# --- the references (the code before the quick scans) ----------------------------------------

_LEADING = " \t#>*_!.:…-–—()[]\\"
_WORTH_RE = re.compile(
    rf"[\s{re.escape(_LEADING)}]*+(?:rating|score|my|our|overall|final|verdict|grade|eyelight|"
    r"the\s+(?:rating|score|verdict|grade)|"
    r"eyesore|date|viewing|seen|watched|synopsis|end|spoiler|major|minor|mild|huge|big|massive|"
    r"some|serious|heavy|light|mpaa|rated|age|certificat|classification|bbfc|content|parental|"
    r"imdb|tmdb|rotten|rt|tomatometer|audience|metacritic|metascore|critic|average|user|/|\d|"
    r"[★☆✩✭✮✯⭐🌟½])", re.IGNORECASE)
_DIGIT_OR_STAR_RE = re.compile(r"[\d★☆✩✭✮✯⭐🌟½]")


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    return unicodedata.normalize("NFKD", char)[:1].casefold()


def _plain_reference(line: str) -> str:
    text = line.strip()
    text = re.sub(r"^(?:#{1,6}\s+|>\s*)", "", text)
    if "\\" in text:
        text = re.sub(r"\\([*_])", r"\1", text)
    previous = None
    while previous != text:
        previous = text
        text = text.strip("*_ \t")
    return text


def _worth_reference(line: str, titles: tuple[str, ...]) -> bool:
    if _WORTH_RE.match(line) is not None:
        return True
    if not titles or len(line) > 300 or _DIGIT_OR_STAR_RE.search(line) is None:
        return False
    start = _plain_reference(line)
    first = next((c for c in start if c.isalnum()), "")
    if not first or not any(t.startswith(_fold_char(first)) for t in titles):
        return False
    return any(fold(start[:2 * len(t) + 16]).startswith(t) for t in titles)


def _fenced_reference(lines: list[str]) -> set[int]:
    inside, fenced = False, set()
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            inside = not inside
            fenced.add(i)
        elif inside:
            fenced.add(i)
    return fenced


def _lines_reference(text: str, titles: tuple[str, ...]) -> list[int]:
    """Where the lines the per-line quick test kept start (outside code fences)."""
    lines = text.split("\n")
    fenced = _fenced_reference(lines)
    starts, at = [], 0
    for i, line in enumerate(lines):
        if i not in fenced and _worth_reference(line, titles):
            starts.append(at)
        at += len(line) + 1
    return starts


def _rebuild_reference(lines: list[str], removed: set[int], fences: dict[int, str]) -> str:
    kept: list[str] = []
    for i, line in enumerate(lines):
        if i in fences:
            kept.extend(["", fences[i], ""])
        elif i not in removed:
            kept.append(line)
        elif kept and kept[-1].endswith("\\"):
            kept[-1] = kept[-1][:-1].rstrip()
    if fences and list(fences.values())[-1] == "::: spoiler":
        kept.extend(["", ":::"])
    text = "\n".join(kept)
    text = re.sub(r"\n[ \t]*\n(?:[ \t]*\n)+", "\n\n", text)
    return text.strip("\n")


_SPOILER_REFERENCE_RE = re.compile(
    r"^\s*:::\s*spoiler\b|^\s*[*_]{1,2}[^*_\n]*spoiler[^*_\n]*[*_]{1,2}\s*$",
    re.IGNORECASE | re.MULTILINE)

# --- texts made of the pieces these scans look at --------------------------------------------

_TITLES = ["film number 12", "her", "amelie", "8½", "blade runner 2049", "m"]
_PIECES = ["", " ", "\t", "\u00a0", "\u2028", "\x0b", "\r", "*", "**", "_", "#", "## ", "> ", "\\",
           "\\*", "!", "…", "—", "(", "[", "/", "`", "```", "~~~", " ```", "::: spoiler", ":::",
           "Rating", "rating: ", "Score 8.5", "The score: 8", "the\nscore", "Eyelights: x",
           "eyesores:", "Date of viewing: January 24, 2014", "spoiler", "SPOILERS", "ſpoiler",
           "spoİler", "spoiler alert", "MAJOR", "end of spoilers", "light", "some", "ıMDb", "K",
           "Music", "Here we go", "Film number 12 (1999) 8.5", "Film Number 12 – ★★★½",
           "Amélie 8", "Her", "8½ 9/10", "7", "★", "½", "٣", "prose and more prose", "x" * 290,
           "y" * 301]
_PIECES += ["\\_", "\\\\*", "\\\\_", "_\\"]
_TEXTS = st.lists(st.sampled_from(_PIECES), max_size=14).map("".join)
_LINES_TEXTS = st.lists(_TEXTS, max_size=8).map("\n".join)
_TITLE_SETS = st.sampled_from([(), *((t,) for t in _TITLES)])


@settings(max_examples=2500, deadline=None)
@given(_LINES_TEXTS, _TITLE_SETS)
@example("x" * 299 + "7", ("x",))
@example("x" * 300 + "7", ("x",))
@example("Her\n```\nHer 8\n```\nHer 9", ("her",))
@example("the\nscore: 8", ())
@example("\n\nrating", ())
def test_lines_to_classify_keeps_the_lines_the_per_line_test_kept(text, titles):
    assert conventions._lines_to_classify(text, titles) == _lines_reference(text, titles)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["", " ", "a", "b \\", "  \\", "\\", " \t", "\t\\", "x  ",
                                 "*spoiler*", "c\\\\"]), min_size=1, max_size=10),
       st.data())
def test_rebuild_gives_the_lines_rebuilt_one_by_one(lines, data):
    n = len(lines)
    marked = data.draw(st.lists(st.sampled_from(["keep", "remove", "open", "close"]),
                                min_size=n, max_size=n))
    starts, at = [], 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    removed = {i for i, m in enumerate(marked) if m == "remove"}
    fences = {i: "::: spoiler" if m == "open" else ":::" for i, m in enumerate(marked)
              if m in ("open", "close")}
    expected = _rebuild_reference(lines, removed, fences)
    got = conventions._rebuild("\n".join(lines), {starts[i] for i in removed},
                               {starts[i]: f for i, f in fences.items()})
    assert got == expected


@settings(max_examples=1000, deadline=None)
@given(_TEXTS)
def test_plain_takes_off_what_the_loop_took_off(line):
    assert conventions._plain(line) == _plain_reference(line)


@settings(max_examples=2500, deadline=None)
@given(_LINES_TEXTS)
@example("*spoiler*")
@example(" \n\n  **MAJOR spoiler alert**  \n")
@example(":::\n\n spoiler")
@example("::: spoilers")
@example("*spoiler* x")
@example("text\n_ſpoiler_")
@example("***spoiler***")
@example("*spoiler spoiler*")
@example("\n \n\t*spoiler* \r")
@example("*spoiler x spoiler")
def test_has_spoilers_finds_what_the_multiline_regex_found(text):
    assert has_spoilers(text) == (_SPOILER_REFERENCE_RE.search(text) is not None)


@pytest.mark.parametrize("text", ["\n" * 1_000_000, " \n" * 500_000, "*" + "spoiler " * 125_000,
                                  "x\n_" + "Spoiler, " * 100_000 + "\n" * 1000])
def test_has_spoilers_reads_a_megabyte_of_hostile_text_at_once(text):
    """Blank lines by the million, a line of "spoiler" with no closing ``*``: each line start
    tried once, each line read once (``^\\s*`` and ``[^*_\\n]*spoiler`` took hours on these).
    Not timed here: without the fix this test does not finish."""
    assert has_spoilers(text) is False
    assert has_spoilers(text + "\n*spoiler*") is True


# --- any_case ---------------------------------------------------------------------------------

_EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


def test_letter_cases_are_what_ignorecase_matches_for_every_character():
    for letter in string.ascii_lowercase:
        ignorecase = re.findall(letter, _EVERY_CHARACTER, re.IGNORECASE)
        assert re.findall(any_case.letter_cases(letter), _EVERY_CHARACTER) == ignorecase, letter


_TAGS = wp_html._BLOCK_TAGS.split("|")


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(["<", "</", ">", " ", "p", "P", "pre", "h1", "H7", "hr", "li",
                                 "İframe", "ıframe", "ſection", "section", "iframe", "td",
                                 "dl", "dd", "x", "-", "\n", "ſvg", "Kx"]), max_size=8)
       .map("".join))
def test_grouped_words_match_as_the_plain_alternation(text):
    grouped = re.compile(rf"</?{any_case.words(_TAGS)}\b[^>]*>?", re.IGNORECASE)
    plain = re.compile(rf"</?(?:{'|'.join(_TAGS)})\b[^>]*>?", re.IGNORECASE)
    assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_words_needs_a_letter_first():
    with pytest.raises(ValueError):
        any_case.words(["/x"])


def test_words_keep_the_order_of_the_alternatives_of_a_letter():
    """The first alternative that matches wins, as in a plain alternation."""
    assert re.match(any_case.words(["a", "ab"]), "ab").group() == "a"
    assert re.match(any_case.words(["ab", "a"]), "AB").group() == "AB"
    assert re.match(any_case.words(["st", "s"]), "ſT").group() == "ſT"


# --- wp_html: autop and tidy_markdown -------------------------------------------------------

_TAGS_RE = "|".join(_TAGS)
_OPEN_REFERENCE_RE = re.compile(rf"(<(?:{_TAGS_RE})\b[^>]*>)", re.IGNORECASE)
_CLOSE_REFERENCE_RE = re.compile(rf"(</(?:{_TAGS_RE})\s*>)", re.IGNORECASE)
_STARTS_REFERENCE_RE = re.compile(rf"^\s*</?(?:{_TAGS_RE})\b", re.IGNORECASE)


def _autop_reference(text: str) -> str:
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00PRE{len(kept) - 1}\x00\n\n"

    text = re.sub(r"<pre\b.*?</pre>", protect, text, flags=re.IGNORECASE | re.DOTALL)
    text = _OPEN_REFERENCE_RE.sub(r"\n\n\1", text)
    text = _CLOSE_REFERENCE_RE.sub(r"\1\n\n", text)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip("\n")
        if not chunk.strip():
            continue
        if chunk.startswith("\x00PRE") or _STARTS_REFERENCE_RE.match(chunk):
            paragraphs.append(chunk)
        else:
            lines = [line.strip() for line in chunk.split("\n")]
            paragraphs.append("<p>" + "<br />\n".join(lines) + "</p>")
    result = "\n\n".join(paragraphs)
    if not kept:
        return result
    return re.sub(r"\x00PRE(\d+)\x00", lambda m: kept[int(m.group(1))], result)


def _tidy_reference(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


_HTML_PIECES = ["", "\n", "\n\n", " \n", "\n \n", "\t", "\u00a0", "\u2028", "\x0b", "\r", "x",
                "words", "<p>", "</p>", "<P class='a'>", "</div >", "<pre>", "</pre>", "<ſection>",
                "<İframe>", "<h2>", "</h2>", "<b>", "<br />", "\x00PRE", "<", ">", "  ", "é", "🎬"]
_HTML = st.lists(st.sampled_from(_HTML_PIECES), max_size=16).map("".join)


@settings(max_examples=2500, deadline=None)
@given(_HTML)
@example(" <p>x</p>")
@example("a\n \nb\nc ")
@example("\u00a0\n\n<pre>a\n\nb</pre>")
def test_autop_gives_what_the_chunk_by_chunk_loop_gave(text):
    assert wp_html.autop(text) == _autop_reference(text)


@settings(max_examples=2500, deadline=None)
@given(_HTML)
@example("a \nb")
@example("a\u2028")
@example("a\n\n\nb")
@example("a\n \n\nb")
@example("a\n")
def test_tidy_markdown_gives_what_the_line_by_line_rstrip_gave(text):
    assert wp_html.tidy_markdown(text) == _tidy_reference(text)


# --- titles and scores: the quick exits --------------------------------------------------------

_TITLE_PIECES = ["", " ", "x", "Her", '"', "“", "”", "‘", "’", "'", "«", "»", "*", "_", "(", ")",
                 "[", "]", "5/10", "★★", "\n"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_PIECES), max_size=8).map("".join))
def test_unquote_gives_what_the_loop_over_every_quote_gave(text):
    from journal.core.importers import titles

    expected = text
    for left, right in titles._QUOTES:
        if len(text) > 2 and text.startswith(left) and text.endswith(right) and \
                left not in text[1:-1] and right not in text[1:-1]:
            expected = text[1:-1].strip()
            break
    assert titles._unquote(text) == expected


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_TITLE_PIECES), min_size=1, max_size=8).map("".join))
def test_a_value_not_ending_with_a_bracket_has_no_bracketed_tail(text):
    """``scores.read_score_value`` looks for "(…)" / "[…]" only in a value ending with one."""
    from journal.core.importers import scores

    text = text.strip().rstrip(".!").strip()
    if text and text[-1] not in ")]":
        assert scores._PAREN_TAIL_RE.match(text) is None


@pytest.mark.parametrize("value", ["★★ (5/10)", "★★ [5/10]", "(5/10)", "[5/10]"])
def test_a_value_ending_with_a_bracket_is_read_for_its_tail(value):
    from decimal import Decimal

    from journal.core.importers import scores

    assert scores.read_score_value(value).value == Decimal("5.0")


# --- parse_partial_date and _tenths --------------------------------------------------------------


def _parse_partial_date_reference(text: str) -> str | None:
    month_re = r"(?P<month>[a-z]{3,9})\.?"
    text = re.sub(r"\s+", " ", _plain_reference(text).rstrip("\\").strip().rstrip(".").strip()).lower()
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    if m := re.fullmatch(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?", text):
        year, month, day = m.groups()
        return conventions._partial(int(year), int(month) if month else None,
                                    int(day) if day else None)
    for pattern in (rf"{month_re} (?P<day>\d{{1,2}}),? (?P<year>\d{{4}})",
                    rf"(?P<day>\d{{1,2}}) {month_re},? (?P<year>\d{{4}})",
                    rf"{month_re},? (?P<year>\d{{4}})"):
        if m := re.fullmatch(pattern, text):
            month = conventions._MONTHS.get(m.group("month"))
            if month is None:
                return None
            day = m.groupdict().get("day")
            return conventions._partial(int(m.group("year")), month, int(day) if day else None)
    return None


_DATE_PIECES = ["January", "jan", "Sept", "sept.", "MAY", "24", "24th", "1ST", "2nd", "3rd", "2014",
                "1999", ",", " ", "  ", "\t", "\u00a0", "\u2028", ".", "-", "/", "\\", "*", "**",
                "_", "> ", "## ", "th", "nd", "٣", "x"]


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_DATE_PIECES), max_size=9).map("".join))
@example("January 24th, 2014")
@example("  24  January\t2014. ")
@example("Sept. 3rd 2014")
def test_parse_partial_date_reads_what_it_read(text):
    assert conventions.parse_partial_date(text) == _parse_partial_date_reference(text)


@pytest.mark.parametrize("value", ["0", "10", "10.0", "5.55", "-0.1", "10.1", "7.25", "3.50", "0E+1",
                                   "1E+1", "4.999999999"])
def test_tenths_as_before(value):
    from decimal import Decimal

    from journal.core.importers import scores

    number = Decimal(value)
    if not Decimal(0) <= number <= Decimal(10):
        expected = scores.Unreadable(f"{number.normalize()} is not between 0 and 10")
    elif number != number.quantize(Decimal("0.1")):
        expected = scores.Unreadable(f"{number.normalize()} out of 10 has more than one decimal")
    else:
        expected = scores.Score(number.quantize(Decimal("0.1")), "how")
    got = scores._tenths(number, "how")
    assert got == expected and str(getattr(got, "value", "")) == str(getattr(expected, "value", ""))
