"""Eyelights next to its peers, under a real X server (``make bench-peers``; not in ``make test``).

Installs what it compares with, the first time:

- **ReText** (8.1, PyQt6) with pip into a scratch virtualenv, ``bench-out/peers/venv``, with
  ``python-xlib`` for the probe;
- **ghostwriter** (2.1, Qt 5 + WebEngine) with apt-get, as root (otherwise it prints the
  command and leaves ghostwriter out).

Then, on an Xvfb display of its own (``--display``, default ``:99``; started if not running),
it launches in turn, interleaved so that machine noise hits all alike: a bare PySide6 window,
ReText and ghostwriter on the same 12 KB review (a Markdown file), Eyelights on it with
``--open review:ID`` on a 1-review and on a 10,000-review journal. ``peers_probe.py`` watches
each through the X DAMAGE extension: its first paint; its preview drawn — for ghostwriter the end
of its first burst of painting (then only its cursor blinks), for Eyelights the moment it reports
its preview painted (``EYELIGHTS_REPORT_SHOWN``), ReText showing none by default; the peak memory
of the process, and with the processes it started (ghostwriter's web engine, ReText's converter),
3 s after. Medians over ``--rounds``, ratios against the bare window and ReText.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import OUT, ROOT  # noqa: E402

PEERS = OUT / "peers"
VENV = PEERS / "venv"
PINS = ("ReText==8.1.0", "python-xlib==0.33")
WATCH_S = 3.0  # after the first paint (or the last moment reported): memory is read then
TIMEOUT_S = 40

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow()
w.resize(1180, 760)
w.show()
app.exec()
"""


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def install() -> dict[str, str | None]:
    """ReText in the scratch venv, ghostwriter through apt; what could not be had is None."""
    PEERS.mkdir(parents=True, exist_ok=True)
    if not _python(VENV).exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(_python(VENV)), "-c", "import ReText, Xlib"],
                      capture_output=True).returncode != 0:
        print("Installing ReText and python-xlib into", VENV, file=sys.stderr)
        subprocess.run([str(_python(VENV)), "-m", "pip", "install", "-q", *PINS], check=True)
    ghostwriter = shutil.which("ghostwriter")
    if ghostwriter is None and os.geteuid() == 0:
        print("Installing ghostwriter (apt-get)", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "ghostwriter"], env=env, check=False, stdout=subprocess.DEVNULL)
        ghostwriter = shutil.which("ghostwriter")
    if ghostwriter is None:
        print("ghostwriter is not installed (run: sudo apt-get install ghostwriter); it is "
              "left out.", file=sys.stderr)
    return {"retext": str(VENV / "bin" / "retext"), "ghostwriter": ghostwriter}


def start_display(where: str) -> subprocess.Popen[bytes] | None:
    """An Xvfb on ``where`` unless one answers there already."""
    probe = [str(_python(VENV)), "-c", f"from Xlib import display; display.Display('{where}')"]
    if subprocess.run(probe, capture_output=True).returncode == 0:
        return None
    xvfb = subprocess.Popen(["Xvfb", where, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        time.sleep(0.1)
        if subprocess.run(probe, capture_output=True).returncode == 0:
            return xvfb
    xvfb.kill()
    raise RuntimeError(f"Xvfb did not start on {where}")


def materials() -> tuple[Path, list[tuple[Path, int]]]:
    """The 12 KB review as a file, and the two journals holding it (their newest review)."""
    from bench_review_first import newest_review, one_review_journal
    from common import synthetic_journal

    from journal.core.synthetic import review_body

    text = PEERS / "review-12k.md"
    text.write_text(review_body(seed=7, approx_bytes=12_000), encoding="utf-8")
    journals = [one_review_journal()[0], synthetic_journal("startup", films=5_000,
                                                            reviews=10_000)]
    return text, [(Path(str(p)), newest_review(p)) for p in journals]


def probe(where: str, command: list[str], env: dict[str, str]) -> dict[str, object]:
    done = subprocess.run([str(_python(VENV)), str(ROOT / "benches" / "peers_probe.py"), where,
                           str(WATCH_S), str(TIMEOUT_S), "--", *command],
                          env=env, capture_output=True, text=True, timeout=TIMEOUT_S + 30)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"probe gave nothing for {command[:3]}: {done.stderr[-600:]}")
    return json.loads(lines[-1])


def run(where: str = ":99", rounds: int = 7) -> str:
    tools = install()
    xvfb = start_display(where)
    try:
        text, journals = materials()
        home = PEERS / "home"
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"),
               "XDG_DATA_HOME": str(home / "data"), "PYTHONPATH": str(ROOT),
               "EYELIGHTS_REPORT_SHOWN": "1"}
        if os.geteuid() == 0:  # QtWebEngine (ghostwriter's preview) refuses root otherwise
            env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        targets: dict[str, list[str]] = {"bare window": [sys.executable, "-c", BARE],
                                         "ReText 12 KB": [str(tools["retext"]), str(text)]}
        if tools["ghostwriter"]:
            targets["ghostwriter 12 KB"] = [str(tools["ghostwriter"]), str(text)]
        for (path, review), label in zip(journals, ("1 review", "10,000 reviews"), strict=True):
            targets[f"Eyelights, {label}"] = [sys.executable, "-m", "journal", "--journal",
                                              str(path), "--open", f"review:{review}"]
        import compileall

        compileall.compile_dir(str(ROOT / "journal"), quiet=1)  # as a wheel's installation
        for command in targets.values():  # warm the page cache; the journals' backups
            probe(where, command, env)
        seen: dict[str, list[dict[str, object]]] = {name: [] for name in targets}
        loads = []  # the machine is shared: the 1-minute load average as each round starts
        for _ in range(rounds):
            loads.append(f"{os.getloadavg()[0]:.1f}")
            for name, command in targets.items():
                seen[name].append(probe(where, command, env))
        return (f"{time.strftime('%Y-%m-%d %H:%M')}, {rounds} interleaved rounds; load average "
                f"(1 min) at each round's start: {', '.join(loads)}\n{table(seen)}")
    finally:
        if xvfb is not None:
            xvfb.terminate()


def _median(results: list[dict[str, object]], key: str) -> float | None:
    values = [float(r[key]) for r in results if r.get(key) is not None]  # type: ignore[arg-type]
    return statistics.median(values) if values else None


def _preview(name: str, result: dict[str, object]) -> float | None:
    """When the preview was drawn, by the method that fits the program (module notes)."""
    if name.startswith("Eyelights"):
        return result.get("reported_ms", {}).get("preview")  # type: ignore[union-attr]
    if name.startswith("ghostwriter"):
        return result.get("burst_end_ms")  # type: ignore[return-value]
    return None


def table(seen: dict[str, list[dict[str, object]]]) -> str:
    names = list(seen)
    rows = [("launch →", *names)]
    for name, results in seen.items():
        for result in results:
            result["preview_ms"] = _preview(name, result)
    figures = {name: {"paint": _median(r, "first_paint_ms"), "drawn": _median(r, "preview_ms"),
                      "peak": _median(r, "peak_kib"), "total": _median(r, "peak_total_kib"),
                      "at_report": _median(r, "peak_at_report_kib")}
               for name, r in seen.items()}

    def cell(value: float | None, unit: str, scale: float = 1.0) -> str:
        return "–" if value is None else f"{value / scale:.0f} {unit}" if unit == "ms" else \
            f"{value / scale:.1f} {unit}"

    rows.append(("first paint", *(cell(figures[n]["paint"], "ms") for n in names)))
    rows.append(("preview drawn", *(cell(figures[n]["drawn"], "ms") for n in names)))
    rows.append(("peak memory (VmHWM)", *(cell(figures[n]["peak"], "MiB", 1024) for n in names)))
    rows.append(("… with its child processes",
                 *(cell(figures[n]["total"], "MiB", 1024) for n in names)))
    rows.append(("… as the preview is drawn (goal 2's moment)",
                 *(cell(figures[n]["at_report"], "MiB", 1024) for n in names)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    bare, retext = figures["bare window"], figures["ReText 12 KB"]
    for name in names:
        if not name.startswith("Eyelights"):
            continue
        mine = figures[name]
        ratios = []
        for what, key, against in (("preview drawn / bare first paint", "drawn", bare["paint"]),
                                   ("preview drawn / ReText first paint", "drawn",
                                    retext["paint"]),
                                   ("peak / bare", "peak", bare["peak"]),
                                   ("peak as the preview is drawn / bare", "at_report",
                                    bare["peak"]),
                                   ("peak as the preview is drawn / ReText", "at_report",
                                    retext["peak"]),
                                   ("peak / ReText", "peak", retext["peak"]),
                                   ("peak / ReText with its converter process", "peak",
                                    retext["total"])):
            value = mine[key]
            ratios.append(f"{what} " + ("–" if value is None or not against
                                        else f"{value / against:.2f}x"))
        out.append(f"{name}: " + "; ".join(ratios))
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--display", default=os.environ.get("BENCH_DISPLAY", ":99"))
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(run(args.display, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
