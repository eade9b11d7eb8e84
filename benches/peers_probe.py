"""Launch one program on an X display and watch what it draws (for ``bench_peers.py``).

Run by the peers' own Python (it needs ``python-xlib``; nothing of Eyelights is imported)::

    python peers_probe.py DISPLAY WATCH_S TIMEOUT_S -- command args…

The same method for every program, Qt 5 or 6, Python or C++: the X server's DAMAGE extension
reports each area a top-level window paints. From the moment the process is spawned:

- ``first_paint``: the first damage of any of its windows;
- ``burst_end``: the last damage of the first burst of painting, before the windows rest for
  ``GAP_MS`` (then only a blinking cursor repaints, every 500 ms): ghostwriter's HTML preview
  is drawn by then;
- ``reported``: what the program itself printed as ``<moment> <unix time> …`` lines (Eyelights
  with ``EYELIGHTS_REPORT_SHOWN=1`` prints ``preview`` once its preview is painted);
- ``peak_kib`` / ``peak_total_kib``: the process's peak resident memory (VmHWM), and with every
  process it started (ghostwriter's web engine, ReText's converter), read ``WATCH_S`` after the
  first paint (or the last report), just before it is stopped;
- ``peak_at_report_kib``: the process's VmHWM read as its ``preview`` report line arrives (within
  ~20 ms of Eyelights painting its preview: the moment issue 19's goal 2 names; what the window
  loads after it is in ``peak_kib`` only).

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

GAP_MS = 400


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
    where, watch_s, timeout_s = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    command = sys.argv[sys.argv.index("--") + 1:]
    dp = display.Display(where)
    dp.damage_query_version()
    root = dp.screen().root
    root.change_attributes(event_mask=X.SubstructureNotifyMask)
    dp.sync()
    start = time.time()
    env = {**os.environ, "DISPLAY": where, "QT_QPA_PLATFORM": "xcb"}
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                            start_new_session=True)
    assert proc.stdout is not None
    os.set_blocking(proc.stdout.fileno(), False)
    output = b""
    damages: list[float] = []
    watched: set[int] = set()
    reported: dict[str, float] = {}
    at_report: int | None = None  # VmHWM as the first report line came (within ~20 ms)
    fd = dp.fileno()
    exited = None
    try:
        while True:
            now = time.time()
            if now - start > timeout_s:
                break
            if proc.poll() is not None:
                exited = proc.returncode
                break
            last = max([damages[0]] + list(reported.values())) if damages else None
            if last is not None and now - last > watch_s:
                break
            if not dp.pending_events():
                select.select([fd, proc.stdout.fileno()], [], [], 0.02)
            try:
                output += proc.stdout.read() or b""
            except (BlockingIOError, OSError):
                pass
            for line in output.decode(errors="replace").splitlines():
                parts = line.split()
                if len(parts) >= 2 and parts[0] not in reported:
                    try:
                        reported[parts[0]] = float(parts[1])
                    except ValueError:
                        pass
                    if parts[0] == "preview" and at_report is None:
                        at_report = _hwm(proc.pid)
            while dp.pending_events():
                event = dp.next_event()
                stamp = time.time()
                if event.type == X.MapNotify and event.window.id not in watched:
                    watched.add(event.window.id)
                    event.window.damage_create(damage.DamageReportRawRectangles)
                elif event.type == dp.extension_event.DamageNotify:
                    damages.append(stamp)
        peak = _hwm(proc.pid)
        total = peak + sum(_hwm(child) for child in _descendants(proc.pid))
    finally:
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
        print(json.dumps({"error": f"exited with {exited} before it was measured"}))
        return 1
    burst = None
    for before, after in zip(damages, damages[1:] + [float("inf")], strict=True):
        if (after - before) * 1000 >= GAP_MS:
            burst = before
            break
    print(json.dumps({
        "first_paint_ms": (damages[0] - start) * 1000 if damages else None,
        "burst_end_ms": None if burst is None else (burst - start) * 1000,
        "reported_ms": {k: (v - start) * 1000 for k, v in reported.items()},
        "peak_kib": peak, "peak_total_kib": total, "peak_at_report_kib": at_report,
        "windows": len(watched)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
