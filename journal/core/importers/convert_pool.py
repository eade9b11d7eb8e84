"""HTML → Markdown for a stream of records, converted ahead in other processes.

Converting a WordPress post's HTML (``wp_html.html_to_markdown``: shortcodes, autop, markdownify)
is most of the time of planning a large WXR import, and it is pure CPU work on independent
texts: ``converted`` hands batches of records to a pool of processes (one per core) while this
process goes on reading the file, and gives the records back in their order with their texts
converted. At most ``AHEAD`` batches are in flight, and none is added once ``AHEAD_BYTES`` of
HTML are: memory stays bounded whatever the file.
The processes are ``ordered_pool.OrderedPool``'s (a pipe each: a process killed mid-batch is
said as ``ConversionFailed``, never a wait; ``concurrent.futures``' pool hung there).

Processes are *spawned* (never forked: the window's threads would be copied mid-flight), so each
one pays Python's and the converter's imports once (~0.3 s): ``wanted`` keeps small imports in
this process. In the one-folder bundle, ``multiprocessing.freeze_support()`` in its entry script
lets a spawned process run the converter instead of a second Eyelights.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from journal.core.derive import has_spoilers
from journal.core.importers.conventions import Recognised, recognise
from journal.core.importers.ordered_pool import OrderedPool, PoolBroken
from journal.core.importers.plan import pack_texts
from journal.core.importers.wp_html import html_to_markdown
from journal.errors import EyelightsError

T = TypeVar("T")

#: Records per batch handed to a process, and batches converted ahead of the one being used
#: (each process holds two at a time, one it works on and the next waiting; the others are
#: results waiting their turn, so that a process that finishes first is handed more work
#: rather than waiting for the other's batch to be used).
BATCH = 32
AHEAD = 8
#: Characters of HTML per batch (a batch ends at ``BATCH`` records or at this many characters,
#: whichever comes first): 120 posts of a megabyte read ahead whole took 1.15 GB here.
BATCH_CHARS = 64_000
#: Bytes of HTML (the batches as sent, pickled) handed to the pool and not yet used: no more
#: batches are read while this many are in flight, whatever their count (one batch always may
#: be, however large its one post). What the importing process holds for a batch in flight is
#: about as much again (its results: the texts pickled, the recognised posts): with a fixed
#: count of 32-post batches alone, planning a 20 MB export held 40% of the file's size.
#: 512,000 rather than 256,000: with half, each converting process waited for its next batch
#: ~0.6 s of a 10,000-post plan of ~2.3 s, behind the other's result still to be used
#: (planning 1.96–2.07 s against 2.26–2.62 s, alternated; the 20 MB plan's peak 4.2 MB against
#: 3.7 MB, 21% of the file).
AHEAD_BYTES = 512_000
#: Records handed on between two looks at the pool's processes (results in, batches out).
SERVICE_EVERY = 8
#: Files smaller than this are converted here: a pool would cost more to start than it saves.
POOL_FROM_BYTES = 4_000_000
#: ``EYELIGHTS_IMPORT_WORKERS``: processes to use (``0``: none, convert here); default: one per
#: core, when there is more than one.
WORKERS_ENV = "EYELIGHTS_IMPORT_WORKERS"


def workers_for(size: int) -> int:
    """How many processes should convert a file of ``size`` bytes (0: convert here)."""
    forced = os.environ.get(WORKERS_ENV, "").strip()
    if forced.isdigit():
        return int(forced)
    cores = (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
             else os.cpu_count() or 1)
    return cores if cores > 1 and size >= POOL_FROM_BYTES else 0


class ConversionFailed(EyelightsError):
    """A pool process died (killed, out of memory): said plainly, never "internal error"."""

    def __init__(self) -> None:
        super().__init__(
            "A process converting the posts' HTML to Markdown stopped unexpectedly (it was "
            "killed or ran out of memory). Nothing was imported. Try again, or set "
            f"{WORKERS_ENV}=0 to convert in Eyelights itself.")


#: What a pool process gives back for a text: its Markdown, and whether the HTML was nested too
#: deeply to convert (then the Markdown is its plain text, which the import's preview says).
Converted = tuple[str, bool]
#: A post to convert *and* read for the blogger's conventions (``conventions.recognise``) in a
#: pool process: its HTML, its title, its categories and its comments' HTML.
PostJob = tuple[str, str, tuple[str, ...], tuple[str, ...]]
#: What comes back for a :data:`PostJob`: the recognised post and the plain-text flag. The post's
#: texts (body, score, eyelights, eyesores, spoiler flag, the comments' Markdown) are pickled
#: once here into ``Recognised.texts`` (``plan.pack_texts``): the importing process carries
#: those bytes into its spool without reading them (``apply`` does, once), and unpickles only
#: what it reads (the film, the matches for the preview…).
PostDone = tuple[Recognised, bool]
Job = str | PostJob
#: For each record, the results of its jobs in their order (None: not converted in a pool).
Results = list[Any] | None


def _convert(text: str) -> Converted:
    plain: list[bool] = []
    return html_to_markdown(text, on_plain_text=lambda: plain.append(True)), bool(plain)


def _read_post(job: PostJob) -> PostDone:
    html, title, categories, comments = job
    markdown, plain = _convert(html)
    found = _recognise(title, markdown, categories)
    texts = pack_texts(found.body, found.score, found.eyelights or "", found.eyesores or "",
                       bool(found.has_spoilers),
                       [html_to_markdown(comment) for comment in comments])
    found.body, found.score, found.eyelights, found.eyesores = "", None, None, None
    found.has_spoilers, found.texts = None, texts
    return found, plain


def _recognise(title: str, markdown: str, categories: tuple[str, ...]) -> Recognised:
    """``recognise``, and the spoiler flag of the body it leaves (``apply`` would work it out
    otherwise: here it is done in the pool, off the importing process's path)."""
    found = recognise(title, markdown, list(categories))
    found.has_spoilers = has_spoilers(found.body)
    return found


def _die_with_parent(parent: int) -> None:
    """A pool process's start: it ends with the process that started it. Killed (SIGKILL, the
    out-of-memory killer, a crash), that process cannot shut its pool down, and its converters
    would run on for ever, orphans holding their memory. Linux kills them with their parent
    (``PR_SET_PDEATHSIG``); elsewhere a thread notices that the parent is gone."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            import signal

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def convert_all(sent: bytes) -> list[Any]:
    """What a pool process runs on a batch (its jobs pickled): ``html_to_markdown`` of each
    text, and for each :data:`PostJob` its conversion and ``recognise`` (a :data:`PostDone`)."""
    texts: list[Job] = pickle.loads(sent)  # noqa: S301 - from the importing process
    del sent
    return [_convert(text) if isinstance(text, str) else _read_post(text) for text in texts]


def converted(records: Iterable[T], texts_of: Callable[[T], list[Job]], workers: int
              ) -> Generator[tuple[T, Results], None, None]:
    """``(record, results)`` for each record, in order: the jobs of each record (``texts_of``)
    done by ``workers`` processes, ``results`` holding what each gave back in the jobs' order
    (:data:`Converted` for a text, :data:`PostDone` for a :data:`PostJob`). With ``workers`` 0
    ``results`` is None and ``markdown_of`` / ``recognised_of`` do the work here when asked,
    as before there was a pool."""
    if workers <= 0:
        for record in records:
            yield record, None
        return
    it = iter(records)
    held: deque[tuple[list[T], list[int], int]] = deque()
    in_flight = 0  # bytes of the batches held (handed to the pool, or their results not used)
    try:
        with OrderedPool(convert_all, workers, ahead=AHEAD, start=_die_with_parent,
                         start_args=(os.getpid(),)) as pool:
            while True:
                while pool.room > 0 and (not held or in_flight < AHEAD_BYTES):
                    batch, texts, sizes = _batch(it, texts_of)
                    if not batch:
                        break
                    sent = pickle.dumps(texts, protocol=pickle.HIGHEST_PROTOCOL)
                    del texts  # the HTML is in ``sent`` only (``texts_of`` may drop its own)
                    held.append((batch, sizes, len(sent)))
                    in_flight += len(sent)
                    pool.put(sent)
                    del sent
                if not held:
                    return
                batch, sizes, size_sent = held.popleft()
                done = pool.take()
                at = 0
                for n, (record, size) in enumerate(zip(batch, sizes, strict=True), 1):
                    yield record, done[at:at + size]
                    at += size
                    if n % SERVICE_EVERY == 0:
                        pool.service()  # results in, the next batches out: no process idles
                del batch, done
                in_flight -= size_sent
    except PoolBroken as exc:
        raise ConversionFailed() from exc


def _batch(it: Iterator[T], texts_of: Callable[[T], list[Job]]
           ) -> tuple[list[T], list[Job], list[int]]:
    """The next records, up to ``BATCH`` of them or ``BATCH_CHARS`` characters of HTML, their
    jobs, and how many jobs each record has."""
    batch: list[T] = []
    texts: list[Job] = []
    sizes: list[int] = []
    chars = 0
    for record in islice(it, BATCH):
        batch.append(record)
        mine = texts_of(record)
        texts += mine
        sizes.append(len(mine))
        chars += sum(_chars(t) for t in mine)
        if chars >= BATCH_CHARS:
            break
    return batch, texts, sizes


def _chars(job: Job) -> int:
    if isinstance(job, str):
        return len(job)
    return len(job[0]) + sum(len(c) for c in job[3])


def markdown_of(result: Converted | None, html: str,
                on_plain_text: Callable[[], None] | None = None) -> str:
    """The converted text from ``converted``'s results (converted here if None).
    ``on_plain_text()`` is called when the HTML was imported as plain text, wherever it was
    converted (``html_to_markdown``'s rule)."""
    if result is None:
        return html_to_markdown(html, on_plain_text=on_plain_text)
    text, plain = result
    if plain and on_plain_text is not None:
        on_plain_text()
    return text


def recognised_of(result: PostDone | None, job: PostJob | None,
                  on_plain_text: Callable[[], None] | None = None) -> Recognised:
    """``recognise`` of a post's converted HTML from ``converted``'s results (its texts in
    ``Recognised.texts``), or converted and read here if None (its texts in their fields; the
    comments are then the caller's to convert); ``on_plain_text`` as for
    :func:`markdown_of`."""
    if result is None:
        if job is None:
            raise ValueError("a post not converted in the pool needs its job")
        html, title, categories, _comments = job
        return _recognise(title, html_to_markdown(html, on_plain_text=on_plain_text),
                          categories)
    recognised, plain = result
    if plain and on_plain_text is not None:
        on_plain_text()
    return recognised


__all__ = ["AHEAD", "AHEAD_BYTES", "BATCH", "BATCH_CHARS", "ConversionFailed", "POOL_FROM_BYTES", "PostDone",
           "PostJob", "Results", "WORKERS_ENV", "convert_all", "converted", "markdown_of",
           "recognised_of", "workers_for"]
