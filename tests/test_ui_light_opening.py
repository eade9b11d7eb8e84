"""Opening the window on a review, with its preview drawn, loads what that needs and no more:
the export and printing stacks, the importers, the HTTP client (and ssl, email), Qt's network
module, Pygments, the metadata scan of every package, playhouse's migrations all wait for the
action that needs them (issue 19: launch time and peak memory)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

NOT_AT_OPENING = ("ssl", "http.client", "email", "urllib.request", "bs4", "markdownify",
                  "pygments", "importlib.metadata", "pymdownx", "playhouse.migrate",
                  "PySide6.QtNetwork", "PySide6.QtPrintSupport", "journal.printing",
                  "journal.core.export", "journal.core.importers", "journal.ui.import_wizard",
                  "journal.ui.publish_dialog", "journal.core.metadata.apply", "pickle")

RUN = """
import atexit, importlib.abc, json, linecache, sys, runpy, threading
gui_imports = []
class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name == "markdown" and threading.current_thread() is threading.main_thread():
            frame, where = sys._getframe(), "after the first look"
            while frame is not None:  # rendering the launch's review before the first frame?
                if frame.f_code.co_name == "render_now":
                    where = "first look"
                frame = frame.f_back
            gui_imports.append(where)
        return None
sys.meta_path.insert(0, Watch())
def report():
    print("MODULES " + json.dumps({{
        "loaded": sorted(m for m in {not_at} if m in sys.modules),
        "markdown": "markdown" in sys.modules, "markdown_on_gui_thread": gui_imports,
        "sources": len(linecache.cache)}}), flush=True)
atexit.register(report)
sys.argv = ["journal", "--smoke-test", "--journal", sys.argv[1], "--open", sys.argv[2]]
runpy.run_module("journal", run_name="__main__")
"""


@pytest.mark.parametrize("size", [12_000, 70_000])
def test_a_review_and_its_preview_load_nothing_else(tmp_path, size):
    """12 KB, no kept page: rendered in the first look, before the first frame (python-markdown
    imported there, on the GUI thread, and nowhere else); 70 KB (over ``RENDER_AT_ONCE``):
    rendered by the preview's worker, python-markdown never imported on the GUI thread."""
    from journal.core.journal import Journal
    from journal.core.render_cache import RENDER_AT_ONCE
    from journal.core.synthetic import review_body

    path = tmp_path / "one.eyelights"
    with Journal.open(path) as journal:
        film = journal.films.create("Her", 2013, directors=["Spike Jonze"])
        review = journal.reviews.create(film.id, review_body(seed=7, approx_bytes=size))
        assert (len(review.body) < RENDER_AT_ONCE) == (size < RENDER_AT_ONCE)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EYELIGHTS_REPORT_SHOWN": "1",
           "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
           "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share")}
    done = subprocess.run([sys.executable, "-c", RUN.format(not_at=repr(NOT_AT_OPENING)),
                           str(path), f"review:{review.id}"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "preview " in done.stdout  # the preview was drawn (journal/ui/timing.py)
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES "))
    found = json.loads(line.removeprefix("MODULES "))
    assert found["loaded"] == []
    assert found["markdown"]  # the renderer did run
    # python-markdown (~50 ms of imports) loads on the render worker (or, for a review rendered
    # before the first frame, in the first look), never on the GUI thread while the window is
    # being completed (an editor module importing core.render.spoilers did)
    assert found["markdown_on_gui_thread"] == (["first look"] if size < RENDER_AT_ONCE else [])
    assert found["sources"] < 40  # PySide6's import hook left few module sources behind


COUNT = """
import sys, runpy
import journal.core.render as render
rendered = []
def counting(doc, *args, **kwargs):
    rendered.append(doc.body[:20])
    return real(doc, *args, **kwargs)
real, render.render_review = render.render_review, counting
sys.argv = ["journal", "--smoke-test", "--journal", sys.argv[1], "--open", sys.argv[2]]
try:
    runpy.run_module("journal", run_name="__main__")
finally:
    print("RENDERED " + repr(rendered), flush=True)
"""


def test_a_launch_naming_a_review_renders_it_once(tmp_path):
    """``--open review:B`` after the app last closed on review A: B is loaded and rendered,
    once; A (the last place) is not opened first (a wasted load and render at launch)."""
    from journal.core.journal import Journal

    path = tmp_path / "two.eyelights"
    with Journal.open(path) as journal:
        film = journal.films.create("Her", 2013)
        first = journal.reviews.create(film.id, "Alpha review text.\n\nMore.")
        second = journal.reviews.create(film.id, "Bravo review text.\n\nMore.")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "EYELIGHTS_REPORT_SHOWN": "1",
           "PYTHONPATH": str(ROOT), "HOME": str(tmp_path / "home"),
           "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
           "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share")}
    runs = []
    for review, forget in ((first, False), (second, False), (second, True), (second, False)):
        if forget:  # no kept page (core/render_cache.py): the review is rendered
            with sqlite3.connect(path) as db:
                db.execute("DELETE FROM review_render")
        done = subprocess.run([sys.executable, "-c", COUNT, str(path), f"review:{review.id}"],
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert "preview " in done.stdout
        runs.append(next(x for x in done.stdout.splitlines() if x.startswith("RENDERED ")))
    assert runs[0] == "RENDERED ['Alpha review text.\\n\\n']"
    assert runs[1] == "RENDERED ['Bravo review text.\\n\\n']"  # not Alpha (the last place) first
    assert runs[2] == "RENDERED ['Bravo review text.\\n\\n']"  # the same review: once, not twice
    assert runs[3] == "RENDERED []"  # its page, kept by the run before, is shown: no render


def test_pyside_s_import_hook_keeps_no_module_sources(tmp_path, monkeypatch):
    """``module_sources.lighten_import_hook``: PySide6 still learns whether a module names
    PySide6 (same answer as its own test), but no module's lines stay in ``linecache``."""
    import linecache

    import PySide6.QtCore  # noqa: F401 - its hook

    from journal.ui import module_sources

    feature = sys.modules["shibokensupport.feature"]
    assert module_sources.lighten_import_hook()
    (tmp_path / "h19_names_qt.py").write_text("import PySide6  # a Qt module\nVALUE = 1\n")
    (tmp_path / "h19_plain.py").write_text("VALUE = 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    linecache.clearcache()
    named = __import__("h19_names_qt")  # through PySide6's __import__, as an import statement
    plain = __import__("h19_plain")
    assert named.VALUE == 1 and plain.VALUE == 2
    assert not any("h19_" in name for name in linecache.cache)
    assert feature._mod_uses_pyside(named) is True
    assert feature._mod_uses_pyside(plain) is False
    assert feature._mod_uses_pyside(sys) is False  # built in: PySide6's own answer
