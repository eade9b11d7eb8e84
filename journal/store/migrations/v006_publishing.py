"""Schema version 6: publishing to blogs and the readers' comments that come back (frozen DDL).

* ``blog``: a blog to publish to — name, kind (self-hosted WordPress or WordPress.com), address,
  user, where its secret lives (the system keyring, or a private file when the user agreed; never
  this file), its conventions (JSON), default categories and status, featured images on or off.
* ``post_link``: a review published as a post of a blog (one per review and blog, one per post),
  with what the blog held after the last publish — the baseline that tells whether the post was
  changed on the blog since, and the text shown in the difference.
* ``blog_media``: a poster uploaded to a blog's media library (once per image and blog).
* ``comment.blog_id``, ``comment.remote_id``: where a comment lives on a blog (one row per
  comment there); ``comment.unread``: fetched and not yet read.
"""

from peewee import SqliteDatabase

STATEMENTS = [
    'CREATE TABLE IF NOT EXISTS "blog" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL COLLATE NOCASE, "kind" VARCHAR(255) NOT NULL DEFAULT \'wordpress\' CHECK (kind IN (\'wordpress\', \'wordpress.com\')), "site_url" VARCHAR(255) NOT NULL, "username" VARCHAR(255) NOT NULL DEFAULT \'\', "secret_store" VARCHAR(255) NOT NULL DEFAULT \'keyring\' CHECK (secret_store IN (\'keyring\', \'file\')), "style" TEXT NOT NULL DEFAULT \'{}\', "categories" TEXT NOT NULL DEFAULT \'[]\', "default_status" VARCHAR(255) NOT NULL DEFAULT \'draft\' CHECK (default_status IN (\'draft\', \'publish\')), "featured_image" INTEGER NOT NULL DEFAULT 1, "created_at" DATETIME NOT NULL)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "blog_name" ON "blog" ("name")',
    'CREATE TABLE IF NOT EXISTS "post_link" ("id" INTEGER NOT NULL PRIMARY KEY, "review_id" INTEGER NOT NULL, "blog_id" INTEGER NOT NULL, "post_id" INTEGER NOT NULL, "url" VARCHAR(255) NOT NULL DEFAULT \'\', "status" VARCHAR(255) NOT NULL DEFAULT \'draft\', "published_at" DATETIME NOT NULL, "remote_title" TEXT NOT NULL DEFAULT \'\', "remote_content" TEXT NOT NULL DEFAULT \'\', "remote_modified" VARCHAR(255) NOT NULL DEFAULT \'\', "featured_media" INTEGER, FOREIGN KEY ("review_id") REFERENCES "review" ("id") ON DELETE CASCADE, FOREIGN KEY ("blog_id") REFERENCES "blog" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "post_link_review_id" ON "post_link" ("review_id")',
    'CREATE INDEX IF NOT EXISTS "post_link_blog_id" ON "post_link" ("blog_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "post_link_review_id_blog_id" ON "post_link" ("review_id", "blog_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "post_link_blog_id_post_id" ON "post_link" ("blog_id", "post_id")',
    'CREATE TABLE IF NOT EXISTS "blog_media" ("id" INTEGER NOT NULL PRIMARY KEY, "blog_id" INTEGER NOT NULL, "sha256" VARCHAR(255) NOT NULL, "media_id" INTEGER NOT NULL, "url" VARCHAR(255) NOT NULL DEFAULT \'\', FOREIGN KEY ("blog_id") REFERENCES "blog" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "blog_media_blog_id" ON "blog_media" ("blog_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "blog_media_blog_id_sha256" ON "blog_media" ("blog_id", "sha256")',
]


#: Columns added to ``comment`` (each only when missing: a step is safe to run again).
COMMENT_COLUMNS = {
    "blog_id": 'ALTER TABLE "comment" ADD COLUMN "blog_id" INTEGER REFERENCES "blog" ("id") ON DELETE SET NULL',
    "remote_id": 'ALTER TABLE "comment" ADD COLUMN "remote_id" INTEGER',
    "unread": 'ALTER TABLE "comment" ADD COLUMN "unread" INTEGER NOT NULL DEFAULT 0',
}
INDEXES = [
    'CREATE UNIQUE INDEX IF NOT EXISTS "comment_blog_remote" ON "comment" ("blog_id", "remote_id") WHERE remote_id IS NOT NULL',
    'CREATE INDEX IF NOT EXISTS "comment_unread" ON "comment" ("review_id") WHERE unread = 1',
]


def migrate(db: SqliteDatabase) -> None:
    for statement in STATEMENTS:
        db.execute_sql(statement)
    present = {row[1] for row in db.execute_sql('PRAGMA table_info("comment")').fetchall()}
    for column, statement in COMMENT_COLUMNS.items():
        if column not in present:
            db.execute_sql(statement)
    for statement in INDEXES:
        db.execute_sql(statement)
