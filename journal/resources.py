"""Access to the files shipped inside the ``journal`` package (icons, CSS, templates).

Everything goes through :mod:`importlib.resources`, so it works from a source checkout, an
installed wheel and a PyInstaller bundle alike. Qt-free: the UI turns these into ``QIcon``s.
"""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable

from journal import APP_ID
from journal.errors import EyelightsError

#: Sizes (pixels) of the app icon PNGs shipped under ``assets/icons/hicolor``.
ICON_SIZES: tuple[int, ...] = (16, 22, 24, 32, 48, 64, 128, 256, 512)

#: Freedesktop icon names for which a fallback SVG ships in ``assets/icons/actions``.
ACTION_ICONS: tuple[str, ...] = (
    "document-new",
    "document-save",
    "document-print",
    "edit-find",
    "view-preview",
    "list-add",
    "edit-delete",
    "go-previous",
    "go-next",
    "help-about",
    # the sidebar's pages
    "document-edit",
    "video-x-generic",
    "system-users",
    "x-office-calendar",
    "bookmark-new",
    "office-chart-bar",
    "user-trash",
)


class AssetMissing(EyelightsError):
    """A file that should ship with Eyelights is not there (a broken install)."""


def asset_path(*parts: str) -> Traversable:
    """The shipped file or folder ``journal/assets/<parts...>`` (it may not exist)."""
    node = files("journal") / "assets"
    for part in parts:
        node = node / part
    return node


def _existing(node: Traversable) -> Traversable:
    if not node.is_file():
        raise AssetMissing(f"Eyelights is incompletely installed: {node} is missing.")
    return node


def app_icon_files() -> dict[int, Traversable]:
    """The app icon PNGs by pixel size; raises :class:`AssetMissing` if one is absent."""
    return {
        size: _existing(asset_path("icons", "hicolor", f"{size}x{size}", "apps", f"{APP_ID}.png"))
        for size in ICON_SIZES
    }


def app_icon_svg() -> Traversable:
    """The scalable app icon."""
    return _existing(asset_path("icons", "hicolor", "scalable", "apps", f"{APP_ID}.svg"))


def action_icon(name: str) -> Traversable:
    """The bundled fallback SVG for the freedesktop icon *name* (e.g. ``"document-save"``)."""
    if name not in ACTION_ICONS:
        raise AssetMissing(f"No bundled fallback icon named {name!r}.")
    return _existing(asset_path("icons", "actions", f"{name}.svg"))
