"""The ``eyelights`` command line: one parser; subcommands register themselves from modules.

Without a subcommand the window opens. Every subcommand takes ``--journal PATH``. Errors print one
readable line on stderr and exit non-zero; unexpected bugs are logged with their traceback to the
log file and summarised in one line.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from journal import __version__
from journal.errors import EyelightsError

log = logging.getLogger(__name__)

#: Modules that add subcommands: each has ``register(subparsers, common)``.
COMMAND_MODULES = ["journal.cli.basic"]
OPTIONAL_COMMAND_MODULES = ["journal.cli.search", "journal.cli.importing", "journal.cli.exporting",
                            "journal.cli.publish", "journal.cli.films"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        self.exit(2, f"eyelights: {message}\n")


#: Every subcommand's name, so that opening the window need not import the command modules.
COMMAND_NAMES = frozenset({"check", "backup", "list", "sample", "search", "import", "export",
                           "publish", "comments", "blogs", "films"})


def _common(for_subcommands: bool) -> argparse.ArgumentParser:
    """--journal and --read-only. The subcommands' copies leave the value alone when not given
    (else ``eyelights --journal X blogs add`` silently used the default journal)."""
    unset = {"default": argparse.SUPPRESS} if for_subcommands else {}
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--journal", metavar="PATH", **unset,
                        help="journal file (default: $EYELIGHTS_JOURNAL, else the user data folder)")
    common.add_argument("--read-only", action="store_true", **unset,
                        help="open the journal read-only")
    return common


def build_parser(with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(prog="eyelights", parents=[_common(False)],
                     description="Eyelights, a desktop film-review journal. "
                                 "Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"eyelights {__version__}")
    parser.add_argument("--open", metavar="TARGET",
                        help="open review:ID or film:ID in the window (also in a running one)")
    parser.add_argument("--smoke-test", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(command=None)
    if not with_commands:
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = _common(True)
    for name in COMMAND_MODULES + OPTIONAL_COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name and name in OPTIONAL_COMMAND_MODULES:
                continue
            raise
        module.register(sub, common)
    return parser


def run_command(args: argparse.Namespace) -> int:
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except EyelightsError as exc:
        print(f"eyelights: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("eyelights: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: keep the traceback in the log, say one line here
        from journal.logsetup import log_file

        log.exception("command %s failed", args.command)
        print(f"eyelights: internal error ({type(exc).__name__}: {exc}); details in {log_file()}",
              file=sys.stderr)
        return 70


def main(argv: Sequence[str] | None = None) -> int:
    from journal.logsetup import setup_logging

    setup_logging()
    words = list(sys.argv[1:] if argv is None else argv)
    # The window is the common case: skip importing every command module for it.
    needs_commands = bool(COMMAND_NAMES.intersection(words)) or "-h" in words or "--help" in words
    parser = build_parser(with_commands=needs_commands)
    args = parser.parse_args(words)
    if args.command is None:
        from journal.app import run_gui

        return run_gui(args)
    return run_command(args)
