"""The Publish dialog as a user drives it, keys first, against the real test WordPress:
File → Publish to Blog… (Ctrl+Shift+P), Enter, Escape, Alt keys, Tab, a failure then a retry,
a slow blog stopped half-way, a change on the blog, a post gone, no blog yet; File → Fetch
Comments from Blogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from journal.core.publish.errors import AS_NEW, OVERWRITE

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)

ALT, CTRL = ph.ALT, ph.CTRL
active, fill, open_dialog, posts_titled, press, publish_now, ready, shot = (
    ph.active, ph.fill, ph.open_dialog, ph.posts_titled, ph.press, ph.publish_now, ph.ready,
    ph.shot)
quiet, proxy, proxied = ph.quiet, ph.proxy, ph.proxied  # fixtures


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


def test_a_failed_update_then_another_status_still_publishes_with_enter(
        qtbot, journal, wordpress_site, proxied, proxy, quiet):
    site = wordpress_site
    review_id = ph.write_review(journal, "Her, updated twice")
    post_id = publish_now(journal, proxied, review_id)
    journal.reviews.update(review_id, eyesores="none at all.")
    dialog, shown = open_dialog(qtbot, journal, review_id)
    ready(qtbot, dialog)
    proxy.fail("POST", f"wp/v2/posts/{post_id}", "lost")  # saved there, the answer lost
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Not published" in dialog.attention.text(), timeout=30000)
    assert "none at all" not in site.post(post_id)["content"]["raw"]  # put back as it was
    press(qtbot, Qt.Key.Key_T, ALT)
    press(qtbot, Qt.Key.Key_Down)  # Draft: planned from what the blog said, no question
    assert dialog.status_combo.currentData() == "draft"
    with qtbot.waitSignal(dialog.published, timeout=30000) as published:
        press(qtbot, Qt.Key.Key_Return)
    assert published.args[0].post_id == post_id and shown == []
    post = site.post(post_id)
    assert post["status"] == "draft" and "none at all" in post["content"]["raw"]


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
    assert "Tags: Romance" in dialog.sent_view.toPlainText()  # the blog was asked
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
    fill(qtbot, blog, site.url, site.user, site.password)
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


