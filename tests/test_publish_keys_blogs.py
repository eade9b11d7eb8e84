"""Preferences → Blogs and the Comments tab beside the preview as a user drives them, keys
first, against the real test WordPress: add (no keyring, Cancel while the blog is asked),
change, remove; Alt+C, Enter, Ctrl+Enter, Alt+M, Alt+D in the thread."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from journal.core.publish import BlogService, sync
from journal.core.publish.errors import PLAIN_TEXT

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)

ALT, CTRL, LONG = ph.ALT, ph.CTRL, ph.LONG
active, blog_dialog, fill, press, publish_now, shot, typed = (
    ph.active, ph.blog_dialog, ph.fill, ph.press, ph.publish_now, ph.shot, ph.typed)
quiet, proxy, no_keyring = ph.quiet, ph.proxy, ph.no_keyring  # fixtures


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


def test_without_a_keyring_the_window_names_its_box_and_asks_nothing_before(
        qtbot, journal, wordpress_site, proxy, no_keyring, quiet):
    dialog = blog_dialog(qtbot, journal)
    fill(qtbot, dialog, proxy.url, wordpress_site.user, wordpress_site.password)
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
    dialog = blog_dialog(qtbot, journal)
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
    dialog = blog_dialog(qtbot, journal)
    fill(qtbot, dialog, proxy.url, wordpress_site.user, wordpress_site.password)
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
    dialog = blog_dialog(qtbot, journal, "Film blog")
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
