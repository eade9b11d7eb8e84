"""What can go wrong when publishing, each with a message for the user."""

from __future__ import annotations

from journal.errors import EyelightsError


class PublishError(EyelightsError):
    """The blog refused or failed a request (the message says what the blog answered).

    ``code`` and ``data`` are WordPress's own error code and data, when it sent them;
    ``status`` the HTTP status of the answer (0: no answer)."""

    def __init__(self, message: str, code: str = "", data: object = None, *,
                 status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.data = data
        self.status = status

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


class SecretUnavailable(EyelightsError):
    """No usable system keyring (or the secret is missing from it)."""


class PublishConflict(PublishError):
    """The post was changed on the blog since it was last published from here.

    ``diff`` is a unified difference from the text last published to the blog's text now.
    """

    def __init__(self, message: str, diff: str, remote_title: str = "",
                 remote_content: str = "") -> None:
        super().__init__(message, "conflict")
        self.diff = diff
        self.remote_title = remote_title
        self.remote_content = remote_content
