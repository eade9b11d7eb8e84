"""The import rules docs/architecture.md states, checked on every module's imports (top level
and inside functions alike)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _layer(folder: str) -> dict[str, set[str]]:
    return {str(p.relative_to(ROOT)): _imports(p) for p in (ROOT / folder).rglob("*.py")}


def _breaking(folder: str, bad) -> dict[str, list[str]]:
    found = {}
    for module, names in _layer(folder).items():
        wrong = sorted(n for n in names if bad(n))
        if wrong:
            found[module] = wrong
    return found


def _under(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_the_store_imports_only_itself_errors_and_values():
    assert "`journal/store` imports from `journal` only itself" in DOC
    assert "`journal.core.review_rows`" in DOC

    def bad(name: str) -> bool:
        return _under(name, "journal") and not (
            _under(name, "journal.store", "journal.errors", "journal.core.values",
                   "journal.core.review_rows")
            or name in ("journal", "journal.APP_ID", "journal.APP_NAME", "journal.__version__"))
    assert _breaking("journal/store", bad) == {}


def test_core_and_store_import_no_qt_ui_printing_or_cli():
    def bad(name: str) -> bool:
        return _under(name, "PySide6", "shiboken6", "journal.ui", "journal.printing",
                      "journal.cli")
    assert _breaking("journal/core", bad) == {}
    assert _breaking("journal/store", bad) == {}


def _widget_free(module: str) -> bool:
    """A journal.ui module that needs no widgets (QtGui at most) and no other journal.ui."""
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.is_file():
        return False
    return not any(_under(n, "PySide6.QtWidgets", "journal.ui") for n in _imports(path))


def test_printing_uses_no_widgets_and_the_cli_no_window():
    assert _breaking("journal/printing",
                     lambda n: _under(n, "PySide6.QtWidgets", "journal.ui")) == {}
    assert "`journal/cli` never imports the window" in DOC

    def bad(name: str) -> bool:
        if _under(name, "PySide6.QtWidgets"):
            return True
        if not _under(name, "journal.ui"):
            return False
        module = name if (ROOT / (name.replace(".", "/") + ".py")).is_file() \
            else name.rsplit(".", 1)[0]
        return not _widget_free(module)
    assert _breaking("journal/cli", bad) == {}


def test_the_window_reaches_the_store_only_through_the_modules_named():
    allowed = ("journal.store.models", "journal.store.first_look", "journal.store.lock",
               "journal.store.connection", "journal.store.backup")
    for name in allowed:
        assert f"`{name.rsplit('.', 1)[1]}`" in DOC or f"`{name}`" in DOC, name
    assert _breaking("journal/ui", lambda n: _under(n, "journal.store")
                     and not _under(n, *allowed) and n != "journal.store") == {}
