"""Layering: the core and the store never load Qt; no module grows into a god file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOAD_ALL = """
import importlib, pkgutil, sys
import journal.core, journal.store
for package in (journal.core, journal.store):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(",".join(loaded))
"""


def test_core_and_store_import_no_qt():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", LOAD_ALL], capture_output=True, text=True,
                          env=env, timeout=120, check=True)
    assert done.stdout.strip() == "", f"Qt loaded by the core: {done.stdout.strip()}"


def test_no_module_over_600_lines():
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "journal").rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert big == {}
