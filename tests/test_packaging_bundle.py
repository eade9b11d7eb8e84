"""The PyInstaller spec builds a one-folder bundle that passes packaging/smoke_bundle.sh.

Slow (about 20 s of PyInstaller) and only where PyInstaller is importable by this interpreter:
`make -f packaging/desktop.mk bundle` installs the pinned version into the venv.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


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
