"""``eyelights publish``, ``eyelights comments`` and ``eyelights blogs``: publishing reviews to
WordPress and bringing readers' comments back (docs/publishing.md)."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from journal.cli.common import open_journal, print_json, print_table
from journal.errors import ValidationError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("publish", parents=[common], help="publish a review to a blog",
                       description="Publish a review to a WordPress blog as a new post, or "
                                   "update the post it was published as (or imported from). "
                                   "Shows exactly what is sent with --dry-run; never replaces "
                                   "changes made on the blog without --overwrite.")
    p.add_argument("review", metavar="REVIEW", help="review id or film title")
    p.add_argument("--blog", metavar="NAME", help="the blog (default: the only one)")
    p.add_argument("--status", choices=("draft", "publish"),
                   help="draft or publish (default: the blog's setting)")
    p.add_argument("--schedule", metavar="WHEN",
                   help="publish later, at this local time (e.g. '2026-12-24 09:00')")
    p.add_argument("--dry-run", action="store_true",
                   help="show what would be sent (asks the blog, changes nothing)")
    p.add_argument("--overwrite", action="store_true",
                   help="replace the post even if it was changed on the blog (the difference "
                        "is shown)")
    p.add_argument("--new", action="store_true",
                   help="publish as a new post even if the review has one")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_publish)

    c = sub.add_parser("comments", parents=[common], help="readers' comments from blogs",
                       description="Fetch the approved comments of published reviews (new ones "
                                   "are marked unread), or reply to one.")
    csub = c.add_subparsers(dest="action", metavar="ACTION", required=True)
    s = csub.add_parser("sync", parents=[common], help="fetch new comments")
    s.add_argument("--blog", metavar="NAME", help="only this blog (default: every blog)")
    s.add_argument("--json", action="store_true", help="machine-readable output")
    s.set_defaults(handler=cmd_comments_sync)
    r = csub.add_parser("reply", parents=[common], help="reply to a comment, on its blog")
    r.add_argument("comment", type=int, metavar="COMMENT", help="the comment's id")
    r.add_argument("text", metavar="TEXT", help="the reply")
    r.set_defaults(handler=cmd_comments_reply)

    b = sub.add_parser("blogs", parents=[common], help="the blogs you publish to",
                       description="List, add or remove blogs. Application passwords (and "
                                   "WordPress.com tokens) are kept in the system keyring.")
    bsub = b.add_subparsers(dest="action", metavar="ACTION", required=True)
    ls = bsub.add_parser("list", parents=[common], help="list the blogs")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(handler=cmd_blogs_list)
    add = bsub.add_parser("add", parents=[common], help="add a blog (its credentials are checked)")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--url", required=True, help="the blog's address")
    add.add_argument("--user", default="", help="WordPress user name")
    add.add_argument("--kind", choices=("wordpress", "wordpress.com"), default="wordpress",
                     help="self-hosted WordPress (application password) or WordPress.com "
                          "(OAuth token)")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the application password (or token) from standard input")
    add.add_argument("--plain-text-password", action="store_true",
                     help="without a system keyring, keep the password in a file readable "
                          "only by you (plain text)")
    add.add_argument("--no-check", action="store_true",
                     help="do not ask the blog whether the password works")
    add.add_argument("--replace", action="store_true", help="change a blog of that name")
    add.add_argument("--category", action="append", default=[], metavar="NAME",
                     help="a category every post gets (repeat for more)")
    add.add_argument("--status", choices=("draft", "publish"), default="draft",
                     help="default status of new posts")
    add.add_argument("--spoilers", choices=("markers", "details"), default="markers",
                     help="spoiler sections as marker paragraphs or a <details> block")
    add.add_argument("--spoiler-marker", default="MAJOR spoiler alert", metavar="TEXT")
    add.add_argument("--score-line", default="{film} {score}", metavar="PATTERN",
                     help="the score line: {film}, {year}, {score}; '' for none")
    add.add_argument("--date-format", choices=("us", "uk", "iso"), default="us",
                     help="Date of viewing: January 24, 2014 (us), 24 January 2014 (uk)")
    add.add_argument("--no-featured-image", action="store_true",
                     help="do not send the film's poster as the featured image")
    add.set_defaults(handler=cmd_blogs_add)
    rm = bsub.add_parser("remove", parents=[common], help="forget a blog and its password")
    rm.add_argument("name", metavar="NAME")
    rm.set_defaults(handler=cmd_blogs_remove)


# ---------------------------------------------------------------------- publish
def _blog(journal: Any, name: str | None) -> Any:
    from journal.core.publish import BlogService

    service = BlogService(journal)
    if name:
        return service.get(name)
    blogs = service.list()
    if len(blogs) == 1:
        return blogs[0]
    if not blogs:
        raise ValidationError("No blog yet: add one with `eyelights blogs add NAME --url URL "
                              "--user USER`.")
    raise ValidationError("Say which blog with --blog: "
                          + ", ".join(f"“{b.name}”" for b in blogs) + ".")


def _ask(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")
    except EOFError:
        return False


def cmd_publish(args: argparse.Namespace) -> int:
    from journal.cli.exporting import find_review
    from journal.core.publish import PublishConflict, Publisher, compose

    with open_journal(args, read_only=True if args.dry_run else None) as journal:
        review_id = find_review(journal, args.review)
        blog = _blog(journal, args.blog)
        status = "future" if args.schedule else args.status
        draft = compose(journal, review_id, blog, status=status, schedule=args.schedule,
                        as_new=args.new)
        publisher = Publisher(journal, blog)
        plan = publisher.plan(draft)
        if args.dry_run:
            if args.json:
                print_json({"dry_run": True, **plan.to_dict()})
            else:
                print(plan.preview())
                if plan.update_diff and not plan.blog_changes:
                    print("\nWhat changes on the blog:\n" + plan.update_diff)
            return 0
        overwrite = args.overwrite
        if plan.confirm and not overwrite and not args.json:
            print((plan.blog_changes or plan.update_diff) + "\n")
            overwrite = _ask(f"{plan.confirm[0].upper()}{plan.confirm[1:]}. Publish anyway?")
        try:
            result = publisher.publish(plan, overwrite=overwrite)
        except PublishConflict as exc:
            if args.json:
                print_json({"published": False, "conflict": exc.message, "diff": exc.diff})
            raise
        if args.json:
            print_json({"published": True, **result.to_dict(), "plan": plan.to_dict()})
        else:
            what = "Created" if result.created else "Updated"
            print(f"{what} post #{result.post_id} on {blog.name} ({result.status}): "
                  f"{result.url}")
            for note in draft.notes:
                print(f"Note: {note}")
    return 0


# ---------------------------------------------------------------------- comments
def cmd_comments_sync(args: argparse.Namespace) -> int:
    from journal.core.publish import BlogService, sync

    with open_journal(args) as journal:
        blogs = [_blog(journal, args.blog)] if args.blog else BlogService(journal).list()
        if not blogs:
            raise ValidationError("No blog yet: add one with `eyelights blogs add`.")
        results = [sync(journal, blog) for blog in blogs]
    if args.json:
        print_json([r.to_dict() for r in results])
        return 0
    for r in results:
        reviews = len(r.by_review)
        print(f"{r.blog}: {r.new} new comment{'s' if r.new != 1 else ''}"
              f"{f' on {reviews} review' + ('s' if reviews != 1 else '') if r.new else ''}"
              f" ({r.posts} post{'s' if r.posts != 1 else ''} checked, {r.known} already here)")
        for problem in r.problems:
            print(f"  {problem}")
    return 0


def cmd_comments_reply(args: argparse.Namespace) -> int:
    from journal.core.publish import reply

    with open_journal(args) as journal:
        new_id = reply(journal, args.comment, args.text)
    print(f"Replied (comment #{new_id}).")
    return 0


# ---------------------------------------------------------------------- blogs
def cmd_blogs_list(args: argparse.Namespace) -> int:
    from journal.core.publish import BlogService

    with open_journal(args, read_only=True) as journal:
        service = BlogService(journal)
        rows = []
        for blog in service.list():
            posts = service.post_count(blog)
            settings = service.settings(blog)
            rows.append({"name": blog.name, "kind": blog.kind, "url": blog.site_url,
                         "user": blog.username, "secret": blog.secret_store, "posts": posts,
                         "default_status": blog.default_status,
                         "categories": settings.categories,
                         "conventions": settings.style.to_dict(),
                         "featured_image": bool(blog.featured_image)})
    if args.json:
        print_json(rows)
    elif not rows:
        print("No blog yet: add one with `eyelights blogs add NAME --url URL --user USER`.")
    else:
        print_table([["NAME", "ADDRESS", "USER", "POSTS", "PASSWORD IN"]] + [
            [r["name"], r["url"], r["user"], str(r["posts"]),
             "keyring" if r["secret"] == "keyring" else "plain-text file"] for r in rows])
    return 0


def _secret(args: argparse.Namespace) -> str:
    what = "token" if args.kind == "wordpress.com" else "application password"
    if args.password_stdin:
        return sys.stdin.readline().strip()
    if sys.stdin.isatty():
        return getpass.getpass(f"The {what} of {args.user or args.name}: ")
    raise ValidationError(f"Give the {what} on standard input with --password-stdin.")


def cmd_blogs_add(args: argparse.Namespace) -> int:
    from journal.core.publish import BlogService, BlogSettings
    from journal.core.render.blog import BlogStyle

    style = BlogStyle(score_line=args.score_line, spoilers=args.spoilers,
                      spoiler_marker=args.spoiler_marker, date_format=args.date_format)
    settings = BlogSettings(args.name, args.url, args.user, args.kind, style, args.category,
                            args.status, not args.no_featured_image)
    settings.cleaned()  # bad input is refused before the password is asked for
    with open_journal(args) as journal:
        blog = BlogService(journal).add(settings, _secret(args),
                                        plain_text=args.plain_text_password,
                                        check=not args.no_check, replace=args.replace)
        where = ("the system keyring" if blog.secret_store == "keyring"
                 else "a plain-text file readable only by you")
        print(f"Added blog “{blog.name}” ({blog.site_url}); its password is in {where}.")
    return 0


def cmd_blogs_remove(args: argparse.Namespace) -> int:
    from journal.core.publish import BlogService

    with open_journal(args) as journal:
        name = BlogService(journal).get(args.name).name
        links = BlogService(journal).remove(args.name)
    print(f"Removed blog “{name}” and its password"
          + (f"; {links} review{'s' if links != 1 else ''} forgot their post there (the posts "
             "stay on the blog)." if links else "."))
    return 0
