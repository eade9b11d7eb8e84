"""Desktop integration: .desktop entry, AppStream metainfo, icons, install/uninstall targets."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as SafeET  # our own metainfo file: nothing to defuse
from pathlib import Path

import pytest

import journal
from journal.resources import (
    ACTION_ICONS,
    ICON_SIZES,
    AssetMissing,
    action_icon,
    app_icon_files,
    app_icon_svg,
    asset_path,
)

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.eyelights.Eyelights"
RESOURCES = ROOT / "resources"
DESKTOP = RESOURCES / f"{APP_ID}.desktop"
METAINFO = RESOURCES / f"{APP_ID}.metainfo.xml"
SOURCE_SVG = RESOURCES / f"{APP_ID}.svg"
MAKEFILE = ROOT / "packaging" / "desktop.mk"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed "
                    "(Debian: apt-get install desktop-file-utils appstream)")
    return path


def _desktop_entry(path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            entries[key.strip()] = value.strip()
    return entries


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's IHDR chunk (which must come first)."""
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    length, chunk_type, width, height = struct.unpack(">I4sII", data[8:24])
    assert chunk_type == b"IHDR" and length == 13
    return width, height


def _snapshot(root: Path) -> set[str]:
    return {str(p.relative_to(root)) + ("/" if p.is_dir() else "") for p in root.rglob("*")}


def _make(target: str, data_home: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    _tool("make")
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(MAKEFILE), target,
         f"XDG_DATA_HOME={data_home}", *extra],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=60,
    )


# --- .desktop and metainfo --------------------------------------------------------------------

def test_desktop_file_passes_desktop_file_validate():
    result = subprocess.run([_tool("desktop-file-validate"), str(DESKTOP)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # not even hints


def test_desktop_file_launches_the_eyelights_command():
    entry = _desktop_entry(DESKTOP)
    assert entry["Exec"] == "eyelights %F"
    assert entry["Type"] == "Application"
    assert entry["Terminal"] == "false"
    assert "film" in entry["Keywords"].split(";")


def test_metainfo_passes_appstreamcli_validate():
    result = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # Only infos (I:) are tolerated: appstream 0.16 does not know <developer> yet.
    problems = [line for line in result.stdout.splitlines() if re.match(r"^[EW]: ", line)]
    assert problems == []


def test_metainfo_release_license_and_links():
    root = SafeET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    releases = root.findall("releases/release")
    assert releases[0].get("version") == journal.__version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date", ""))
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    assert root.find("content_rating").get("type") == "oars-1.1"
    assert root.findtext("provides/binary") == "eyelights"
    assert root.findtext("url[@type='homepage']").startswith("https://")
    for image in root.iter("image"):
        url = image.text.strip()
        assert re.fullmatch(r"https://raw\.githubusercontent\.com/eyelights/eyelights/main/"
                            r"docs/[\w-]+\.png", url), url


def test_app_id_is_the_same_everywhere():
    entry = _desktop_entry(DESKTOP)
    root = SafeET.parse(METAINFO).getroot()
    mk_ids = re.findall(r"^EYELIGHTS_APP_ID := (\S+)$", MAKEFILE.read_text(), re.MULTILINE)
    assert journal.APP_ID == APP_ID
    assert DESKTOP.name == f"{journal.APP_ID}.desktop"
    assert root.findtext("id") == journal.APP_ID
    assert root.findtext("launchable[@type='desktop-id']") == DESKTOP.name
    assert entry["Icon"] == journal.APP_ID
    assert entry["StartupWMClass"] == journal.APP_ID
    assert SOURCE_SVG.stem == journal.APP_ID
    assert mk_ids == [journal.APP_ID]
    assert {Path(str(f)).stem for f in app_icon_files().values()} == {journal.APP_ID}


# --- icons --------------------------------------------------------------------------------------

def test_app_icon_pngs_have_their_nominal_size():
    icons = app_icon_files()
    assert sorted(icons) == [16, 22, 24, 32, 48, 64, 128, 256, 512]
    for size, icon in icons.items():
        assert _png_size(icon.read_bytes()) == (size, size), icon
        assert f"hicolor/{size}x{size}/apps/" in str(icon).replace(os.sep, "/")


def test_scalable_icon_is_the_source_svg():
    assert app_icon_svg().read_bytes() == SOURCE_SVG.read_bytes()
    assert SafeET.fromstring(SOURCE_SVG.read_bytes()).get("viewBox") == "0 0 128 128"


def test_committed_pngs_match_a_fresh_render_of_the_svg():
    """The PNGs are generated by packaging/render_icons.py from the SVG, never edited by hand."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--check"],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, "stale icons, run packaging/render_icons.py:\n" + result.stderr


def test_render_icons_writes_every_size(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    for size in ICON_SIZES:
        png = tmp_path / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png.read_bytes()) == (size, size)
    scalable = tmp_path / "scalable" / "apps" / f"{APP_ID}.svg"
    assert scalable.read_bytes() == SOURCE_SVG.read_bytes()


def test_every_fallback_action_icon_is_a_16px_svg():
    shipped = {p.name for p in asset_path("icons", "actions").iterdir()}
    assert shipped == {f"{name}.svg" for name in ACTION_ICONS}
    for name in ACTION_ICONS:
        svg = SafeET.fromstring(action_icon(name).read_bytes())
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert svg.get("viewBox") == "0 0 16 16", name
        assert len(list(svg)) >= 2, f"{name} draws nothing"


def test_unknown_action_icon_is_a_typed_error():
    with pytest.raises(AssetMissing, match="media-eject"):
        action_icon("media-eject")
    assert issubclass(AssetMissing, journal.errors.EyelightsError)


# --- install-desktop / uninstall-desktop ---------------------------------------------------------

def _populated_data_home(tmp_path: Path) -> Path:
    """A data folder that already holds another app's files, which must survive untouched."""
    home = tmp_path / "share"
    (home / "applications").mkdir(parents=True)
    (home / "applications" / "org.example.Other.desktop").write_text("[Desktop Entry]\n")
    other_icon = home / "icons" / "hicolor" / "48x48" / "apps" / "org.example.Other.png"
    other_icon.parent.mkdir(parents=True)
    other_icon.write_bytes(PNG_SIGNATURE)
    return home


def test_install_then_uninstall_leaves_the_tree_as_it_was(tmp_path):
    home = _populated_data_home(tmp_path)
    before = _snapshot(home)
    _make("install-desktop", home)
    installed = _snapshot(home) - before
    assert f"applications/{APP_ID}.desktop" in installed
    assert f"metainfo/{APP_ID}.metainfo.xml" in installed
    assert f"icons/hicolor/scalable/apps/{APP_ID}.svg" in installed
    for size in ICON_SIZES:
        png = home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png.read_bytes()) == (size, size)
    _make("uninstall-desktop", home)
    assert _snapshot(home) == before


def test_uninstall_from_an_empty_folder_removes_what_install_created(tmp_path):
    home = tmp_path / "empty"
    home.mkdir()
    _make("install-desktop", home)
    assert (home / "applications" / f"{APP_ID}.desktop").is_file()
    _make("uninstall-desktop", home)
    assert _snapshot(home) == set()


def test_installed_desktop_file_can_point_at_a_venv(tmp_path):
    home = tmp_path / "share"
    _make("install-desktop", home, "EYELIGHTS_EXEC=/opt/eyelights/bin/eyelights")
    installed = home / "applications" / f"{APP_ID}.desktop"
    entry = _desktop_entry(installed)
    assert entry["Exec"] == "/opt/eyelights/bin/eyelights %F"
    assert entry["TryExec"] == "/opt/eyelights/bin/eyelights"
    result = subprocess.run([_tool("desktop-file-validate"), str(installed)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_existing_caches_are_refreshed_not_created(tmp_path):
    icon_cache_tool = _tool("gtk-update-icon-cache")
    home = _populated_data_home(tmp_path)
    hicolor = home / "icons" / "hicolor"
    subprocess.run([icon_cache_tool, "-q", "-f", "-t", str(hicolor)], check=True)
    cache = hicolor / "icon-theme.cache"
    assert APP_ID.encode() not in cache.read_bytes()
    before = _snapshot(home)
    _make("install-desktop", home)
    assert APP_ID.encode() in cache.read_bytes()
    assert not (home / "applications" / "mimeinfo.cache").exists()
    _make("uninstall-desktop", home)
    assert APP_ID.encode() not in cache.read_bytes()
    assert _snapshot(home) == before
