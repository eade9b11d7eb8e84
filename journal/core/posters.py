"""Posters, the Qt-free part: content hashes, image sniffing, sizes and the thumbnail cache.

Decoding and scaling images is Qt's job (``journal.ui.poster_image``); the store keeps each
image once per SHA-256 of its bytes (``FilmService.set_poster``) and thumbnails are cached on disk
under the user's cache folder, named by that hash and their size, so they never go stale.

Posters from a metadata service (``journal.core.metadata``) are downloaded once, at a bounded
size (TMDb's ``w500``, Commons at 500 px wide), checked and stored by the same rule as a file:
``prepare_downloaded``. The preview and the exports only ever show the stored copy.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
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


# ---------------------------------------------------------------------------- downloaded posters
#: Decodes and scales an image too large to store as it is: (bytes, mime, width, height).
#: The window and the command line pass Qt's (``journal.ui.poster_image.scale_poster``); the
#: core never decodes pixels itself.
Scaler = Callable[[bytes], tuple[bytes, str, int, int]]


def _be16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at:at + 2], "big")


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = _be16(data, i + 2)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return _be16(data, i + 7), _be16(data, i + 5)
        i += 2 + length
    return None


def image_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from the image's header (PNG, JPEG, GIF, WebP, BMP), or PosterError."""
    mime = sniff_mime(data)
    size: tuple[int, int] | None = None
    if mime == "image/png" and len(data) >= 24:
        size = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    elif mime == "image/gif" and len(data) >= 10:
        size = int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little")
    elif mime == "image/jpeg":
        size = _jpeg_size(data)
    elif mime == "image/bmp" and len(data) >= 26:
        size = (int.from_bytes(data[18:22], "little", signed=True),
                abs(int.from_bytes(data[22:26], "little", signed=True)))
    elif mime == "image/webp" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8 ":
            size = int.from_bytes(data[26:28], "little") & 0x3FFF, \
                int.from_bytes(data[28:30], "little") & 0x3FFF
        elif chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            size = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        elif chunk == b"VP8X":
            size = int.from_bytes(data[24:27], "little") + 1, \
                int.from_bytes(data[27:30], "little") + 1
    if size is None or size[0] <= 0 or size[1] <= 0:
        raise PosterError("This image is damaged (its size cannot be read).")
    return size


def prepare_downloaded(data: bytes, scaler: Scaler | None = None) -> tuple[bytes, str, int, int]:
    """A downloaded poster made ready for ``FilmService.set_poster``, by the rule files follow:
    stored as it is when it fits in ``MAX_EDGE``, else scaled down (by ``scaler``) to a PNG."""
    if len(data) > MAX_FILE_BYTES:
        raise PosterError(f"The poster is {len(data) // 1_048_576} MB: a poster can be at most "
                          f"{MAX_FILE_BYTES // 1_048_576} MB.")
    if scaler is not None:
        sniff_mime(data)
        return scaler(data)
    width, height = image_size(data)
    if max(width, height) > MAX_EDGE:
        raise PosterError(f"The poster is {width}×{height} pixels and nothing here can scale it "
                          f"down to {MAX_EDGE} pixels.")
    return data, sniff_mime(data), width, height
