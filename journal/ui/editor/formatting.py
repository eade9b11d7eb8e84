"""Formatting commands on a QPlainTextEdit: each is one undo step and keeps a useful selection."""

from __future__ import annotations

import re

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from journal.ui.editor.utf16 import length as qlen  # positions are Qt's (an emoji is two)

_HEADING_PREFIX = re.compile(r"^(#{1,6})\s+")


def wrap(editor: QPlainTextEdit, left: str, right: str, placeholder: str) -> None:
    """Wrap the selection in ``left``/``right``; with none, insert and select ``placeholder``."""
    cursor = editor.textCursor()
    text = cursor.selectedText() or placeholder
    start = cursor.selectionStart()
    cursor.beginEditBlock()
    cursor.insertText(f"{left}{text}{right}")
    cursor.endEditBlock()
    cursor.setPosition(start + qlen(left))
    cursor.setPosition(start + qlen(left) + qlen(text), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def _line_span(editor: QPlainTextEdit) -> QTextCursor:
    cursor = editor.textCursor()
    start, end = cursor.selectionStart(), cursor.selectionEnd()
    cursor.setPosition(start)
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    return cursor


def _replace_lines(editor: QPlainTextEdit, cursor: QTextCursor, lines: list[str]) -> None:
    start = cursor.selectionStart()
    cursor.beginEditBlock()
    cursor.insertText("\n".join(lines))
    cursor.endEditBlock()
    cursor.setPosition(start)
    cursor.setPosition(start + qlen("\n".join(lines)), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def toggle_prefix(editor: QPlainTextEdit, prefix: str) -> None:
    """Add ``prefix`` to every selected line, or remove it when all lines already have it."""
    cursor = _line_span(editor)
    lines = cursor.selectedText().split("\u2029")
    if all(line.startswith(prefix) for line in lines if line):
        lines = [line[len(prefix):] if line.startswith(prefix) else line for line in lines]
    else:
        lines = [prefix + line for line in lines]
    _replace_lines(editor, cursor, lines)


def cycle_heading(editor: QPlainTextEdit) -> None:
    """Plain → ``##`` → ``###`` → … → ``######`` → plain, on the current line."""
    cursor = _line_span(editor)
    line = cursor.selectedText().split("\u2029")[0]
    match = _HEADING_PREFIX.match(line)
    level = len(match.group(1)) if match else 1
    rest = line[match.end():] if match else line
    new = "" if level >= 6 else "#" * (level + 1) + " "
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    _replace_lines(editor, cursor, [new + rest])


def insert_link(editor: QPlainTextEdit) -> None:
    cursor = editor.textCursor()
    text = cursor.selectedText() or "link text"
    start = cursor.selectionStart()
    cursor.insertText(f"[{text}](https://)")
    url_at = start + qlen(text) + 3
    cursor.setPosition(url_at)
    cursor.setPosition(url_at + len("https://"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)


def insert_film_link(editor: QPlainTextEdit) -> None:
    wrap(editor, "[[", "]]", "Film title (Year)")


def spoiler_section(editor: QPlainTextEdit, label: str = "") -> None:
    """Put the selected lines (or a placeholder) inside ``::: spoiler`` … ``:::``."""
    cursor = _line_span(editor) if editor.textCursor().hasSelection() else editor.textCursor()
    inner = cursor.selectedText().replace("\u2029", "\n") or "What happens…"
    opening = f"::: spoiler {label}".rstrip()
    start = cursor.selectionStart()
    cursor.beginEditBlock()
    cursor.insertText(f"{opening}\n{inner}\n:::")
    cursor.endEditBlock()
    cursor.setPosition(start + qlen(opening) + 1)
    cursor.setPosition(start + qlen(opening) + 1 + qlen(inner), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
