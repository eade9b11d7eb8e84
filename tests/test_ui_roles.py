"""The plain-int roles of the first frame's modules are Qt's own, and that frame (shown, then
painted) makes PySide6 build no ``Qt`` namespace (see journal/ui/roles.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

from journal.ui import roles

ROOT = Path(__file__).resolve().parent.parent


def test_the_plain_roles_are_qts():
    role = Qt.ItemDataRole
    assert roles.DISPLAY == role.DisplayRole.value
    assert roles.TOOL_TIP == role.ToolTipRole.value
    assert roles.TEXT_ALIGNMENT == role.TextAlignmentRole.value
    assert roles.ACCESSIBLE_TEXT == role.AccessibleTextRole.value
    assert roles.USER == role.UserRole.value
    align = Qt.AlignmentFlag
    assert roles.ALIGN_NUMBER == (align.AlignRight | align.AlignVCenter).value


#: Starts the app as ``eyelights --smoke-test`` does and says, when the window is shown and when
#: its first frame is painted, whether PySide6 has built the ``Qt`` namespace yet.
PROBE = """
import sys
from journal.app import _import_before_qt, main
_import_before_qt()
import journal.ui.application as application
report = application._report
def probe(what):
    print(what, "Qt" in sys.modules["PySide6.QtCore"].__dict__, flush=True)
    report(what)
application._report = probe
sys.exit(main(["--smoke-test", "--journal", sys.argv[1]]))
"""


def test_the_first_frame_names_no_qt_enum(journal_path, tmp_path):
    from journal.core.journal import Journal
    from journal.core.sample import load_sample

    with Journal.open(journal_path) as journal:
        load_sample(journal)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EYELIGHTS_REPORT_SHOWN": "1",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_RUNTIME_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE, str(journal_path)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    said = {word: flag for word, flag, *_ in (line.split() for line in done.stdout.splitlines())
            if flag in ("True", "False")}
    # If this fails, something on the first frame's path names Qt.<enum> (an import of Qt,
    # a default argument, a Python headerData, QSplitter(parent) read as QSplitter(Qt.Orientation))
    assert said["shown"] == "False" and said["painted"] == "False", said
    assert said["ready"] == "True"  # the probe can tell: the full window does name it
