"""Encrypted exports in the age format (age-encryption.org/v1), readable by the standard `age`.

An export from a locked store can leave the computer encrypted: with a passphrase (age's scrypt
recipient, its work factor chosen by rage) or for one or more age recipients (`age1…`, X25519).
`age -d` opens them (with the passphrase, or `-i` an identity file), and `kapprep import` reads
them back. Through pyrage (age in Rust, wheels; about 6 ms to import, measured with
`python -X importtime`), imported only here and only when a file is encrypted or decrypted.
"""

from __future__ import annotations

import base64
from typing import Any, Final

from kapprep.errors import KapprepError

MAGIC: Final = b"age-encryption.org/v1\n"
ARMOR: Final = b"-----BEGIN AGE ENCRYPTED FILE-----"


class AgeError(KapprepError):
    """An encrypted file that cannot be made or opened; the message says why, in plain words."""


def _pyrage() -> Any:
    import pyrage  # type: ignore[import-untyped]  # ~6 ms; only for an encrypted file

    return pyrage


def is_age(data: bytes) -> bool:
    head = data.lstrip()[: len(ARMOR)]
    return data.startswith(MAGIC) or head.startswith(ARMOR)


def _header(data: bytes) -> bytes:
    body = data.lstrip()
    if body.startswith(ARMOR):
        lines = body.splitlines()[1:]
        text = b"".join(line for line in lines if not line.startswith(b"-----"))
        try:
            return base64.b64decode(text, validate=False)[:4096]
        except ValueError:
            return b""
    return body[:4096]


def needs_passphrase(data: bytes) -> bool:
    """Whether the file was encrypted with a passphrase (age's scrypt stanza)."""
    return b"\n-> scrypt " in _header(data)


def encrypt(
    data: bytes,
    *,
    passphrase: str | None = None,
    recipients: list[str] | None = None,
    armored: bool = False,
) -> bytes:
    """`data` encrypted with a passphrase, or for each `age1…` recipient."""
    pyrage = _pyrage()
    if recipients:
        found = []
        for text in recipients:
            try:
                found.append(pyrage.x25519.Recipient.from_str(text.strip()))
            except pyrage.RecipientError:
                raise AgeError(
                    f"{text[:20]!r} is not an age recipient (one starts with age1, as "
                    "`age-keygen -y` prints it)"
                ) from None
        out: bytes = pyrage.encrypt(data, found, armored=armored)
        return out
    if not passphrase:
        raise AgeError("an encrypted export needs a passphrase or a recipient")
    encrypted: bytes = pyrage.passphrase.encrypt(data, passphrase, armored=armored)
    return encrypted


def identities(text: str) -> list[Any]:
    """The identities in an age identity file (`AGE-SECRET-KEY-1…` lines; # starts a comment)."""
    pyrage = _pyrage()
    found = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        try:
            found.append(pyrage.x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise AgeError("the identity file holds a line that is not an age identity") from None
    if not found:
        raise AgeError("the identity file holds no age identity (AGE-SECRET-KEY-1…)")
    return found


def decrypt(data: bytes, *, passphrase: str | None = None, keys: list[Any] | None = None) -> bytes:
    pyrage = _pyrage()
    try:
        if passphrase is not None:
            out: bytes = pyrage.passphrase.decrypt(data, passphrase)
        else:
            out = pyrage.decrypt(data, keys or [])
    except pyrage.DecryptError:
        what = "passphrase" if passphrase is not None else "identity"
        raise AgeError(f"that {what} does not open this file; nothing was changed") from None
    return out
