"""Render the Eyelights app icon (SVG) to PNGs at the freedesktop hicolor sizes.

Usage (from the project root)::

    python packaging/render_icons.py            # write journal/assets/icons/hicolor/
    python packaging/render_icons.py --check    # exit 1 if the committed PNGs are stale
    python packaging/render_icons.py --out DIR  # write into DIR/<size>x<size>/apps/ instead

The PNGs are generated, never edited by hand: change the SVG in resources/ and run this again.
Rendering uses QtSvg on the offscreen platform, so it needs no display.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_ID = "io.github.eyelights.Eyelights"
SOURCE_SVG = ROOT / "resources" / f"{APP_ID}.svg"
DEFAULT_OUT = ROOT / "journal" / "assets" / "icons" / "hicolor"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)


class IconRenderError(Exception):
    """The SVG could not be read or a PNG could not be written."""


def _gui_app():
    """Return a QGuiApplication, creating one on the offscreen platform if needed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication([sys.argv[0]])


def render_png(svg: Path, size: int, dest: Path) -> None:
    """Render *svg* into a square transparent PNG of *size* pixels at *dest*."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _gui_app()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise IconRenderError(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    dest.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(dest), "PNG"):
        raise IconRenderError(f"could not write {dest}")


def png_path(out: Path, size: int) -> Path:
    """Where the PNG of *size* lives under a hicolor folder *out*."""
    return out / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def svg_path(out: Path) -> Path:
    """Where the scalable SVG lives under a hicolor folder *out*."""
    return out / "scalable" / "apps" / f"{APP_ID}.svg"


def render_all(out: Path, svg: Path = SOURCE_SVG) -> list[Path]:
    """Write every hicolor PNG and the scalable SVG under *out*; return the files written."""
    written = []
    for size in SIZES:
        dest = png_path(out, size)
        render_png(svg, size, dest)
        written.append(dest)
    scalable = svg_path(out)
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    return written


def stale_files(committed: Path, fresh: Path) -> list[str]:
    """Relative paths whose bytes differ between two hicolor folders (missing counts as stale)."""
    stale = []
    for new in sorted(p for p in fresh.rglob("*") if p.is_file()):
        rel = new.relative_to(fresh)
        old = committed / rel
        if not old.is_file() or old.read_bytes() != new.read_bytes():
            stale.append(str(rel))
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="hicolor folder to write")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            render_all(Path(tmp))
            stale = stale_files(args.out, Path(tmp))
        for rel in stale:
            print(f"stale: {rel}", file=sys.stderr)
        return 1 if stale else 0
    for path in render_all(args.out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
