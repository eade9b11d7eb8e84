"""Where a blog's application password or token lives: the system keyring, never the journal.

Without a usable keyring (no Secret Service, KWallet, macOS Keychain or Windows Credential
Locker — e.g. a bare server session), adding a blog stops with a message that says so, and
stores nothing unless the user agrees to a plain-text file: ``blog-secrets.json`` in
Eyelights' configuration folder, readable by the user only (mode 600), never in the journal
(which is backed up, exported and shared).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from journal.core.publish.errors import SecretUnavailable

SERVICE = "Eyelights"
FILE_NAME = "blog-secrets.json"


def secret_id(kind: str, site_url: str, username: str) -> str:
    """The keyring's "user name" for one blog account."""
    return f"{kind}:{site_url}:{username}"


def config_dir() -> Path:
    """Eyelights' configuration folder (``~/.config/Eyelights`` under XDG)."""
    import platformdirs

    from journal import APP_NAME

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def keyring_status() -> tuple[bool, str]:
    """(usable, what it is): whether a real keyring backend is there, and its name."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:  # pragma: no cover - keyring is a dependency
        return False, "the keyring module is not installed"
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # noqa: BLE001 (a broken backend configuration)
        return False, f"the system keyring cannot be used ({_why(exc)})"
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if isinstance(backend, fail.Keyring):
        return False, "no system keyring is available (no Secret Service, KWallet or Keychain)"
    chained = getattr(backend, "backends", None)
    if chained is not None and not chained:
        return False, "no system keyring is available (no Secret Service, KWallet or Keychain)"
    return True, name


NO_KEYRING_HELP = ("Start or unlock your desktop's keyring (GNOME Keyring, KWallet), or agree "
                   "to keep the password in a plain-text file readable only by you "
                   "(--plain-text-password, or the box in the window).")


def store(kind: str, site_url: str, username: str, secret: str, where: str) -> None:
    """Keep ``secret`` in the keyring (``where`` "keyring") or the private file ("file")."""
    key = secret_id(kind, site_url, username)
    if where == "file":
        _write_file({**_read_file(), key: secret})
        return
    usable, why = keyring_status()
    if not usable:
        raise SecretUnavailable(f"The password was not stored: {why}. {NO_KEYRING_HELP}")
    import keyring

    try:
        keyring.set_password(SERVICE, key, secret)
    except Exception as exc:  # noqa: BLE001 (locked, prompt dismissed, D-Bus errors…)
        raise SecretUnavailable(f"The system keyring refused to store the password "
                                f"({_why(exc, secret)}). {NO_KEYRING_HELP}") from None


def load(kind: str, site_url: str, username: str, where: str, blog_name: str) -> str:
    key = secret_id(kind, site_url, username)
    if where == "file":
        secret = _read_file().get(key)
    else:
        usable, why = keyring_status()
        if not usable:
            raise SecretUnavailable(f"The password of blog “{blog_name}” is in the system "
                                    f"keyring, which cannot be reached: {why}.")
        import keyring

        try:
            secret = keyring.get_password(SERVICE, key)
        except Exception as exc:  # noqa: BLE001 (locked, prompt dismissed, D-Bus errors…)
            raise SecretUnavailable(f"The system keyring could not be read ({_why(exc)}); "
                                    "unlock it and try again.") from None
    if not secret:
        raise SecretUnavailable(f"No password for blog “{blog_name}” was found; add the blog "
                                "again with its application password.")
    return secret


def forget(kind: str, site_url: str, username: str, where: str) -> None:
    """Remove the secret (quietly: it may already be gone)."""
    key = secret_id(kind, site_url, username)
    if where == "file":
        data = _read_file()
        if data.pop(key, None) is not None:
            _write_file(data)
        return
    if not keyring_status()[0]:
        return
    import keyring

    try:
        keyring.delete_password(SERVICE, key)
    except Exception:  # noqa: BLE001 (already gone, or a keyring that cannot be reached)
        pass


def _why(exc: BaseException, secret: str = "") -> str:
    """What a keyring error says (never the secret itself)."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text.replace(secret, "•••") if secret else text


def secrets_file() -> Path:
    return config_dir() / FILE_NAME


def _read_file() -> dict[str, str]:
    path = secrets_file()
    try:
        if os.stat(path).st_mode & 0o077:  # copied or restored readable by others: private again
            os.chmod(path, 0o600)
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise SecretUnavailable(f"{path} cannot be read ({exc}).") from None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _write_file(data: dict[str, str]) -> None:
    path = secrets_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(path.name + ".tmp")
    temp.unlink(missing_ok=True)  # a stale one keeps its mode: the secret never goes in it
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.chmod(temp, 0o600)
    os.replace(temp, path)
