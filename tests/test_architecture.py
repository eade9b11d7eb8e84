"""Layering: the core and the store never load Qt; no module grows into a god file."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
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


# ---------------------------------------------------------------------- layer rules, read from
# the source with ast (imports inside functions count too): docs/architecture.md, "Layers" and
# "One data layer". Each test names the rule it enforces.
import ast  # noqa: E402

JOURNAL = ROOT / "journal"
FRONT_ENDS = ("journal/ui", "journal/cli", "journal/printing")
#: What the window and the command line may take from the store: constants and types
#: (models), the lock and the versions, and the opening steps the start-up runs itself.
UI_STORE_MODULES = {"journal.store.models", "journal.store.lock", "journal.store.version",
                    "journal.store.info", "journal.store.connection", "journal.store.backup"}
#: peewee's query-building and reading methods: never called in a front end.
QUERY_METHODS = {"execute_sql", "where", "order_by", "group_by", "having", "switch", "tuples",
                 "dicts", "objects", "namedtuples", "get_or_none", "get_by_id", "get_or_create",
                 "insert_many", "insert_from", "on_conflict", "on_conflict_ignore", "paginate",
                 "distinct", "delete_instance", "scalar", "bulk_create", "bulk_update"}


def _modules(*folders: str) -> dict[str, ast.Module]:
    found = {}
    for folder in folders:
        base = ROOT / folder
        paths = [base] if base.suffix == ".py" else sorted(base.rglob("*.py"))
        for path in paths:
            found[str(path.relative_to(ROOT))] = ast.parse(path.read_text(encoding="utf-8"))
    return found


def _imports(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, dotted name) of every import, ``from a.b import c`` giving ``a.b.c`` and ``a.b``."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return out


def _violations(folders: tuple[str, ...], bad: Callable[[str], bool]) -> list[str]:
    return [f"{path}:{line} imports {name}" for path, tree in _modules(*folders).items()
            for line, name in _imports(tree) if bad(name)]


def _under(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def test_store_imports_nothing_from_core_or_the_front_ends():
    """The store: tables, connections, migrations. It may use journal.errors and
    journal.values (the value types its fields keep), nothing above it."""
    assert _violations(("journal/store",), lambda n: _under(
        n, "journal.core", "journal.ui", "journal.printing", "journal.cli", "journal.app")) == []


def test_core_imports_no_front_end():
    assert _violations(("journal/core",), lambda n: _under(
        n, "journal.ui", "journal.printing", "journal.cli", "journal.app")) == []


def test_the_app_never_runs_the_synthetic_generators():
    """``journal.core.synthetic`` and ``importers.synthetic`` make the benches' and volume
    tests' input; nothing of the app imports them (so ``make mutation`` leaves them out)."""
    generators = ("journal.core.synthetic", "journal.core.importers.synthetic")
    found = _violations(("journal",), lambda n: _under(n, *generators))
    assert [v for v in found if not v.startswith(("journal/core/synthetic.py",
                                                  "journal/core/importers/synthetic.py"))] == []


def test_core_store_and_neutral_modules_import_no_qt_even_lazily():
    neutral = ("journal/core", "journal/store", "journal/values.py", "journal/errors.py",
               "journal/paths.py", "journal/resources.py", "journal/logsetup.py")
    assert _violations(neutral, lambda n: _under(n, "PySide6", "shiboken6")) == []


def test_printing_uses_no_widgets_and_no_ui():
    assert _violations(("journal/printing",), lambda n: _under(
        n, "PySide6.QtWidgets", "journal.ui", "journal.cli")) == []


def _module_file(name: str) -> Path | None:
    path = ROOT / name.replace(".", "/")
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return path / "__init__.py" if (path / "__init__.py").is_file() else None


def _loads(start: str, stop: tuple[str, ...] = ()) -> dict[str, list[str]]:
    """Every journal module ``start`` can load (its imports, those inside functions too, their
    packages' ``__init__``, and so on, not going into ``stop``), with the imports of each."""
    seen: dict[str, list[str]] = {name: [] for name in stop}
    todo = [str(p.relative_to(ROOT).with_suffix("")).replace("/", ".")
            for p in (ROOT / start).rglob("*.py")]
    while todo:
        name = todo.pop().removesuffix(".__init__")
        if name in seen or _module_file(name) is None:
            continue
        names = [n for _line, n in _imports(ast.parse(_module_file(name).read_text("utf-8")))]
        seen[name] = names
        parts = name.split(".")
        todo += [".".join(parts[:i]) for i in range(1, len(parts))]  # the packages' __init__
        todo += [n for n in names if n.split(".")[0] == "journal"]
    return seen


def test_cli_never_loads_widgets():
    """The command line runs without a display: nothing its commands can import, however
    indirectly, imports QtWidgets (they may use QtGui-only modules such as ui/poster_image.py).
    ``eyelights`` with no command opens the window through journal.app: not followed."""
    widgets = sorted(name for name, names in _loads("journal/cli", ("journal.app",)).items()
                     if any(_under(n, "PySide6.QtWidgets") for n in names))
    assert widgets == []


def test_cli_uses_the_services_not_the_window():
    assert _violations(("journal/cli",), lambda n: _under(n, "PySide6.QtWidgets")) == []


def test_front_ends_take_from_the_store_only_constants_types_and_start_up_steps():
    assert _violations(FRONT_ENDS, lambda n: _under(n, "journal.store") and not any(
        _under(n, m) for m in UI_STORE_MODULES) and n != "journal.store") == []


def test_front_ends_import_no_database_library():
    assert _violations(FRONT_ENDS, lambda n: _under(n, "sqlite3", "peewee", "playhouse")) == []


def _schema_classes(tree: ast.Module) -> set[str]:
    """Names a module imported from journal.store.models that are model classes."""
    return {alias.asname or alias.name for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module == "journal.store.models"
            for alias in node.names if not alias.name.isupper()}


def _query_calls(tree: ast.Module) -> list[tuple[int, str]]:
    """The data access a front end must not write itself: SQL, peewee query building, the
    journal's database or model classes reached directly, a schema class queried."""
    schema = _schema_classes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name = node.func.attr
            if name in QUERY_METHODS and (node.args or name not in ("where", "order_by")):
                found.append((node.lineno, f".{name}()"))  # a key store's where() is no query
            elif name == "select" and isinstance(node.func.value, ast.Call):
                found.append((node.lineno, ".select()"))  # a query's: x.live().select(…); a
                # widget's or a text cursor's own select(…) is not
        if isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            if node.attr == "models" and not text.startswith("journal.ui"):
                found.append((node.lineno, text))  # journal.models.Film: the core's business
            if node.attr == "store" and isinstance(node.value, ast.Name | ast.Attribute) and \
                    ast.unparse(node.value).split(".")[-1] in ("journal", "_journal", "j"):
                found.append((node.lineno, text))  # journal.store(.db): the store itself
            if isinstance(node.value, ast.Name) and node.value.id in schema:
                found.append((node.lineno, text))  # Film.title: a schema class queried
            if isinstance(node.value, ast.Name) and node.value.id == "fn":
                found.append((node.lineno, text))  # peewee's fn.COUNT(…)
    return found


def test_front_ends_run_no_sql_and_build_no_queries():
    """The UI, the CLI and printing ask the core's services and query modules
    (core/*_query.py, core/review_rows.py, core/film_titles.py) for what they show."""
    found = [f"{path}:{line} {what}" for path, tree in _modules(*FRONT_ENDS).items()
             for line, what in _query_calls(tree)]
    assert found == []


def test_the_query_check_sees_each_kind_of_data_access():
    """The check above, on code that does each forbidden thing (so it cannot pass vacuously)."""
    sample = ast.parse(
        "from journal.store.models import MEDIA, Film\n"
        "rows = journal.store.db.execute_sql('SELECT 1')\n"
        "films = self.journal.films.live().where(Film.year == 2000).order_by(Film.title)\n"
        "q = self.journal.models.Review.select()\n"
        "ids = self.journal.films.live().select(1)\n"
        "self.select(current)\n"
        "place = self.keys.where()\n"
        "n = fn.COUNT(1)\n"
        "cursor.select(QTextCursor.SelectionType.Document)\n"
        "x: Film | None = None\n")
    found = {what for _line, what in _query_calls(sample)}
    assert {".execute_sql()", ".where()", ".order_by()", ".select()", "fn.COUNT", "Film.year",
            "Film.title", "self.journal.models", "journal.store"} <= found
    assert len([w for w in found if w == ".select()"]) == 1  # the query's, not the widget's


def test_assets_load_through_importlib_resources():
    """No module finds files next to itself: icons, CSS and templates come from
    importlib.resources, so a wheel and a bundle work like a checkout."""
    uses = [f"{path}:{node.lineno}" for path, tree in _modules("journal").items()
            for node in ast.walk(tree) if isinstance(node, ast.Name) and node.id == "__file__"]
    assert uses == []


def test_read_only_connections_name_their_file_by_one_rule():
    """``store/uri.read_only_uri`` alone writes a read-only URI: one pasted by hand (``file:{path}``)
    opened another, empty file when the path held a ``#`` or ``?`` (docs/reliability.md)."""
    by_hand = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "journal").rglob("*.py")
                     if p.name != "uri.py" and "mode=ro" in p.read_text(encoding="utf-8"))
    assert by_hand == []
