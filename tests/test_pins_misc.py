"""Keys, blog passwords, blog settings, posters and the sample journal: what is kept and what
the user is told, pinned in full.

Written from the survivors of the core's mutation sample (docs/testing.md, "Mutation
testing"): each test fails with its mutant's edit put back.
"""

from __future__ import annotations

import struct
import zlib

import pytest

from journal.core.metadata.keys import KeyStore
from journal.core.posters import PosterError, prepare_downloaded, scaled_size
from journal.core.publish import BlogService, BlogSettings, secrets
from journal.core.sample import load_sample
from journal.errors import ValidationError

SITE = "https://blog.example.org"


def test_the_tmdb_key_is_read_back_from_the_keyring(memory_keyring, tmp_path):
    keys = KeyStore(plain_file=tmp_path / "tmdb-key")
    assert keys.set("0123456789abcdef").startswith("the system keyring")
    assert KeyStore(plain_file=tmp_path / "tmdb-key").get() == "0123456789abcdef"
    assert not (tmp_path / "tmdb-key").exists()


def test_a_blog_password_is_read_back_from_the_keyring(memory_keyring):
    secrets.store("wordpress", SITE, "zoe", "abcd efgh ijkl", "keyring")
    assert secrets.load("wordpress", SITE, "zoe", "keyring", "My blog") == "abcd efgh ijkl"
    with pytest.raises(secrets.SecretUnavailable) as caught:
        secrets.load("wordpress", SITE, "marc", "keyring", "Marc's blog")
    assert caught.value.message == ("No password for blog “Marc's blog” was found; add the blog "
                                    "again with its application password.")


def test_renaming_a_blog_to_a_taken_name_is_refused_on_the_name(journal, memory_keyring):
    blogs = BlogService(journal)
    blogs.add(BlogSettings("Films", SITE, "zoe"), "abcd efgh ijkl", check=False)
    blogs.add(BlogSettings("Notes", SITE + "/notes", "zoe"), "abcd efgh ijkl", check=False)
    with pytest.raises(ValidationError) as caught:
        blogs.update("Notes", BlogSettings("films", SITE + "/notes", "zoe"))
    assert (caught.value.message, caught.value.field) == (
        "There is already a blog called “films”.", "name")


def test_a_default_status_that_is_not_draft_or_publish_is_refused_in_words():
    with pytest.raises(ValidationError) as caught:
        BlogSettings("Films", SITE, "zoe", default_status="private").cleaned()
    assert (caught.value.message, caught.value.field) == (
        "The default status is draft or publish.", "default_status")


def test_a_picture_one_pixel_high_is_a_picture():
    assert scaled_size(300, 1) == (300, 1)
    assert scaled_size(4000, 1, max_edge=2000) == (2000, 1)
    with pytest.raises(PosterError, match=r"^This image has no pixels\.$"):
        scaled_size(300, 0)


def test_a_png_whose_header_says_zero_pixels_is_damaged():
    header = struct.pack(">IIBBBBB", 0, 6, 8, 2, 0, 0, 0)
    chunk = (struct.pack(">I", len(header)) + b"IHDR" + header
             + struct.pack(">I", zlib.crc32(b"IHDR" + header) & 0xFFFFFFFF))
    with pytest.raises(PosterError) as caught:
        prepare_downloaded(b"\x89PNG\r\n\x1a\n" + chunk)
    assert caught.value.message == "This image is damaged (its size cannot be read)."


def test_the_samples_reply_is_threaded_under_its_comment(journal):
    load_sample(journal)
    m = journal.models
    reply = m.Comment.get(m.Comment.text == "Entirely improvised — and better for it.")
    assert reply.parent is not None
    assert reply.parent.text == "That organ screening sounds wonderful. Did they improvise?"


def test_the_plain_tmdb_key_file_is_in_eyelights_own_config_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert KeyStore().plain_file == tmp_path / "config" / "eyelights" / "tmdb-key"


def test_a_reviews_comment_thread_shows_each_text_under_its_author(journal):
    from journal.core.publish import comments

    film = journal.films.create("Her", 2013)
    review = journal.reviews.create(film.id, "Body.")
    first = journal.reviews.add_comment(review.id, "Lovely — merci!", author="Zoé")
    journal.reviews.add_comment(review.id, "Thanks!", author="", parent_id=first.id)
    (top,) = comments.thread(journal, review.id)
    assert (top.author, top.text) == ("Zoé", "Lovely — merci!")
    assert [(r.author, r.text) for r in top.replies] == [("Anonymous", "Thanks!")]
    with pytest.raises(ValidationError) as caught:
        comments.reply(journal, first.id, "   ")
    assert (caught.value.message, caught.value.field) == ("Write the reply first.", "text")
