"""Posters, the Qt-free part: content hashes, image sniffing, sizes and the thumbnail cache.

Decoding and scaling images is Qt's job (``journal.ui.pages.film_detail``); the store keeps each
image once per SHA-256 of its bytes (``FilmService.set_poster``) and thumbnails are cached on disk
under the user's cache folder, named by that hash and their size, so they never go stale.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from journal.errors import ValidationError

#: Longest edge, in pixels, of a stored poster: larger images are scaled down before storing.
MAX_EDGE = 1000
#: Largest file accepted as a poster at all (before scaling).
MAX_FILE_BYTES = 40 * 1024 * 1024
THUMBNAIL_HEIGHT = 240

_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"),
          (b"GIF87a", "image/gif"), (b"GIF89a", "image/gif"), (b"BM", "image/bmp"))


class PosterError(ValidationError):
    """The file is not an image Eyelights can use as a poster."""

    def __init__(self, message: str) -> None:
        super().__init__(message, "poster")


def content_hash(data: bytes) -> str:
    """The key a poster is stored under: SHA-256 of its bytes, hex."""
    return hashlib.sha256(data).hexdigest()


def sniff_mime(data: bytes) -> str:
    """The image type from the first bytes (PNG, JPEG, GIF, BMP, WebP) or PosterError."""
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    raise PosterError("This file is not an image (PNG, JPEG, WebP, GIF or BMP).")


def check_file(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PosterError(f"“{path.name}” cannot be read: {exc.strerror}.") from None
    if size > MAX_FILE_BYTES:
        raise PosterError(f"“{path.name}” is {size // 1_048_576} MB: a poster can be at most "
                          f"{MAX_FILE_BYTES // 1_048_576} MB.")


def scaled_size(width: int, height: int, max_edge: int = MAX_EDGE) -> tuple[int, int]:
    """The size to store: unchanged when it fits, else scaled down keeping the aspect ratio."""
    if width <= 0 or height <= 0:
        raise PosterError("This image has no pixels.")
    longest = max(width, height)
    if longest <= max_edge:
        return width, height
    factor = max_edge / longest
    return max(1, round(width * factor)), max(1, round(height * factor))


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("eyelights")) / "thumbnails"


class ThumbnailCache:
    """PNG thumbnails on disk, keyed by poster hash and height; written atomically."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path_for(self, sha256: str, height: int = THUMBNAIL_HEIGHT) -> Path:
        return self.folder / sha256[:2] / f"{sha256}-{height}.png"

    def get(self, sha256: str, height: int = THUMBNAIL_HEIGHT) -> bytes | None:
        try:
            return self.path_for(sha256, height).read_bytes()
        except OSError:
            return None

    def put(self, sha256: str, data: bytes, height: int = THUMBNAIL_HEIGHT) -> Path | None:
        """Store a thumbnail; a cache that cannot be written is not an error (returns None)."""
        target = self.path_for(sha256, height)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        except OSError:
            return None
        return target
