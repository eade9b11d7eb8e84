"""docs/objects.md lists every stable object name the UI sets."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_objects_doc_is_current():
    spec = importlib.util.spec_from_file_location("object_names", ROOT / "tools" / "object_names.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found = module.collect()
    assert "journal/ui/mainwindow.py" in found and "sidebar" in sum(found.values(), [])
    current = (ROOT / "docs" / "objects.md").read_text(encoding="utf-8")
    assert current == module.render(found), "run: python tools/object_names.py"
