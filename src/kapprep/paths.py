"""Where kapprep's files are: shipped checklists, the user's config folder and the data folder.

Functions, not constants: nothing is looked up or created at import time.
"""

from __future__ import annotations

import os
from pathlib import Path

from kapprep.errors import KapprepError

APP_NAME = "kapprep"


def shipped_checklists_dir() -> Path:
    """The checklists that ship with kapprep: `kapprep/shipped_checklists/` in a wheel (package
    data), `checklists/` at the top of a clone (and in an editable install)."""
    here = Path(__file__).resolve()
    # Package data sits beside the modules; kapprep is never imported from a zip file, so
    # `importlib.resources` (1.3 ms to import, before the app's first frame) is not needed.
    packaged = here.parent / "shipped_checklists"
    if packaged.is_dir():
        return packaged
    return here.parents[2] / "checklists"


def is_shipped(path: str) -> bool:
    """Whether a checklist file is one kapprep ships (not a clinic's or the patient's own)."""
    return bool(path) and Path(path).resolve().parent == shipped_checklists_dir()


def checklist_schema_path() -> Path:
    """The JSON Schema for checklist files, beside the shipped checklists."""
    return shipped_checklists_dir() / "checklist.schema.json"


def config_dir() -> Path:
    """The user's config folder (platformdirs); `KAPPREP_CONFIG` overrides it."""
    override = os.environ.get("KAPPREP_CONFIG")
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_checklists_dir() -> Path:
    """Checklists the user (or their clinic) added: they add to or replace shipped ones by id."""
    return config_dir() / "checklists"


class FolderError(KapprepError):
    """A folder kapprep was told to use that cannot be one (an empty name)."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The private data folder: `--data-dir`, else `KAPPREP_HOME`, else platformdirs' data dir.

    Always absolute: a relative `--data-dir d` is read against the current folder, once. An
    empty one is a mistake (`FolderError`), not a silent "the default"."""
    if override is not None and not str(override).strip():
        raise FolderError("--data-dir is empty; give a folder, like --data-dir ~/kapprep-data")
    if override:
        return Path(override).expanduser().absolute()
    env = os.environ.get("KAPPREP_HOME")
    if env is not None and not env.strip():
        raise FolderError("KAPPREP_HOME is set but empty; give it a folder, or unset it")
    if env:
        return Path(env).expanduser().absolute()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def checklist_layers(extra: list[str] | None = None) -> list[Path]:
    """Folders in load order: shipped, then the config folder, then each `--checklists DIR`."""
    return [
        shipped_checklists_dir(),
        config_checklists_dir(),
        *(Path(p).expanduser() for p in extra or []),
    ]
