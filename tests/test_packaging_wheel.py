"""The wheel: it carries the assets and the entry point, installs and runs `eyelights --version`.

Slow (builds a wheel and a venv). The new venv reuses this interpreter's site-packages through a
.pth file, so PySide6 and the other dependencies are not downloaded again.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import journal
from journal.resources import ACTION_ICONS, ICON_SIZES

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
APP_ID = journal.APP_ID


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "setup.py", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "docs", src / "docs")
    shutil.copytree(ROOT / "journal", src / "journal",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheelhouse")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(src)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = out.glob("eyelights-*.whl")
    return built


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; dependencies come from this interpreter."""
    env_dir = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    py = env_dir / "bin" / "python"
    purelib = "import sysconfig; print(sysconfig.get_path('purelib'))"
    target = subprocess.run([str(py), "-c", purelib],
                            capture_output=True, text=True, check=True).stdout.strip()
    Path(target, "zz_host_site_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index",
         "--quiet", str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return env_dir


def _run(venv: Path, *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([*args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)


def test_wheel_carries_assets_and_entry_point(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        entry_text = zf.read(entry_points).decode()
    for size in ICON_SIZES:
        assert f"journal/assets/icons/hicolor/{size}x{size}/apps/{APP_ID}.png" in names
    assert f"journal/assets/icons/hicolor/scalable/apps/{APP_ID}.svg" in names
    for name in ACTION_ICONS:
        assert f"journal/assets/icons/actions/{name}.svg" in names
    assert "journal/resources.py" in names
    # The user guide: every docs/ page, as it is in docs/ (one source), and its images.
    for page in (ROOT / "docs").glob("*.md"):
        assert f"journal/guide/{page.name}" in names
    with zipfile.ZipFile(wheel) as zf:
        assert zf.read("journal/guide/search.md") == (ROOT / "docs" / "search.md").read_bytes()
    assert "journal/guide/screenshot-films.png" in names
    assert "[gui_scripts]" in entry_text
    assert "eyelights = journal.app:main" in entry_text


def test_installed_package_finds_its_icons(venv, tmp_path):
    code = ("import journal, journal.resources as r; print(journal.__file__); "
            "print(sorted(r.app_icon_files())); print(r.action_icon('edit-find').is_file())")
    result = _run(venv, str(venv / "bin" / "python"), "-c", code, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    where, sizes, found = result.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(venv.resolve()), "imported the source tree"
    assert sizes == str(list(ICON_SIZES))
    assert found == "True"


def test_installed_package_reads_its_guide(venv, tmp_path):
    code = ("from journal.core import guide; print(guide.guide_files()); "
            "print(guide.page_text('search.md').splitlines()[0])")
    result = _run(venv, str(venv / "bin" / "python"), "-c", code, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    where, heading = result.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(venv.resolve()) and where.endswith("guide")
    assert heading == "# Searching your journal"


def test_installed_command_prints_its_version(venv, tmp_path):
    result = _run(venv, str(venv / "bin" / "eyelights"), "--version", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"eyelights {journal.__version__}"


def test_installed_command_opens_the_window_offscreen(venv, tmp_path):
    result = _run(venv, str(venv / "bin" / "eyelights"), "--smoke-test", tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
