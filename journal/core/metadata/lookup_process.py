"""The lookups of a window's "Complete the catalogue" run, in a child process.

Why: run in the window's process, the lookups' Python (httpx, JSON, matching, the poster) held
the GIL whenever the window's thread wanted it back from a Qt call, and the window stalled for
100–300 ms at a time (docs/catalogue.md has the figures). In a child process they have a GIL of
their own; the window's worker only writes what comes back, one transaction per film.

The child is this very program — ``python -m journal films serve-lookups``, or the bundle's own
executable with the same arguments — so nothing else needs installing or freezing. They speak
JSON lines (ASCII) over the child's stdin and stdout:

* first line to the child: ``{"source", "language", "key", "polite"}`` — the TMDb key travels
  here, never on the command line or in the environment, so the process list never shows it;
* the child answers ``{"ready": true}``, or ``{"error": …}`` when the source cannot be made;
* then one ``LookupRequest`` per line; the child answers each, in order, with a
  ``LookupResult`` (``lookups.py``), ``{"bug": "…"}`` if our own code failed on it;
* end of input: the child exits. It never opens the journal.

``ChildLookups`` keeps a few requests ahead so the child is never idle while the window writes,
and watches the cancel token while it waits: cancelling stops the child at once (what it was
doing is lost, and asked again from the response cache next time).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from journal.core.metadata import SOURCES
from journal.core.metadata.errors import LookupCancelled
from journal.core.metadata.lookups import (
    LookupRequest,
    LookupResult,
    error_as_dict,
    error_from_dict,
    look_up,
)
from journal.errors import EyelightsError

log = logging.getLogger(__name__)

#: Requests sent ahead of the one being answered.
AHEAD = 3
ACTION = "serve-lookups"


class LookupProcessError(EyelightsError):
    """The child process failed (it could not start, it died, or our code in it failed)."""


def child_command() -> list[str]:
    """How to start this program again: the bundle's executable, or this Python on the package."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "films", ACTION]
    return [sys.executable, "-m", "journal", "films", ACTION]


def _child_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("EYELIGHTS_TMDB_KEY", None)   # the key goes through the pipe, nowhere else
    if not getattr(sys, "frozen", False):  # the child imports the same package as this process
        import journal

        root = str(Path(next(iter(journal.__path__))).resolve().parent)
        env["PYTHONPATH"] = os.pathsep.join([root, *filter(None, [env.get("PYTHONPATH")])])
    env["PYTHONIOENCODING"] = "utf-8"
    return env


class ChildLookups:
    """Lookups by one source in a child process (see the module's doc)."""

    def __init__(self, source: str, *, language: str = "en", key: str | None = None,
                 polite: bool = True, cancel: Any = None, command: list[str] | None = None,
                 ahead: int = AHEAD) -> None:
        self.name, self.label = source, SOURCES.get(source, source)
        self._header = {"source": source, "language": language, "key": key, "polite": polite}
        self.cancel, self.ahead = cancel, max(1, ahead)
        self.command = command or child_command()
        self._process: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=20)
        self._threads: list[threading.Thread] = []
        self._sent = 0
        self._waiting: deque[int] = deque()   # films asked for, not answered yet

    # ------------------------------------------------------------------ the process
    def start(self) -> ChildLookups:
        try:
            self._process = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, env=_child_environment(),
                creationflags=getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
                start_new_session=hasattr(os, "setsid"))
        except OSError as exc:
            raise LookupProcessError(f"The lookups could not be started ({exc}).") from None
        assert self._process.stdout is not None and self._process.stderr is not None
        for target, stream in ((self._read_lines, self._process.stdout),
                               (self._read_stderr, self._process.stderr)):
            thread = threading.Thread(target=target, args=(stream,), daemon=True,
                                      name="metadata-lookups-pipe")
            thread.start()
            self._threads.append(thread)
        try:
            self._send(self._header)
            answer = self._receive()
            if answer.get("error"):
                raise error_from_dict(answer["error"])
            if not answer.get("ready"):
                raise self._died()
        except BaseException:
            self.close()
            raise
        return self

    def __enter__(self) -> ChildLookups:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            assert process.stdin is not None
            process.stdin.close()             # the child ends at the end of its input…
        except OSError:
            pass
        try:  # films asked for and not answered: their answers are not wanted any more
            process.wait(timeout=0 if self._cancelled() or self._waiting else 2)
        except subprocess.TimeoutExpired:
            process.kill()                    # …or now, if it is in the middle of a film
            process.wait()
        for thread in self._threads:
            thread.join(timeout=2)

    # ------------------------------------------------------------------ the pipe
    def _read_lines(self, stream: IO[bytes]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)

    def _read_stderr(self, stream: IO[bytes]) -> None:
        for line in stream:
            text = line.decode("utf-8", "replace").rstrip()
            if text:
                self._stderr.append(text)
                log.info("lookups: %s", text)

    def _send(self, message: dict[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(message).encode("ascii") + b"\n")
            self._process.stdin.flush()
        except OSError:
            raise self._died() from None

    def _cancelled(self) -> bool:
        return bool(self.cancel is not None and self.cancel.cancelled)

    def _receive(self) -> dict[str, Any]:
        while True:
            if self._cancelled():
                raise LookupCancelled()
            try:
                line = self._lines.get(timeout=0.1)
            except queue.Empty:
                continue
            if line is None:
                raise self._died()
            try:
                message = json.loads(line)
            except ValueError:
                raise self._died(f"it wrote {line[:80]!r}") from None
            if not isinstance(message, dict):
                raise self._died(f"it wrote {line[:80]!r}")
            if message.get("bug"):
                raise LookupProcessError(f"The lookups stopped on a bug ({message['bug']}); "
                                         "what was done is kept.")
            return message

    def _died(self, why: str = "") -> LookupProcessError:
        process = self._process
        code = process.poll() if process is not None else None
        if process is not None and code is None:
            try:
                code = process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                code = None
        for thread in self._threads[1:]:
            thread.join(timeout=1)
        last = self._stderr[-1] if self._stderr else ""
        detail = why or (last if last else f"exit code {code}")
        return LookupProcessError(f"The lookups stopped unexpectedly ({detail}); what was done "
                                  "is kept.")

    # ------------------------------------------------------------------ Lookups
    def stream(self, requests: Iterable[LookupRequest]) -> Iterator[LookupResult]:
        if self._process is None:
            self.start()
        waiting = self._waiting
        waiting.clear()
        pending = iter(requests)
        exhausted = False
        while True:
            while not exhausted and len(waiting) < self.ahead:
                request = next(pending, None)
                if request is None:
                    exhausted = True
                    break
                self._send(request.as_dict())
                waiting.append(request.film_id)
            if not waiting:
                return
            message = self._receive()
            self._sent = max(self._sent, int(message.pop("sent", 0) or 0))
            result = LookupResult.from_dict(message)
            expected = waiting.popleft()
            if result.film_id != expected:
                raise self._died(f"it answered for film {result.film_id}, not {expected}")
            yield result

    def requests_sent(self) -> int:
        return self._sent


# ---------------------------------------------------------------------- the child's side
#: How much nicer than the window the child runs (POSIX ``nice``; Windows: below normal).
NICENESS = 10


def _lower_priority() -> None:
    """Background work: when the computer is busy, the window's thread gets the processor first.

    On Linux the child is in a session of its own (``start_new_session``), so the kernel's
    autogroups do not count its processor time against the window's session; its group is made
    nicer too."""
    if hasattr(os, "nice"):
        try:
            os.nice(NICENESS)
        except OSError:
            pass


def serve(stdin: IO[bytes], stdout: IO[bytes], scaler: Any = None) -> int:
    """The child: read the header and requests from ``stdin``, answer on ``stdout``."""
    from journal.core.metadata import make_source
    from journal.core.metadata.cache import ResponseCache
    from journal.core.metadata.errors import ServiceError

    def say(message: dict[str, Any]) -> None:
        stdout.write(json.dumps(message).encode("ascii") + b"\n")
        stdout.flush()

    _lower_priority()
    line = stdin.readline()
    if not line:
        return 0
    header = json.loads(line)
    try:
        source = make_source(str(header["source"]), language=str(header.get("language") or "en"),
                             key=header.get("key"), cache=ResponseCache(),
                             polite=bool(header.get("polite")))
    except ServiceError as exc:
        say({"error": error_as_dict(exc)})
        return 1
    try:
        say({"ready": True})
        for line in stdin:
            request = LookupRequest.from_dict(json.loads(line))
            try:
                result = look_up(source, request, scaler)
            except Exception as exc:  # our bug: the traceback goes to the log file
                log.exception("looking up film %s failed", request.film_id)
                say({"film_id": request.film_id, "bug": f"{type(exc).__name__}: {exc}"})
                return 70
            say({**result.as_dict(),
                 "sent": int(getattr(getattr(source, "http", None), "sent", 0))})
    finally:
        source.close()
    return 0
