"""Connections to a locked store: SQLCipher, keyed with the data key; stdlib `sqlite3` otherwise.

An unlocked store pays nothing: `sqlcipher3` is imported only when a folder's key is given
(`use_key`), never on an unlocked store's path (a test checks `sys.modules`). Every place in
`kapprep.store` that opens a connection goes through `connect`, which gives the SQLCipher one when
the folder has a key, so the WAL, the backups, the read-only probes and the checks all read the
locked file the same way as a plain one.

Measured here (`python -X importtime`): `sqlcipher3` costs about 7 ms to import, paid only by a
locked store. sqlcipher3-binary 0.6.0 bundles SQLCipher 4.12.0 community on SQLite 3.51.1
(`PRAGMA cipher_version`); its defaults are AES-256 in CBC mode with an HMAC-SHA512 per page,
the WAL's pages encrypted too (only its frame headers are plain). The data key is given raw
(`x'…'`), so SQLCipher's own PBKDF2 is not run: the key is random, not a passphrase.

SQLCipher's error classes are its own; `_adopt_errors` makes each of them also a subclass of the
matching `sqlite3` one, so the store's `except sqlite3.DatabaseError` handling (damage, a full
disk, a lock) holds for a locked store unchanged (a test checks this).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Final

from kapprep.store.base import _HEADER, DB_NAME, KEY_FILE

_keys: dict[str, bytes] = {}
_ERRORS: Final = (
    "DataError",
    "OperationalError",
    "IntegrityError",
    "InternalError",
    "ProgrammingError",
    "NotSupportedError",
)


def _name(folder: Path) -> str:
    return str(Path(folder).absolute())


def use_key(folder: Path, key: bytes | None) -> None:
    """Remember (or forget, with None) the data key for the store in `folder`."""
    if key is None:
        _keys.pop(_name(folder), None)
    else:
        _keys[_name(folder)] = key


def key_for(folder: Path) -> bytes | None:
    return _keys.get(_name(folder))


def is_locked(folder: Path) -> bool:
    """Whether the store in `folder` is locked: its key file is there and its database is not a
    plain SQLite file (an empty or missing one counts as locked: it is made encrypted). Read
    before anything else looks at the database, so a locked store never meets the damage check
    unkeyed. A key file beside a plain database is left over from a lock that was interrupted
    before the database was swapped (or after `--off` swapped it back): the store is not locked.
    """
    if not (folder / KEY_FILE).exists():
        return False
    try:
        with open(folder / DB_NAME, "rb") as fh:
            head = fh.read(len(_HEADER))
    except FileNotFoundError:
        return True
    except OSError:
        return False  # the folder checks say what is wrong
    return head != _HEADER


def sqlcipher() -> Any:
    """The SQLCipher module (imported here only; ~7 ms)."""
    from sqlcipher3 import dbapi2  # type: ignore[import-untyped]  # no stubs; used as Any

    _adopt_errors(dbapi2)
    return dbapi2


def _adopt_errors(module: Any) -> None:
    if issubclass(module.DatabaseError, sqlite3.DatabaseError):
        return
    module.DatabaseError.__bases__ = (module.Error, sqlite3.DatabaseError)
    for name in _ERRORS:
        ours = getattr(module, name)
        ours.__bases__ = (*ours.__bases__, getattr(sqlite3, name))


def salt_for(key: bytes) -> bytes:
    """The SQLCipher salt (the file's first 16 bytes, plain) of every database under `key`:
    derived from the key, so a database that does not fit the key file is known from its first
    bytes, before any read could take it for damage (`recognise`)."""
    import hashlib
    import hmac

    return hmac.new(key, b"kapprep: the SQLCipher salt", hashlib.sha256).digest()[:16]


def key_text(key: bytes) -> str:
    """SQLCipher's raw key with its salt (`x'<key><salt>'`): no PBKDF2 on a random key."""
    return f"x'{key.hex()}{salt_for(key).hex()}'"


def key_pragma(key: bytes) -> str:
    return f'PRAGMA key = "{key_text(key)}"'


def connect(database: Path | str, folder: Path, *, uri: bool = False, **kwargs: Any) -> Any:
    """A connection to `database` (a path, or a `file:` URI with `uri=True`): SQLCipher keyed
    with the folder's data key when it has one, stdlib `sqlite3` otherwise."""
    key = key_for(folder)
    if key is None:
        return sqlite3.connect(database, uri=uri, **kwargs)
    return keyed(database, key, uri=uri, **kwargs)


def keyed(database: Path | str, key: bytes | None, *, uri: bool = False, **kwargs: Any) -> Any:
    """A SQLCipher connection keyed with `key` (None: a plain file, read through SQLCipher)."""
    module = sqlcipher()
    conn = module.connect(str(database), uri=uri, **kwargs)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # our one line, nothing of the library's
        if key is not None:
            conn.execute(key_pragma(key))
        conn.execute("PRAGMA temp_store = MEMORY")  # no plain temporary file
    except BaseException:
        conn.close()
        raise
    return conn


def row_factory(conn: Any) -> Any:
    """The Row class that fits the connection (SQLCipher's cursor is not `sqlite3`'s)."""
    if isinstance(conn, sqlite3.Connection):
        return sqlite3.Row
    return sqlcipher().Row


def recognise(folder: Path, key: bytes | None) -> None:
    """Before anything reads the database: a locked store without its key is `Locked` (nothing
    is checked, moved or changed); a key given for a store that is not locked is dropped."""
    from kapprep.store.base import Locked

    if key is not None:
        use_key(folder, key)
    if not is_locked(folder):
        use_key(folder, None)
        return
    known = key_for(folder)
    if known is None:
        raise Locked(folder)
    try:
        with open(folder / DB_NAME, "rb") as fh:
            head = fh.read(16)
    except OSError:
        return  # the folder checks say what is wrong
    if len(head) == 16 and head != salt_for(known):
        from kapprep.store.base import StoreError

        use_key(folder, None)
        raise StoreError(
            f"the data in {folder} does not fit its lock file {folder / 'kapprep.db.key'} (the "
            "lock file of other data, or the start of the file is damaged); nothing was changed. "
            "Put back the lock file that came "
            "with this data"
        )
