"""Clean one-line values read from a post (eyelights, eyesores, synopsis, titles).

A value recognised in a Markdown body still carries the body's markup: a WordPress line break
(``<br />`` becomes a trailing ``\\``), emphasis (``*aching*``), backslash escapes (``\\*``),
links. The review's fields hold plain text, shown without Markdown, so :func:`clean_value`
removes all of it and applies the typography the renderer gives the body (python-markdown's
*smarty*: curly quotes and apostrophes, en and em dashes, ellipses): a field reads like the
text around it. ``tests/test_import_textclean.py`` compares it with the renderer.
"""

from __future__ import annotations

import re

#: The characters Markdown lets a backslash escape.
_ESCAPABLE = "\\`*_{}[]()#+-.!<>|~\"'=:"
_ESCAPE_RE = re.compile(r"\\([" + re.escape(_ESCAPABLE) + r"])")
_PLACEHOLDER = "\x00{}\x00"
_PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")
_LINK_RE = re.compile(r"!?\[([^\]]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"]*\")?\)")
_AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR_RE = re.compile(r"\*(?=\S)(.+?)(?<=\S)\*")
_EM_UNDER_RE = re.compile(r"(?<![\w])_(?=\S)(.+?)(?<=\S)_(?![\w])")
_STRIKE_RE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_RE = re.compile(r"`([^`]+)`")
_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

# python-markdown's smarty, in the order it applies them
_OPENING_CONTEXT = r"(?:^|(?<=[\s(\[{\u2014\u2013-]))"


def _protect(text: str, kept: list[str]) -> str:
    """Replace backslash escapes by placeholders so that emphasis rules skip them."""

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(1))
        return _PLACEHOLDER.format(len(kept) - 1)

    return _ESCAPE_RE.sub(keep, text)


def _restore(text: str, kept: list[str]) -> str:
    return _PLACEHOLDER_RE.sub(lambda m: kept[int(m.group(1))], text)


_MARKUP_CHARS_RE = re.compile(r"[\\`*_\[<&~]")


def strip_markdown(text: str) -> str:
    """Inline Markdown → its text: emphasis, code, links, inline HTML tags and escapes go."""
    if _MARKUP_CHARS_RE.search(text) is None:
        return text
    import html

    kept: list[str] = []
    text = _protect(text, kept)
    text = _CODE_RE.sub(lambda m: m.group(1), text)
    text = _LINK_RE.sub(lambda m: m.group(1), text)
    text = _AUTOLINK_RE.sub(lambda m: m.group(1), text)
    text = _TAG_RE.sub("", text)
    previous = None
    while previous != text:  # ***both*** and nested emphasis
        previous = text
        text = _STRONG_RE.sub(lambda m: m.group(2), text)
        text = _EM_STAR_RE.sub(lambda m: m.group(1), text)
        text = _EM_UNDER_RE.sub(lambda m: m.group(1), text)
        text = _STRIKE_RE.sub(lambda m: m.group(1), text)
    if "&" in text:
        text = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), text)
    return _restore(text, kept)


def smarten(text: str) -> str:
    """Straight quotes, ``--``, ``---`` and ``...`` as the body's renderer shows them."""
    if "'" not in text and '"' not in text and "--" not in text and ".." not in text \
            and ". ." not in text:
        return text
    text = text.replace("---", "\u2014").replace("--", "\u2013")
    text = re.sub(r"\.\.\.|\. \. \.", "\u2026", text)
    # decade abbreviations ('80s) and apostrophes inside or after words
    text = re.sub(r"'(?=\d{2}s\b)", "\u2019", text)
    text = re.sub(r"(?<=[\w.,!?;:)\]\u2026%])'", "\u2019", text)
    text = re.sub(rf"{_OPENING_CONTEXT}'", "\u2018", text)
    text = re.sub(rf'{_OPENING_CONTEXT}"', "\u201c", text)
    text = re.sub(r"(?<=[\w.,!?;:)\]\u2026%\u2019'])\"", "\u201d", text)
    text = text.replace("'", "\u2019").replace('"', "\u201d")
    return text


def clean_value(text: str) -> str:
    """A recognised one-line value as clean text (see the module docstring)."""
    text = text.strip()
    while text.endswith("\\") and not text.endswith("\\\\"):  # a Markdown hard line break
        text = text[:-1].rstrip()
    text = strip_markdown(text)
    text = " ".join(text.split())
    if text.count("*") % 2 or text.count("**") % 2:  # a marker left alone by a broken pair
        text = text.strip("*_ ")
    return smarten(text).strip()
