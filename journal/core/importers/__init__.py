"""Importers' parsing layer (Qt-free): WordPress WXR exports and Letterboxd CSV exports.

This package only reads and recognises; it produces plain dataclasses that the service layer
turns into journal records. Nothing here touches the store or imports Qt.
"""

from journal.core.importers.errors import ImportFormatError, LetterboxdFormatError, WxrFormatError

__all__ = ["ImportFormatError", "LetterboxdFormatError", "WxrFormatError"]
