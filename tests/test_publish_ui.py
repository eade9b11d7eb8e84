"""The window's side of publishing, against a real WordPress: Preferences → Blogs, the Publish
dialog (preview, differences, overwrite), the comments beside the preview (unread, Reply)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from journal.core.publish import BlogService, sync

pytestmark = pytest.mark.wordpress

import publish_helpers as ph  # noqa: E402 (tests/ is on sys.path: conftest.py)

SHOTS = Path(__file__).resolve().parent.parent / "build" / "screenshots"


def shot(widget, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def type_into(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)  # ASCII only (pytest-qt crashes on other characters)


def click(qtbot, button):
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_a_blog_in_preferences(qtbot, journal, wordpress_site, memory_keyring, tmp_path):
    from journal.ui.preferences import PreferencesDialog

    site = wordpress_site
    dialog = PreferencesDialog(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat),
                               None, journal)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.blogs_tab
    dialog.tabs.setCurrentWidget(tab)
    click(qtbot, tab.add_button)
    blog = tab.dialog
    type_into(qtbot, blog.name, "Film blog")
    type_into(qtbot, blog.url, site.url)
    type_into(qtbot, blog.user, site.user)
    type_into(qtbot, blog.password, "wrong password")
    click(qtbot, blog.buttons.button(blog.buttons.StandardButton.Save))
    qtbot.waitUntil(lambda: "refused the user name" in blog.message.text(), timeout=15000)
    assert BlogService(journal).list() == [] and memory_keyring.secrets == {}

    blog.password.clear()
    type_into(qtbot, blog.password, site.password)
    blog.categories.setText("Film reviews")
    shot(blog, "blog-dialog")
    click(qtbot, blog.buttons.button(blog.buttons.StandardButton.Save))
    qtbot.waitUntil(lambda: not blog.isVisible(), timeout=15000)
    assert [b.name for b in BlogService(journal).list()] == ["Film blog"]
    assert list(memory_keyring.secrets.values()) == [site.password]
    assert tab.list.count() == 1 and "Film blog" in tab.list.item(0).text()
    shot(dialog, "preferences-blogs")


def _dialog(qtbot, journal, review_id):
    from journal.ui.errors import ErrorReporter
    from journal.ui.publish_dialog import PublishDialog

    errors = ErrorReporter()
    errors.dialogs_enabled = False
    shown = []
    errors.shown.connect(lambda title, text: shown.append((title, text)))
    dialog = PublishDialog(journal, errors, review_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=15000)
    return dialog, shown


def test_publish_from_the_dialog_then_a_change_on_the_blog_is_shown(qtbot, journal,
                                                                      wordpress_site,
                                                                      memory_keyring):
    site = wordpress_site
    ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, from the window", poster=ph.png(rgb=(7, 7, 7)))
    dialog, shown = _dialog(qtbot, journal, review_id)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("publish"))
    qtbot.waitUntil(lambda: dialog.publish_button.isEnabled(), timeout=15000)
    sent = dialog.sent_view.toPlainText()
    assert "a new post (POST wp/v2/posts)" in sent and "Status: publish" in sent
    assert "her-from-the-window-poster.png (uploaded now" in sent
    assert ph.EXPECTED_POST.format(film="Her, from the window") in sent
    assert "MAJOR spoiler alert" in dialog.post_view.toPlainText()
    shot(dialog, "publish-dialog")
    with qtbot.waitSignal(dialog.published, timeout=15000) as published:
        click(qtbot, dialog.publish_button)
    post_id = published.args[0].post_id
    assert site.post(post_id)["status"] == "publish" and shown == []

    site.rest("POST", f"wp/v2/posts/{post_id}", {"content": "<p>Rewritten on the blog.</p>"})
    dialog, shown = _dialog(qtbot, journal, review_id)
    assert dialog.publish_button.text() == "O&verwrite the blog's version"
    assert "changed on the blog" in dialog.attention.text()
    assert dialog.tabs.currentWidget() is dialog.diff_view
    assert "+<p>Rewritten on the blog.</p>" in dialog.diff_view.toPlainText()
    shot(dialog, "publish-conflict")
    click(qtbot, dialog.buttons.button(dialog.buttons.StandardButton.Cancel))
    assert site.post(post_id)["content"]["raw"] == "<p>Rewritten on the blog.</p>"


def test_comments_beside_the_preview_unread_then_reply(qtbot, reviews_page, journal,
                                                       wordpress_site, memory_keyring):
    site = wordpress_site
    blog = ph.add_blog(journal, site)
    review_id = ph.write_review(journal, "Her, in the window")
    from journal.core.publish import Publisher, compose

    publisher = Publisher(journal, blog)
    post_id = publisher.publish(publisher.plan(compose(journal, review_id, blog,
                                                       status="publish"))).post_id
    first = site.reader_comment(post_id, "Reader One", "Lovely review.")
    site.reader_comment(post_id, "Reader Two", "I disagree!", parent=first)
    sync(journal, blog)

    page = reviews_page()
    page.open_review(review_id)
    view = page.editor_view
    tabs, panel = view.side_tabs, view.comments
    assert tabs.tabText(tabs.indexOf(panel)) == "&Comments (2 new)"
    tabs.setCurrentWidget(panel)
    top = panel.tree.topLevelItem(0)
    assert top.text(0) == "● Lovely review." and top.font(0).bold()
    assert top.child(0).text(1) == "Reader Two" and top.child(0).font(0).bold()
    shot(view, "comments-panel")

    rect = panel.tree.visualItemRect(top)
    qtbot.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    type_into(qtbot, panel.reply_edit, "Thank you!")
    click(qtbot, panel.reply_button)
    qtbot.waitUntil(lambda: panel.tree.topLevelItem(0).childCount() == 2, timeout=15000)
    mine = panel.tree.topLevelItem(0).child(1)
    assert (mine.text(0), mine.text(1)) == ("Thank you!", "editor")
    on_blog = [c for c in site.rest("GET", f"wp/v2/comments&post={post_id}")
               if c["parent"] == first and c["author_name"] == "editor"]
    assert len(on_blog) == 1
    assert tabs.tabText(tabs.indexOf(panel)) == "&Comments (1 new)"  # the answered one is read
    click(qtbot, panel.read_button)
    assert tabs.tabText(tabs.indexOf(panel)) == "&Comments (3)"
    assert not panel.tree.topLevelItem(0).font(0).bold()
