"""The lock's key file: a random data key, wrapped by the passphrase and by the recovery code.

The database of a locked store is encrypted by SQLCipher under a random 256-bit data key
(`secrets`). That key is never stored as it is: `kapprep.db.key` (0600, JSON) holds it wrapped
twice, once by a key made from the passphrase and once by a key made from the recovery code. A
passphrase change rewraps the key; the database is not rewritten.

Key derivation: scrypt (`hashlib.scrypt`, the standard library; memory-hard), calibrated on this
computer to about half a second (`TARGET_MS`, `KAPPREP_KDF_MS` for tests), never below the floor
n = 2**15, r = 8, p = 1 (32 MiB). The parameters are stored with each wrapped key; a key file
asking for less than the floor is refused, and so is one asking for more than a computer can give
(n above 2**20, or n*r*p above 2**20 * 8 * 1, so 1 GiB at most: a planted file must not make
kapprep allocate gigabytes).

Wrapping, with the standard library only (no AEAD library is needed for one 32-byte key): scrypt
gives 64 bytes for a fresh random 16-byte salt; the first 32 are XORed with the data key (a pad
used once: every wrap draws a new salt), the last 32 key an HMAC-SHA256 over the parameters, the
salt and the wrapped key (encrypt-then-MAC). A wrong passphrase fails the HMAC (checked in
constant time) before anything touches the database, so nothing is moved aside or changed, and a
changed parameter fails it too.

Recovery code: 120 random bits as 24 characters of Crockford's base32 in groups of four, shown
once when the lock is turned on (and after a recovery, which spends the old one).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from kapprep.store.base import KEY_FILE, StoreError
from kapprep.store.base import Locked as Locked  # raised by the lock; kept here for its users

FORMAT: Final = 1
KEY_BYTES: Final = 32
SALT_BYTES: Final = 16
FLOOR_N: Final = 2**15
FLOOR_R: Final = 8
FLOOR_P: Final = 1
MAX_N: Final = 2**20
MAX_R: Final = 16
MAX_P: Final = 4
TARGET_MS: Final = 500
MIN_PASSPHRASE: Final = 8
_ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
_CODE_CHARS: Final = 24


class WrongSecret(StoreError):
    """The passphrase (or recovery code) does not open this lock; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Params:
    """scrypt's cost: n (CPU and memory), r (block size), p (parallelism)."""

    n: int
    r: int = FLOOR_R
    p: int = FLOOR_P

    def check(self, where: Path) -> None:
        """Refuse parameters below the floor, or beyond what kapprep will spend."""
        if self.n < FLOOR_N or self.r < FLOOR_R or self.p < FLOOR_P:
            raise StoreError(
                f"the lock file {where} asks for a weaker key derivation (scrypt n={self.n}, "
                f"r={self.r}, p={self.p}) than kapprep accepts (at least n={FLOOR_N}, "
                f"r={FLOOR_R}, p={FLOOR_P}); it was refused and nothing was changed"
            )
        # r and p multiply the cost too (memory 128*n*r bytes, time n*r*p): the ceiling is on
        # the product, so n = 2**20 with r = 16 (2 GiB) is refused, not only n above 2**20
        too_much = self.n * self.r * self.p > MAX_N * FLOOR_R * FLOOR_P
        if too_much or self.n > MAX_N or self.r > MAX_R or self.p > MAX_P or self.n & (self.n - 1):
            raise StoreError(
                f"the lock file {where} asks for a key derivation kapprep will not run "
                f"(scrypt n={self.n}, r={self.r}, p={self.p}); it was refused"
            )


def _derive(secret: bytes, salt: bytes, params: Params) -> bytes:
    maxmem = 128 * params.n * params.r * params.p + 2**20
    return hashlib.scrypt(
        secret, salt=salt, n=params.n, r=params.r, p=params.p, maxmem=maxmem, dklen=64
    )


def calibrate(target_ms: int | None = None) -> Params:
    """The largest power-of-two n (from the floor up to 2**20) whose derivation takes about
    `target_ms` here; measured once at the floor and doubled (scrypt's time grows with n)."""
    if target_ms is None:
        try:
            target_ms = int(os.environ.get("KAPPREP_KDF_MS", TARGET_MS))
        except ValueError:
            target_ms = TARGET_MS
    start = time.perf_counter()
    _derive(b"calibrating", bytes(SALT_BYTES), Params(FLOOR_N))
    spent = max(time.perf_counter() - start, 1e-6) * 1000
    n = FLOOR_N
    while n < MAX_N and spent * 2 <= target_ms * 1.3:
        n *= 2
        spent *= 2
    return Params(n)


def normal_passphrase(text: str) -> bytes:
    """A passphrase as bytes: Unicode NFC (the same letters typed on another keyboard give the
    same bytes), a line's end taken off."""
    return unicodedata.normalize("NFC", text.rstrip("\r\n")).encode("utf-8")


def check_new_passphrase(text: str) -> None:
    if len(text.strip()) < MIN_PASSPHRASE:
        raise StoreError(
            f"choose a passphrase of at least {MIN_PASSPHRASE} characters (a few words you will "
            "remember are best)"
        )


def new_recovery_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_CHARS))
    return "-".join(chars[i : i + 4] for i in range(0, _CODE_CHARS, 4))


def normal_code(text: str) -> bytes:
    """A recovery code as typed: any case, spaces and dashes ignored, O read as 0, I and L as 1."""
    kept = "".join(c for c in text.upper() if c not in " -\t\r\n")
    return kept.translate(str.maketrans("OIL", "011")).encode("ascii", "replace")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _mac_input(params: Params, salt: bytes, wrapped: bytes) -> bytes:
    return f"kapprep-lock-{FORMAT}:scrypt:{params.n}:{params.r}:{params.p}:".encode() + (
        salt + wrapped
    )


def wrap(data_key: bytes, secret: bytes, params: Params) -> dict[str, Any]:
    """The data key wrapped by `secret` (a fresh salt every time)."""
    salt = secrets.token_bytes(SALT_BYTES)
    derived = _derive(secret, salt, params)
    wrapped = bytes(a ^ b for a, b in zip(data_key, derived[:KEY_BYTES], strict=True))
    tag = hmac.new(derived[KEY_BYTES:], _mac_input(params, salt, wrapped), "sha256").digest()
    return {
        "kdf": "scrypt",
        "n": params.n,
        "r": params.r,
        "p": params.p,
        "salt": _b64(salt),
        "key": _b64(wrapped),
        "tag": _b64(tag),
    }


def unwrap(entry: Any, secret: bytes, where: Path, what: str) -> bytes:
    """The data key, or `WrongSecret`; parameters below the floor are refused first."""
    try:
        if not isinstance(entry, dict) or entry.get("kdf") != "scrypt":
            raise ValueError("no scrypt entry")
        params = Params(int(entry["n"]), int(entry["r"]), int(entry["p"]))
        salt, wrapped, tag = (_unb64(entry[k]) for k in ("salt", "key", "tag"))
        if len(salt) != SALT_BYTES or len(wrapped) != KEY_BYTES or len(tag) != 32:
            raise ValueError("wrong sizes")
    except (KeyError, ValueError, TypeError):
        raise StoreError(f"the lock file {where} is damaged; your data cannot be opened") from None
    params.check(where)
    derived = _derive(secret, salt, params)
    expected = hmac.new(derived[KEY_BYTES:], _mac_input(params, salt, wrapped), "sha256").digest()
    if not hmac.compare_digest(expected, tag):
        raise WrongSecret(f"that {what} does not open your data; nothing was changed")
    return bytes(a ^ b for a, b in zip(wrapped, derived[:KEY_BYTES], strict=True))


# -- the file ---------------------------------------------------------------------------------


def key_path(folder: Path) -> Path:
    return folder / KEY_FILE


def read_key_file(folder: Path) -> dict[str, Any]:
    path = key_path(folder)
    from kapprep.files import read_regular

    try:
        data = read_regular(path, 64 * 1024)
        doc = json.loads(data.decode("utf-8"))
    except FileNotFoundError:
        raise StoreError(f"your data in {folder} is not locked") from None
    except (OSError, ValueError):
        raise StoreError(
            f"the lock file {path} could not be read; your data cannot be opened"
        ) from None
    if not isinstance(doc, dict) or doc.get("kapprep_lock") != FORMAT:
        raise StoreError(f"the lock file {path} is not one this kapprep knows")
    return doc


def write_key_file(
    folder: Path, passphrase_wrap: dict[str, Any], recovery_wrap: dict[str, Any]
) -> None:
    """Write the key file atomically (a temporary file, fsynced, renamed over the old one)."""
    doc = {
        "kapprep_lock": FORMAT,
        "cipher": "sqlcipher4",
        "passphrase": passphrase_wrap,
        "recovery": recovery_wrap,
    }
    path = key_path(folder)
    tmp = folder / (KEY_FILE + ".new")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(doc, indent=1) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
        sync_folder(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StoreError(
            f"kapprep could not write its lock file in {folder} ({exc.strerror or 'error'}); "
            "nothing was changed"
        ) from None


def sync_folder(folder: Path) -> None:
    """fsync a folder, so a rename in it survives a power cut (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def open_with_passphrase(folder: Path, passphrase: str) -> bytes:
    doc = read_key_file(folder)
    return unwrap(
        doc.get("passphrase"), normal_passphrase(passphrase), key_path(folder), "passphrase"
    )


def open_with_code(folder: Path, code: str) -> bytes:
    doc = read_key_file(folder)
    return unwrap(doc.get("recovery"), normal_code(code), key_path(folder), "recovery code")
