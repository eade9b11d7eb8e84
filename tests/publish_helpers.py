"""A review written the way the blog this app is for writes them, a blog to publish it to, and
what the key-driven window tests share (fixtures, keys pressed on the focused widget)."""

from __future__ import annotations

import logging
import struct
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from journal.core.publish import BlogService, BlogSettings, Publisher, compose

BODY = """\
> “The past is just a story we tell ourselves.”
> — Amy

Theodore writes other people’s letters — and falls for the voice in his computer. 🎬

## The craft

Jonze films Los Angeles as a warm, hazy future; compare [[Lost in Translation (2003)]].

::: spoiler
Samantha leaves, with all the others: “I’m yours and I’m not yours.”
:::

> “We’re only here briefly, and in this moment I want to allow myself joy.”
"""

EXPECTED_POST = """\
<p>{film} 8.5</p>
<p><strong>eyelights:</strong> Joaquin Phoenix. Scarlett Johansson’s voice.<br />
<strong>eyesores:</strong> its slightly long last act.</p>
<blockquote>
<p>“The past is just a story we tell ourselves.” — Amy</p>
</blockquote>
<p>Theodore writes other people’s letters — and falls for the voice in his computer. 🎬</p>
<h2 id="the-craft">The craft</h2>
<p>Jonze films Los Angeles as a warm, hazy future; compare Lost in Translation (2003).</p>
<p><em>MAJOR spoiler alert</em></p>
<p>Samantha leaves, with all the others: “I’m yours and I’m not yours.”</p>
<p><em>MAJOR spoiler alert</em></p>
<blockquote>
<p>“We’re only here briefly, and in this moment I want to allow myself joy.”</p>
</blockquote>
<p>Date of viewing: January 24, 2014</p>
"""


def png(width: int = 4, height: int = 6, rgb: tuple[int, int, int] = (200, 30, 60)) -> bytes:
    """A small real PNG image."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


def write_review(journal, film_title: str = "Her", *, tags=("Romance", "Science fiction"),
                 poster: bytes | None = None, body: str = BODY, score="8.5") -> int:
    film = journal.films.create(film_title, 2013, directors=["Spike Jonze"],
                                allow_duplicate=True)
    if poster is not None:
        journal.films.set_poster(film.id, poster, "image/png", 4, 6)
    viewing = journal.viewings.log(film.id, "2014-01-24")
    review = journal.reviews.create(
        film.id, body, tags=list(tags), viewing_id=viewing.id, score=score,
        eyelights="Joaquin Phoenix. Scarlett Johansson’s voice.",
        eyesores="its slightly long last act.")
    return int(review.id)


def add_blog(journal, site, name: str = "My film blog", **settings):
    values = {"categories": ["Film reviews"], **settings}
    return BlogService(journal).add(BlogSettings(name, site.url, site.user, **values),
                                    site.password)


# ---------------------------------------------------------------- driving the window by keys
# (tests/test_publish_keys*.py take these fixtures into their modules by name)
ALT = Qt.KeyboardModifier.AltModifier
LONG = ("Lovely review. I saw it twice, and the second time the letters he writes for others "
        "read differently: they are about him all along.\n\nAnd the city, warm and hazy, is "
        "a character too.")
CTRL = Qt.KeyboardModifier.ControlModifier
SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


# ---------------------------------------------------------------- helpers
@pytest.fixture
def quiet(caplog):
    """Fails the test on a WARNING logged by the app (the test lists those it expects)."""
    expected: list[str] = []
    with caplog.at_level(logging.WARNING):
        yield expected
    bad = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING
           and r.name.startswith("journal") and not any(e in r.getMessage() for e in expected)]
    assert bad == []


@pytest.fixture
def proxy(wordpress_site):
    from wordpress_site import FaultyProxy

    proxy = FaultyProxy(wordpress_site.url)
    yield proxy
    proxy.close()


@pytest.fixture
def proxied(journal, wordpress_site, memory_keyring, proxy):
    """A blog reached through a proxy that fails, or is slow, when told to."""
    return BlogService(journal).add(BlogSettings("Film blog", proxy.url, wordpress_site.user,
                                                 categories=["Film reviews"]),
                                    wordpress_site.password)


@pytest.fixture
def no_keyring():
    import keyring
    from keyring.backends import fail

    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


def shot(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def active(qtbot, widget):
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget.window())


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key as the user presses it: to the open menu, else whatever has the focus."""
    target = QApplication.activePopupWidget() or QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    qtbot.keyClick(target, key, modifier)


def typed(qtbot, text):
    target = QApplication.focusWidget()
    qtbot.keyClicks(target, text)  # ASCII only (pytest-qt crashes on other characters)


def open_dialog(qtbot, journal, review_id):
    from journal.ui.errors import ErrorReporter
    from journal.ui.publish_dialog import PublishDialog

    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown: list[tuple[str, str]] = []
    errors.shown.connect(lambda title, text: shown.append((title, text)))
    dialog = PublishDialog(journal, errors, review_id)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    return dialog, shown


def ready(qtbot, dialog, text="&Publish"):
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled()
                    and dialog.publish_button.text() == text, timeout=20000)


def posts_titled(site, title):
    return [p for p in site.rest("GET", "wp/v2/posts&status=any&context=edit&per_page=100")
            if p["title"]["raw"] == title]


def publish_now(journal, blog, review_id):
    publisher = Publisher(journal, blog)
    return publisher.publish(publisher.plan(compose(journal, review_id, blog,
                                                    status="publish"))).post_id


def blog_dialog(qtbot, journal, name=None):
    from journal.ui.blog_settings import BlogDialog
    from journal.ui.errors import ErrorReporter

    errors = ErrorReporter()
    errors.dialogs_enabled = False
    dialog = BlogDialog(journal, errors, None, name)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    return dialog


def fill(qtbot, dialog, url, user, password):
    dialog.name.setFocus()
    typed(qtbot, "Film blog")
    for field, text in ((dialog.url, url), (dialog.user, user), (dialog.password, password)):
        field.setFocus()
        typed(qtbot, text)
