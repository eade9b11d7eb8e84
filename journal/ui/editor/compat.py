"""Workaround for a reference-counting bug of PySide6 6.12.0 on CPython 3.11.

Measured here: every call of a C++ method returning ``void`` (``setText``, ``setFormat``,
``setUnderlineStyle``…) takes one reference from ``None`` without giving it back. On 3.12+
``None`` is immortal (PEP 683) and nothing happens; on 3.11 a QSyntaxHighlighter exhausts
``None``'s count in seconds and the process aborts with "none_dealloc: deallocating None".
Until PySide6 is fixed, give ``None`` a practically endless count (what 3.12 does natively).
"""

from __future__ import annotations

import ctypes
import sys

_BALLAST = 1 << 48


def protect_none() -> bool:
    """Make ``None`` effectively immortal on CPython < 3.12. True when applied (once)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    if sys.getrefcount(None) > _BALLAST // 2:
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _BALLAST  # ob_refcnt is the first field
    return True


protect_none()
