"""Guards the pinned Qt binding against a known defect.

PySide6 6.12.0 on CPython 3.11 drops one reference to ``None`` on every call of a method that
returns nothing; a few thousand calls later the interpreter aborts ("none_dealloc"). 6.11.3 is
pinned because of it; this test fails if a future pin brings the defect back.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLineEdit


def test_void_calls_do_not_leak_references_to_none(qapp):
    edit = QLineEdit()
    before = sys.getrefcount(None)
    for _ in range(3000):
        edit.setText("x")
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 50
