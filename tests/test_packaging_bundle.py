"""The PyInstaller spec builds a one-folder bundle that passes packaging/smoke_bundle.sh.

Slow (about 20 s of PyInstaller) and only where PyInstaller is importable by this interpreter:
`make -f packaging/desktop.mk bundle` installs the pinned version into the venv.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _fresh_clone(tmp_path: Path) -> Path:
    """The files a clone has for ``make`` (no .venv, nothing built)."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("Makefile", "pyproject.toml", "setup.py"):
        shutil.copy(ROOT / name, clone / name)
    for folder in ("packaging", "tools"):
        shutil.copytree(ROOT / folder, clone / folder)
    return clone


def _plan(clone: Path, *args: str) -> list[str]:
    """The commands ``make -n`` would run (recursive makes are followed, as make does)."""
    done = subprocess.run(["make", "-n", *args], cwd=clone, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "HOME": str(clone)})
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.splitlines()


def _first(lines: list[str], needle: str) -> int:
    return next(i for i, line in enumerate(lines) if needle in line)


@pytest.mark.parametrize("args", [("bundle",), ("-f", "packaging/desktop.mk", "bundle")])
def test_make_bundle_on_a_fresh_clone_sets_up_the_venv_first(tmp_path, args):
    """A fresh clone has no .venv: `make bundle` (and the fragment run on its own) makes it,
    with the pinned packages, before anything runs .venv/bin/python."""
    clone = _fresh_clone(tmp_path)
    plan = _plan(clone, *args)
    venv = _first(plan, "-m venv .venv")
    installed = _first(plan, "pip install -q -e '.[dev]'")
    first_use = min(i for i, line in enumerate(plan)
                    if ".venv/bin/python" in line and ("PyInstaller" in line or "pyinstaller" in line))
    assert venv < installed < first_use
    if args == ("bundle",):  # and the system libraries the smoke test's window needs
        assert _first(plan, "system-deps.sh test") < venv


def test_make_bundle_with_the_venv_in_place_goes_straight_to_the_build(tmp_path):
    clone = _fresh_clone(tmp_path)
    (clone / ".venv" / "bin").mkdir(parents=True)
    python = clone / ".venv" / "bin" / "python"
    python.symlink_to(sys.executable)
    (clone / ".venv" / ".installed").touch()
    plan = _plan(clone, "-f", "packaging/desktop.mk", "bundle")
    assert not any("-m venv" in line for line in plan)
    assert any("PyInstaller" in line for line in plan)


def test_smoke_script_is_valid_shell():
    result = subprocess.run(["sh", "-n", str(ROOT / "packaging" / "smoke_bundle.sh")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_smoke_script_rejects_a_folder_without_the_executable(tmp_path):
    result = subprocess.run(["sh", str(ROOT / "packaging" / "smoke_bundle.sh"), str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0
    assert "no executable" in result.stderr


def test_bundle_builds_and_passes_the_smoke_test(tmp_path):
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed here (it is in the dev extras that make test "
                    "installs; make bundle installs it too)")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
         str(ROOT / "packaging" / "eyelights.spec")],
        cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )
    assert build.returncode == 0, build.stderr[-4000:]
    smoke = subprocess.run(
        ["sh", str(ROOT / "packaging" / "smoke_bundle.sh"), str(tmp_path / "dist" / "eyelights")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "smoke: bundle size" in smoke.stdout
