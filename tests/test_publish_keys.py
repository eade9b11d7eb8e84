"""The publishing path in the window as a user drives it, keys first, against the real test
WordPress: File → Publish to Blog… (Ctrl+Shift+P), the Publish dialog (Enter, Escape, Alt keys,
a failure then a retry, a slow blog stopped half-way), Preferences → Blogs, and the Comments
tab beside the preview (Alt+C, Enter, Ctrl+Enter, Alt+M, Alt+D)."""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from journal.core.publish import BlogService, BlogSettings, Publisher, compose, sync
from journal.core.publish.errors import AS_NEW, OVERWRITE, PLAIN_TEXT

pytestmark = pytest.mark.wordpress

_spec = importlib.util.spec_from_file_location("publish_helpers",
                                               Path(__file__).with_name("publish_helpers.py"))
ph = importlib.util.module_from_spec(_spec)
sys.modules["publish_helpers"] = ph
_spec.loader.exec_module(ph)

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


# ---------------------------------------------------------------- the Publish dialog
def test_after_a_failed_publish_enter_tries_again_at_once(qtbot, journal, wordpress_site,
                                                          proxied, proxy, quiet):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, tried twice", tags=("Tried twice",),
                                poster=ph.png(rgb=(9, 1, 1)))
    dialog, shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    proxy.fail("POST", "wp/v2/posts", "lost")  # WordPress makes the post; the answer is lost
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Not published" in dialog.attention.text(), timeout=30000)
    said = dialog.attention.text()
    assert "Cannot reach Film blog" in said and "taken back" in said, said
    assert posts_titled(site, "Her, tried twice") == []  # the half-made draft was deleted
    shot(dialog, "publish-failed")
    assert dialog.publish_button.isEnabled() and dialog.publish_button.isDefault()
    assert dialog.publish_button.text() == "&Publish again"
    with qtbot.waitSignal(dialog.published, timeout=30000) as published:
        press(qtbot, Qt.Key.Key_Return)
    post = site.post(published.args[0].post_id)
    assert post["title"]["raw"] == "Her, tried twice" and post["featured_media"] > 0
    assert len(posts_titled(site, "Her, tried twice")) == 1 and shown == []
    assert journal.models.PostLink.select().count() == 1


def test_a_blog_that_could_not_be_asked_is_asked_again_with_enter(qtbot, journal, proxied,
                                                                  proxy, quiet):
    review_id = ph.write_review(journal, "Her, asked twice")
    proxy.fail("GET", "wp/v2/categories", "lost")
    dialog, shown = open_dialog(qtbot, journal, review_id)
    qtbot.waitUntil(lambda: "Cannot reach Film blog" in dialog.attention.text(),
                    timeout=20000)
    assert "nothing was changed on the blog" in dialog.attention.text()
    ready(qtbot, dialog, "&Try again")
    press(qtbot, Qt.Key.Key_Return)
    ready(qtbot, dialog)
    assert dialog.attention.text() == "" and "is a new post on Film blog, as a draft;" in \
        dialog.summary.text()
    assert "Tags: Romance (new), Science fiction (new)" in dialog.sent_view.toPlainText()
    assert shown == []


def test_escape_while_publishing_stops_and_takes_back_what_was_done(qtbot, journal,
                                                                    wordpress_site, proxied,
                                                                    proxy, quiet):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, stopped", tags=("Stopped halfway",),
                                poster=ph.png(rgb=(3, 2, 1)))
    dialog, shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    proxy.hold("POST", "wp/v2/media")  # a slow blog: the upload hangs
    press(qtbot, Qt.Key.Key_Return)
    assert proxy.held.wait(20)
    qtbot.waitUntil(lambda: "Uploading the poster" in dialog.summary.text())
    assert dialog.progress.isVisible() and dialog.progress.maximum() >= 3
    assert not dialog.blog_combo.isEnabled() and not dialog.publish_button.isEnabled()
    assert dialog.cancel_button.text() == "&Stop"
    shot(dialog, "publish-slow")
    press(qtbot, Qt.Key.Key_Escape)
    assert dialog.isVisible() and "Stopping" in dialog.summary.text()
    proxy.release()
    qtbot.waitUntil(lambda: "stopped on request" in dialog.attention.text(), timeout=30000)
    assert "What this publish had done on Film blog was taken back." in \
        dialog.attention.text()
    assert posts_titled(site, "Her, stopped") == []
    assert [t for t in site.rest("GET", "wp/v2/tags&search=Stopped&hide_empty=false")] == []
    assert [m for m in site.rest("GET", "wp/v2/media&per_page=100")
            if m["alt_text"] == "Poster of Her, stopped"] == []
    assert journal.models.PostLink.select().count() == 0 and shown == []
    assert not dialog.progress.isVisible() and dialog.cancel_button.text() == "Cancel"
    press(qtbot, Qt.Key.Key_Escape)  # now it closes
    assert not dialog.isVisible()


def test_a_new_status_and_time_then_enter_publishes_at_once(qtbot, journal, wordpress_site,
                                                            proxied, proxy, quiet):
    review_id = ph.write_review(journal, "Her, scheduled")
    dialog, _shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    asked = len(proxy.seen)
    press(qtbot, Qt.Key.Key_T, ALT)  # S&tatus
    assert QApplication.focusWidget() is dialog.status_combo
    press(qtbot, Qt.Key.Key_End)  # Scheduled
    assert dialog.status_combo.currentData() == "future"
    press(qtbot, Qt.Key.Key_W, ALT)  # &When
    assert QApplication.focusWidget() is dialog.when
    press(qtbot, Qt.Key.Key_Up)  # a year later
    shown = dialog.when.dateTime().toString("yyyy-MM-dd HH:mm")
    assert f"is a new post on Film blog, scheduled for {shown};" in dialog.summary.text()
    with qtbot.waitSignal(dialog.published, timeout=30000) as published:
        press(qtbot, Qt.Key.Key_Return)
    assert published.args[0].status == "future"
    post = wordpress_site.post(published.args[0].post_id)
    assert post["status"] == "future"
    when = dialog.when.dateTime().toUTC().toString("yyyy-MM-ddTHH:mm")
    assert post["date_gmt"][:16] == when
    assert proxy.seen[asked][0] == "POST"  # the blog was not asked again before publishing


def test_alt_keys_show_the_tabs_and_alt_p_publishes(qtbot, journal, wordpress_site,
                                                    memory_keyring, quiet):
    ph.add_blog(journal, wordpress_site)
    review_id = ph.write_review(journal, "Her, by Alt keys")
    dialog, _shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    for key, view in ((Qt.Key.Key_S, dialog.sent_view), (Qt.Key.Key_D, dialog.diff_view),
                      (Qt.Key.Key_O, dialog.post_view)):
        press(qtbot, key, ALT)
        assert dialog.tabs.currentWidget() is view
    with qtbot.waitSignal(dialog.published, timeout=30000):
        press(qtbot, Qt.Key.Key_P, ALT)
    assert len(posts_titled(wordpress_site, "Her, by Alt keys")) == 1


def test_without_a_blog_enter_adds_one_then_publishes(qtbot, journal, wordpress_site,
                                                       memory_keyring, quiet):
    site = wordpress_site
    dialog, shown = open_dialog(qtbot, journal, ph.write_review(journal, "Her, first blog"))
    assert dialog.summary.text().startswith("No blog yet")
    ready(qtbot, dialog, "&Add a blog…")
    press(qtbot, Qt.Key.Key_Return)
    blog = dialog.blog_dialog
    qtbot.waitUntil(lambda: blog is not None and blog.isVisible())
    active(qtbot, blog)
    _fill(qtbot, blog, site.url, site.user, site.password)
    press(qtbot, Qt.Key.Key_Return)  # Save: the blog is asked, then kept
    qtbot.waitUntil(lambda: not blog.isVisible(), timeout=20000)
    active(qtbot, dialog)
    ready(qtbot, dialog)
    assert dialog.blog_combo.currentText() == "Film blog"
    with qtbot.waitSignal(dialog.published, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    assert len(posts_titled(site, "Her, first blog")) == 1 and shown == []


def test_tab_goes_through_the_dialog_in_the_order_it_reads(qtbot, journal, wordpress_site,
                                                           memory_keyring):
    ph.add_blog(journal, wordpress_site)
    dialog, _shown = open_dialog(qtbot, journal, ph.write_review(journal, "Her, tabbed"))
    ready(qtbot, dialog)
    seen = []
    for _ in range(7):
        seen.append(QApplication.focusWidget())
        press(qtbot, Qt.Key.Key_Tab)
    assert seen == [dialog.blog_combo, dialog.status_combo, dialog.tabs.tabBar(),
                    dialog.post_view, dialog.publish_button, dialog.cancel_button,
                    dialog.blog_combo]


def test_enter_never_overwrites_the_blogs_changes(qtbot, journal, wordpress_site,
                                                  memory_keyring, quiet):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, guarded")
    post_id = publish_now(journal, blog, review_id)
    site.rest("POST", f"wp/v2/posts/{post_id}", {"content": "<p>Fixed on the blog.</p>"})
    dialog, _shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog, OVERWRITE.control)
    assert not dialog.publish_button.isDefault() and dialog.cancel_button.isDefault()
    press(qtbot, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert site.post(post_id)["content"]["raw"] == "<p>Fixed on the blog.</p>"


def test_a_change_on_the_blog_during_the_preview_is_said_in_the_windows_words(
        qtbot, journal, wordpress_site, memory_keyring, quiet):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, changed meanwhile")
    post_id = publish_now(journal, blog, review_id)
    dialog, _shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    site.rest("POST", f"wp/v2/posts/{post_id}", {"content": "<p>Changed meanwhile.</p>"})
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Not published" in dialog.attention.text(), timeout=20000)
    said = dialog.attention.text()
    assert "(press “Overwrite the blog's version”)" in said and "--overwrite" not in said
    assert dialog.tabs.currentWidget() is dialog.diff_view
    assert "+<p>Changed meanwhile.</p>" in dialog.diff_view.toPlainText()
    assert dialog.publish_button.text() == OVERWRITE.control
    assert site.post(post_id)["content"]["raw"] == "<p>Changed meanwhile.</p>"
    with qtbot.waitSignal(dialog.published, timeout=30000):
        press(qtbot, Qt.Key.Key_V, ALT)  # O&verwrite: only on purpose
    assert "Changed meanwhile" not in site.post(post_id)["content"]["raw"]


def test_a_post_deleted_on_the_blog_is_published_anew_from_the_keyboard(
        qtbot, journal, wordpress_site, memory_keyring, quiet):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, deleted there")
    post_id = publish_now(journal, blog, review_id)
    site.rest("DELETE", f"wp/v2/posts/{post_id}&force=true")
    dialog, _shown = open_dialog(qtbot, journal, review_id)
    qtbot.waitUntil(lambda: "no longer on" in dialog.attention.text(), timeout=20000)
    said = dialog.attention.text()
    assert f"({AS_NEW.in_window()})" in said and "--new" not in said, said
    press(qtbot, Qt.Key.Key_N, ALT)  # Publish as a &new post
    qtbot.waitUntil(dialog.as_new.isChecked)  # a mnemonic clicks after a short animation
    ready(qtbot, dialog)
    assert "is a new post" in dialog.summary.text()
    with qtbot.waitSignal(dialog.published, timeout=30000) as published:
        press(qtbot, Qt.Key.Key_Return)
    assert published.args[0].post_id != post_id and published.args[0].created


# ---------------------------------------------------------------- File menu, Ctrl+Shift+P
@pytest.fixture
def window(qtbot, journal, tmp_path):
    from journal.ui.bridge import JournalSignals
    from journal.ui.errors import ErrorReporter
    from journal.ui.mainwindow import MainWindow

    signals = JournalSignals(journal)
    errors = ErrorReporter()
    errors.dialogs_enabled = False
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(journal, signals, settings, errors, lambda parent: None)
    qtbot.addWidget(window)
    window.resize(1000, 650)
    window.show()
    active(qtbot, window)
    yield window
    signals.detach()


def test_ctrl_shift_p_publishes_the_review_chosen_in_the_list(qtbot, journal, wordpress_site,
                                                              memory_keyring, window, quiet):
    from journal.ui.publish_dialog import PublishDialog

    ph.add_blog(journal, wordpress_site)
    ph.write_review(journal, "Her, from the list")
    ph.write_review(journal, "Her, from the list")
    table = window.reviews_page.table
    qtbot.waitUntil(lambda: table.model().rowCount() == 2)
    table.setFocus()
    press(qtbot, Qt.Key.Key_Down)  # a review, chosen in the list; the File menu never opened
    assert window.reviews_page.selected_review_id() is not None
    press(qtbot, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.publishing.dialog
    assert isinstance(dialog, PublishDialog) and dialog.isVisible()
    active(qtbot, dialog)
    ready(qtbot, dialog)
    with qtbot.waitSignal(dialog.published, timeout=30000):
        press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("Sent as a draft"))


@pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")  # the menu
def test_fetch_comments_from_the_file_menu_says_what_it_found(qtbot, journal, wordpress_site,
                                                               memory_keyring, window, quiet):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    kept = publish_now(journal, blog, ph.write_review(journal, "Her, kept"))
    site.reader_comment(kept, "Reader", "Still here.")
    gone = publish_now(journal, blog, ph.write_review(journal, "Her, gone"))
    site.rest("DELETE", f"wp/v2/posts/{gone}&force=true")
    press(qtbot, Qt.Key.Key_F, ALT)
    menu = window.file_menu
    qtbot.waitUntil(menu.isVisible)
    press(qtbot, Qt.Key.Key_C)  # Fetch &Comments from Blogs
    bar = window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage().startswith("1 new comment"), timeout=20000)
    assert f"post #{gone}" in bar.currentMessage()
    assert "is no longer on the blog" in bar.currentMessage()


# ---------------------------------------------------------------- Preferences → Blogs
def test_alt_d_adds_a_blog_in_preferences(qtbot, journal, memory_keyring, tmp_path):
    from journal.ui.blog_settings import BlogDialog
    from journal.ui.preferences import PreferencesDialog

    dialog = PreferencesDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                               None, journal)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    press(qtbot, Qt.Key.Key_B, ALT)
    assert dialog.tabs.currentWidget() is dialog.blogs_tab
    press(qtbot, Qt.Key.Key_D, ALT)  # A&dd… (Alt+A is the Appearance tab)
    assert dialog.tabs.currentWidget() is dialog.blogs_tab
    qtbot.waitUntil(lambda: isinstance(dialog.blogs_tab.dialog, BlogDialog)
                    and dialog.blogs_tab.dialog.isVisible())
    blog = dialog.blogs_tab.dialog
    active(qtbot, blog)
    assert QApplication.focusWidget() is blog.name
    press(qtbot, Qt.Key.Key_Escape)
    assert not blog.isVisible() and BlogService(journal).list() == []


def test_without_a_keyring_the_blogs_tab_does_not_promise_one(qtbot, journal, no_keyring,
                                                               tmp_path):
    from journal.ui.preferences import PreferencesDialog

    dialog = PreferencesDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                               None, journal)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    press(qtbot, Qt.Key.Key_B, ALT)
    note = dialog.blogs_tab.note.text()
    assert "there is no system keyring here" in note and "kept in the system keyring" not in note


@pytest.mark.qt_log_ignore("does not support raise")  # the question box
def test_removing_a_blog_asks_and_enter_keeps_it(qtbot, journal, wordpress_site,
                                                 memory_keyring, tmp_path):
    from journal.ui.preferences import PreferencesDialog

    ph.add_blog(journal, wordpress_site)
    dialog = PreferencesDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                               None, journal)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    press(qtbot, Qt.Key.Key_B, ALT)
    for answer, kept in ((Qt.Key.Key_Return, True), (Qt.Key.Key_Escape, True),
                         ((Qt.Key.Key_R, ALT), False)):
        press(qtbot, Qt.Key.Key_R, ALT)  # &Remove
        qtbot.waitUntil(lambda: getattr(dialog.blogs_tab, "confirm_box", None) is not None
                        and dialog.blogs_tab.confirm_box.isVisible())
        box = dialog.blogs_tab.confirm_box
        active(qtbot, box)
        press(qtbot, *(answer if isinstance(answer, tuple) else (answer,)))
        qtbot.waitUntil(lambda box=box: not box.isVisible())
        dialog.blogs_tab.confirm_box = None
        active(qtbot, dialog)
        assert bool(BlogService(journal).list()) is kept
    assert memory_keyring.secrets == {} and dialog.blogs_tab.list.count() == 0


def _blog_dialog(qtbot, journal, name=None):
    from journal.ui.blog_settings import BlogDialog
    from journal.ui.errors import ErrorReporter

    errors = ErrorReporter()
    errors.dialogs_enabled = False
    dialog = BlogDialog(journal, errors, None, name)
    qtbot.addWidget(dialog)
    dialog.show()
    active(qtbot, dialog)
    return dialog


def _fill(qtbot, dialog, url, user, password):
    dialog.name.setFocus()
    typed(qtbot, "Film blog")
    for field, text in ((dialog.url, url), (dialog.user, user), (dialog.password, password)):
        field.setFocus()
        typed(qtbot, text)


def test_without_a_keyring_the_window_names_its_box_and_asks_nothing_before(
        qtbot, journal, wordpress_site, proxy, no_keyring, quiet):
    dialog = _blog_dialog(qtbot, journal)
    _fill(qtbot, dialog, proxy.url, wordpress_site.user, wordpress_site.password)
    press(qtbot, Qt.Key.Key_Return)  # Save
    said = dialog.message.text()
    assert f"({PLAIN_TEXT.in_window()})" in said and "--plain-text-password" not in said, said
    assert QApplication.focusWidget() is dialog.plain and proxy.seen == []
    shot(dialog, "blog-dialog-no-keyring")
    press(qtbot, Qt.Key.Key_Space)
    assert dialog.plain.isChecked()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=20000)
    [blog] = BlogService(journal).list()
    assert blog.secret_store == "file"


def test_a_wordpress_com_blog_asks_for_its_token(qtbot, journal, memory_keyring):
    dialog = _blog_dialog(qtbot, journal)
    press(qtbot, Qt.Key.Key_K, ALT)  # &Kind
    assert QApplication.focusWidget() is dialog.kind
    press(qtbot, Qt.Key.Key_Down)
    assert dialog.kind.currentData() == "wordpress.com"
    assert dialog.password_label.text() == "Acc&ess token:"
    press(qtbot, Qt.Key.Key_E, ALT)  # the field is reached by its label's key
    assert QApplication.focusWidget() is dialog.password
    press(qtbot, Qt.Key.Key_K, ALT)
    press(qtbot, Qt.Key.Key_Up)
    assert dialog.password_label.text() == "Application &password:"


def test_escape_while_the_blog_is_asked_stores_nothing(qtbot, journal, wordpress_site, proxy,
                                                       memory_keyring, quiet):
    dialog = _blog_dialog(qtbot, journal)
    _fill(qtbot, dialog, proxy.url, wordpress_site.user, wordpress_site.password)
    proxy.hold("GET", "users/me")
    press(qtbot, Qt.Key.Key_Return)
    assert proxy.held.wait(20)
    assert "whether the password works" in dialog.message.text()
    worker = dialog.worker
    press(qtbot, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    proxy.release()
    qtbot.waitUntil(lambda: not worker.running, timeout=20000)
    qtbot.wait(300)  # what the answer would have set off has run
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}


def test_changing_a_blog_offers_no_box_that_changes_nothing(qtbot, journal, wordpress_site,
                                                            no_keyring, quiet):
    from journal.core.publish import BlogSettings as Settings

    BlogService(journal).add(Settings("Film blog", wordpress_site.url, wordpress_site.user),
                             wordpress_site.password, plain_text=True, check=False)
    dialog = _blog_dialog(qtbot, journal, "Film blog")
    assert not dialog.plain.isVisible()
    assert dialog.keyring_note.text() == ("The password is kept in a plain-text file readable "
                                          "only by you.")
    assert dialog.featured.isChecked()
    press(qtbot, Qt.Key.Key_F, ALT)  # the poster as &featured image
    qtbot.waitUntil(lambda: not dialog.featured.isChecked())
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert not BlogService(journal).list()[0].featured_image


# ---------------------------------------------------------------- comments beside the preview
def test_comments_from_the_keyboard(qtbot, reviews_page, journal, wordpress_site,
                                    memory_keyring, quiet):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, answered by keys")
    post_id = publish_now(journal, blog, review_id)
    first = site.reader_comment(post_id, "Reader One", LONG)
    sync(journal, blog)
    page = reviews_page()
    page.open_review(review_id)
    view = page.editor_view
    active(qtbot, page)
    view.editor.setFocus()
    panel = view.comments
    press(qtbot, Qt.Key.Key_C, ALT)  # &Comments
    assert view.side_tabs.currentWidget() is panel
    assert QApplication.focusWidget() is panel.tree and panel.current_id() is not None
    assert panel.reading.isVisible()
    assert panel.reading.toPlainText().startswith("Reader One, ")
    assert panel.reading.toPlainText().endswith(":\n" + LONG)  # all of it, not one line
    press(qtbot, Qt.Key.Key_Return)  # on the comment: write the answer
    assert QApplication.focusWidget() is panel.reply_edit
    typed(qtbot, "Thank you!")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: panel.status.text().startswith("Reply posted on the blog."),
                    timeout=20000)
    assert panel.tree.topLevelItem(0).childCount() == 1
    assert [c["content"]["rendered"].strip() for c in
            site.rest("GET", f"wp/v2/comments&post={post_id}") if c["parent"] == first] == [
        "<p>Thank you!</p>"]

    site.reader_comment(post_id, "Reader Two", "And the music!")
    panel.tree.setFocus()
    press(qtbot, Qt.Key.Key_M, ALT)  # Fetch co&mments
    qtbot.waitUntil(lambda: panel.status.text().startswith("Fetched: 1 new comment."),
                    timeout=20000)
    assert view.side_tabs.tabText(view.side_tabs.indexOf(panel)) == "&Comments (1 new)"
    press(qtbot, Qt.Key.Key_D, ALT)  # Mark all rea&d
    qtbot.waitUntil(lambda: view.side_tabs.tabText(view.side_tabs.indexOf(panel))
                    == "&Comments (3)")
    shot(view, "comments-by-keys")
