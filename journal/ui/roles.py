"""Qt's item-data roles and one alignment as plain ints, for the modules the first frame needs.

PySide6 builds the ``Qt`` namespace's hundred-odd enums the first time anything names it (``from
PySide6.QtCore import Qt`` included): ~16 ms on a small machine, a sixth of a bare window's whole
start. The window's first frame (frame, sidebar, the newest reviews) names none of them; these
values are fixed in Qt's ABI (``Qt::DisplayRole`` has been 0 since Qt 4), and
``tests/test_ui_roles.py`` checks them against PySide6's enums. Elsewhere, use ``Qt`` as usual.
"""

DISPLAY = 0           # Qt.ItemDataRole.DisplayRole
TOOL_TIP = 3          # Qt.ItemDataRole.ToolTipRole
TEXT_ALIGNMENT = 7    # Qt.ItemDataRole.TextAlignmentRole
ACCESSIBLE_TEXT = 11  # Qt.ItemDataRole.AccessibleTextRole
USER = 0x0100         # Qt.ItemDataRole.UserRole

#: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter: numbers in a list.
ALIGN_NUMBER = 0x0002 | 0x0080
