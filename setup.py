"""Builds put the docs/ pages in the package as journal/guide/ (the Help menu's user guide).

docs/ stays the single source of the guide: journal/core/guide.py reads journal/guide/ in a
build and docs/ itself in a source checkout. Everything else about the build is in
pyproject.toml.
"""

import re
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DOCS = Path(__file__).resolve().parent / "docs"
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s/]+\.png)\)")


def guide_files() -> list[Path]:
    """Every page of docs/ and the images the pages show."""
    pages = sorted(DOCS.glob("*.md"))
    images = {name for page in pages for name in IMAGE.findall(page.read_text(encoding="utf-8"))}
    return pages + [DOCS / name for name in sorted(images) if (DOCS / name).is_file()]


class BuildWithGuide(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "journal" / "guide"
        target.mkdir(parents=True, exist_ok=True)
        for path in guide_files():
            shutil.copyfile(path, target / path.name)


setup(cmdclass={"build_py": BuildWithGuide})
