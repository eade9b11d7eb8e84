"""The user's TMDb key: in the system keyring, never in plain text without consent.

``keyring`` stores it with the desktop's secret store (GNOME Keyring / KWallet through Secret
Service, macOS Keychain, Windows Credential Locker), under the service "Eyelights" and the name
"tmdb-api-key". Where no keyring is available (a bare window manager, a server), the key is
kept in a file readable only by the user — but only when the user ticked "keep it in a plain
file" (``allow_plain_file``); otherwise saving is refused with a message that says why.

``EYELIGHTS_TMDB_KEY`` in the environment overrides both (for scripts and the command line);
it is never written anywhere.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from journal.errors import EyelightsError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "Eyelights"
KEYRING_NAME = "tmdb-api-key"
ENV_KEY = "EYELIGHTS_TMDB_KEY"


class KeyStorageError(EyelightsError):
    """The key could not be stored (no keyring and no consent, or the keyring failed)."""


def default_plain_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("eyelights")) / "tmdb-key"


class KeyStore:
    def __init__(self, plain_file: Path | None = None) -> None:
        self.plain_file = plain_file if plain_file is not None else default_plain_file()

    # ------------------------------------------------------------------ the keyring
    @staticmethod
    def _keyring():  # imported late: keyring looks for its back-ends when imported
        import keyring

        return keyring

    def keyring_available(self) -> bool:
        """True when a real secret store answers (not keyring's "fail" back-end)."""
        try:
            backend = self._keyring().get_keyring()
        except Exception as exc:  # a broken back-end configuration
            log.warning("keyring unavailable: %s", exc)
            return False
        name = f"{type(backend).__module__}.{type(backend).__name__}"
        if name.startswith("keyring.backends.fail") or name.endswith("null.Keyring"):
            return False
        try:
            return float(getattr(backend, "priority", 1)) > 0
        except Exception:
            return True

    def backend_name(self) -> str:
        try:
            backend = self._keyring().get_keyring()
        except Exception:
            return "none"
        return str(getattr(backend, "name", type(backend).__name__))

    # ------------------------------------------------------------------ reading
    def get(self) -> str | None:
        env = os.environ.get(ENV_KEY, "").strip()
        if env:
            return env
        if self.keyring_available():
            try:
                value = self._keyring().get_password(KEYRING_SERVICE, KEYRING_NAME)
            except Exception as exc:  # a locked or broken keyring: say so, do not crash
                log.warning("Could not read the TMDb key from the keyring: %s", exc)
                value = None
            if value:
                return value
        try:
            text = self.plain_file.read_text(encoding="utf-8").strip()
        except OSError:
            return None
        return text or None

    def where(self) -> str:
        """Where the key in use comes from, in words ("" when there is none)."""
        if os.environ.get(ENV_KEY, "").strip():
            return f"the {ENV_KEY} environment variable"
        if self.keyring_available():
            try:
                if self._keyring().get_password(KEYRING_SERVICE, KEYRING_NAME):
                    return f"the system keyring ({self.backend_name()})"
            except Exception:
                pass
        if self.plain_file.is_file():
            return f"a plain file readable only by you ({self.plain_file})"
        return ""

    # ------------------------------------------------------------------ writing
    def set(self, key: str, *, allow_plain_file: bool = False) -> str:
        """Store the key; returns where it went. An empty key deletes it."""
        key = key.strip()
        if not key:
            self.delete()
            return ""
        if self.keyring_available():
            try:
                self._keyring().set_password(KEYRING_SERVICE, KEYRING_NAME, key)
            except Exception as exc:
                raise KeyStorageError(f"The system keyring refused the TMDb key ({exc}); "
                                      "it was not saved.") from None
            self._remove_plain_file()
            return f"the system keyring ({self.backend_name()})"
        if not allow_plain_file:
            raise KeyStorageError(
                "No system keyring is available here, so the TMDb key was not saved. Tick "
                "“Keep it in a plain file” to keep it in a file readable only by you, or set "
                f"{ENV_KEY} in the environment.")
        self.plain_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.plain_file.with_suffix(".part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(key + "\n")
        os.replace(tmp, self.plain_file)
        return f"a plain file readable only by you ({self.plain_file})"

    def delete(self) -> None:
        if self.keyring_available():
            try:
                self._keyring().delete_password(KEYRING_SERVICE, KEYRING_NAME)
            except Exception:  # nothing stored: nothing to delete
                pass
        self._remove_plain_file()

    def _remove_plain_file(self) -> None:
        try:
            self.plain_file.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("Could not remove %s: %s", self.plain_file, exc)
