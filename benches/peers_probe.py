"""Launch one program on an X display and watch what it draws (for ``bench_peers.py``).

Run by the peers' own Python (it needs ``python-xlib``; nothing of Eyelights is imported)::

    python peers_probe.py DISPLAY QUIET_MS TIMEOUT_S -- command args…

The same method for every program, Qt 5 or 6, Python or C++: the X server's DAMAGE extension
reports each area a top-level window paints. From the moment the process is spawned:

- ``first_paint``: the first damage of any of its windows;
- ``settled``: the last damage of a large area (``MIN_AREA`` px², so a blinking text cursor does
  not count) before the windows stay still for ``QUIET_MS`` — what the user waits for, the
  preview drawn included;
- ``peak_kib`` / ``peak_total_kib``: the process's peak resident memory (VmHWM), and with every
  process it started (ghostwriter's web engine, ReText's converter), read just before it is
  stopped.

Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

from Xlib import X, display
from Xlib.ext import damage

MIN_AREA = 20_000


def _hwm(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def main() -> int:
    where, quiet_ms, timeout_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    command = sys.argv[sys.argv.index("--") + 1:]
    dp = display.Display(where)
    dp.damage_query_version()
    root = dp.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    dp.sync()
    start = time.time()
    env = {**os.environ, "DISPLAY": where, "QT_QPA_PLATFORM": "xcb"}
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)
    first = settled = None
    watched: set[int] = set()
    fd = dp.fileno()
    try:
        while True:
            now = time.time()
            if now - start > timeout_s or proc.poll() is not None:
                break
            if settled is not None and (now - settled) * 1000 > quiet_ms:
                break
            if first is not None and settled is None and (now - first) * 1000 > quiet_ms * 4:
                break
            if not dp.pending_events():
                select.select([fd], [], [], 0.02)
            while dp.pending_events():
                event = dp.next_event()
                stamp = time.time()
                if event.type == X.MapNotify and event.window.id not in watched:
                    watched.add(event.window.id)
                    event.window.damage_create(damage.DamageReportRawRectangles)
                elif event.type == dp.extension_event.DamageNotify:
                    area = event.area
                    if first is None:
                        first = stamp
                    if area.width * area.height >= MIN_AREA:
                        settled = stamp
        peak = _hwm(proc.pid)
        total = peak + sum(_hwm(child) for child in _descendants(proc.pid))
    finally:
        exited = proc.poll()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(proc.pid, sig)
                proc.wait(timeout=10)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
    if exited is not None:
        err = proc.stderr.read().decode(errors="replace")[-600:] if proc.stderr else ""
        print(json.dumps({"error": f"exited with {exited} before it was measured: {err}"}))
        return 1
    print(json.dumps({
        "first_paint_ms": None if first is None else (first - start) * 1000,
        "settled_ms": None if settled is None else (settled - start) * 1000,
        "peak_kib": peak, "peak_total_kib": total, "windows": len(watched)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
