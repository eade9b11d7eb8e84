"""Entry point of the ``eyelights`` command."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

NO_DISPLAY_MESSAGE = (
    "eyelights: no display found (DISPLAY and WAYLAND_DISPLAY are unset). Run it in a desktop "
    "session, or under a virtual one: xvfb-run -a eyelights"
)


def display_problem(environ: dict[str, str] | None = None, platform: str | None = None) -> str | None:
    """Why Qt could not show a window here, or None. Qt itself would abort the process."""
    env = os.environ if environ is None else environ
    if (platform or sys.platform) not in ("linux",) and not (platform or sys.platform).startswith(
            ("freebsd", "openbsd")):
        return None
    if env.get("QT_QPA_PLATFORM"):
        return None
    if env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE


def _import_before_qt(args: argparse.Namespace | None = None) -> None:
    """PySide6 hooks every import made after its own, to look for ``__feature__`` switches in the
    importing module's source (it reads the whole file). The Qt-free modules the first screen
    needs are imported before it, so that opening the window does not pay for that."""
    import journal.core.first_look  # noqa: F401 - sqlite3, the rows, the lock
    import journal.core.values  # noqa: F401 - the list's dates and scores
    import journal.core.words  # noqa: F401 - the status bar's counts

    if str(getattr(args, "open", "") or "").startswith("review:"):
        import journal.core.render_cache  # noqa: F401 - that review's kept page (~40 ms)


def run_gui(args: argparse.Namespace) -> int:
    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    _import_before_qt(args)
    import PySide6.QtCore  # noqa: F401 - its import hook, made lighter at once:

    from journal.ui import module_sources

    module_sources.lighten_import_hook()
    from journal.ui.application import run

    return run(args)


def main(argv: Sequence[str] | None = None) -> int:
    from journal.cli import main as cli_main

    return cli_main(argv)
