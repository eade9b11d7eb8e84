"""What can go wrong when publishing, each with a message for the user."""

from __future__ import annotations

from dataclasses import dataclass

from journal.errors import EyelightsError


@dataclass(frozen=True)
class Way:
    """Something the user can do about an error, as each place offers it: the command line's
    option and the window's control (its label, with its mnemonic). A message names it with
    ``{way}``; :meth:`said` gives the message in the CLI's words and in the window's."""

    option: str
    control: str
    verb: str  # what one does to the control: "tick", "press"

    def in_window(self) -> str:
        return f"{self.verb} “{self.control.replace('&', '')}”"

    def said(self, template: str) -> tuple[str, str]:
        """(for the CLI, for the window)."""
        return template.replace("{way}", self.option), template.replace("{way}", self.in_window())


PLAIN_TEXT = Way("--plain-text-password",
                 "Keep the password in a plain-te&xt file readable only by me", "tick")
AS_NEW = Way("--new", "Publish as a &new post", "tick")
OVERWRITE = Way("--overwrite", "O&verwrite the blog's version", "press")


class Said:
    """An error whose message may name a way to act: ``message`` says it as the CLI does,
    ``window_message`` as the window does (empty: the same words)."""

    message: str
    window_message: str = ""

    def in_window(self) -> str:
        return self.window_message or self.message

    def add(self, text: str) -> None:
        """Say more, in both."""
        if self.window_message:
            self.window_message = f"{self.window_message} {text}"
        self.message = f"{self.message} {text}"
        self.args = (self.message,)


def in_window(exc: BaseException) -> str:
    """What the window says for ``exc``: its own controls where the CLI's message names an
    option."""
    if isinstance(exc, Said):
        return exc.in_window()
    return exc.message if isinstance(exc, EyelightsError) else str(exc)


class PublishError(Said, EyelightsError):
    """The blog refused or failed a request (the message says what the blog answered).

    ``code`` and ``data`` are WordPress's own error code and data, when it sent them;
    ``status`` the HTTP status of the answer (0: no answer)."""

    def __init__(self, message: str, code: str = "", data: object = None, *,
                 status: int = 0, window_message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.data = data
        self.status = status
        self.window_message = window_message

    @classmethod
    def naming(cls, template: str, way: Way, code: str = "") -> PublishError:
        cli, window = way.said(template)
        return cls(cli, code, window_message=window)

    @property
    def refused(self) -> bool:
        """The blog answered, cleanly refusing: it did not do what was asked."""
        return 400 <= self.status < 500


class BlogAuthError(PublishError):
    """The blog refused the user name, application password or token."""


class BlogUnreachable(PublishError):
    """The blog could not be reached (wrong address, no network, server down)."""


class PostGone(PublishError):
    """The post this review was published as is no longer on the blog."""


class SecretUnavailable(Said, EyelightsError):
    """No usable system keyring (or the secret is missing from it)."""

    def __init__(self, message: str, *, window_message: str = "") -> None:
        super().__init__(message)
        self.window_message = window_message

    @classmethod
    def naming(cls, template: str, way: Way) -> SecretUnavailable:
        cli, window = way.said(template)
        return cls(cli, window_message=window)


class PublishCancelled(PublishError):
    """The user stopped the publish (what it had done on the blog is taken back)."""


class PublishConflict(PublishError):
    """The post was changed on the blog since it was last published from here.

    ``diff`` is a unified difference from the text last published to the blog's text now.
    """

    def __init__(self, message: str, diff: str, remote_title: str = "",
                 remote_content: str = "", *, window_message: str = "") -> None:
        super().__init__(message, "conflict", window_message=window_message)
        self.diff = diff
        self.remote_title = remote_title
        self.remote_content = remote_content
