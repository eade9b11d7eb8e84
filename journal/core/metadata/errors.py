"""What can go wrong when asking a film-metadata service, in words for the user.

Every message names the service and says why, in one line: the CLI prints it on stderr, the window
shows it under the lookup. Nothing in the journal changes when one of these is raised.
"""

from __future__ import annotations

from journal.errors import EyelightsError


class ServiceError(EyelightsError):
    """A metadata service could not answer; ``service`` is its name ("Wikidata", "TMDb")."""

    #: True when asking again later may work (rate limit, server error, network down).
    transient = True

    def __init__(self, service: str, message: str) -> None:
        super().__init__(message)
        self.service = service


class ServiceUnreachable(ServiceError):
    """No connection at all: no network, the name does not resolve, the connection is refused."""


class ServiceTimeout(ServiceError):
    """The service did not answer in time (after the retries)."""


class RateLimited(ServiceError):
    """The service asked us to slow down (HTTP 429 or Wikidata's maxlag) for longer than we wait."""

    def __init__(self, service: str, message: str, retry_after: float | None = None) -> None:
        super().__init__(service, message)
        self.retry_after = retry_after


class ServiceFailed(ServiceError):
    """The service answered with an error (HTTP 5xx after the retries, or an API error)."""


class BadResponse(ServiceError):
    """The service answered something that is not what its API documents (malformed JSON…)."""


class KeyRefused(ServiceError):
    """TMDb refused the API key (HTTP 401), or no key is set."""

    transient = False


class LookupCancelled(EyelightsError):
    """The user cancelled; never shown as an error."""

    def __init__(self) -> None:
        super().__init__("Cancelled.")
