"""Decoding and scaling posters with Qt (QtGui only: usable on a worker and from the command line,
with or without a QApplication).

One rule for every poster, from a file or from a metadata service: an image that fits in
``posters.MAX_EDGE`` is stored as it is (the same file always gives the same bytes, stored once);
a larger one is scaled down, keeping its proportions, and stored as PNG.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from journal.core import posters


def png_bytes(image: QImage) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(array.data())


def scale_poster(data: bytes, name: str = "The poster") -> tuple[bytes, str, int, int]:
    """(bytes, mime, width, height) to store for these image bytes; PosterError if unreadable."""
    mime = posters.sniff_mime(data)
    image = QImage.fromData(data)
    if image.isNull():
        raise posters.PosterError(f"{name} could not be read as an image.")
    width, height = posters.scaled_size(image.width(), image.height())
    if (width, height) == (image.width(), image.height()):
        return data, mime, width, height
    scaled = image.scaled(width, height, Qt.AspectRatioMode.IgnoreAspectRatio,
                          Qt.TransformationMode.SmoothTransformation)
    return png_bytes(scaled), "image/png", width, height
