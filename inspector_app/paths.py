"""The one module that owns paths: the data home and everything in it.

Every command takes ``--home DIR``; otherwise ``INSPECTOR_HOME``; otherwise the per-OS user data directory.
Shipped read-only files (forms, fonts, icons) are found in the source tree, or in ``<package>/_data``, where
the bundled app carries them (deploy/inspector-app.spec). Nothing is ever written next to them: the
installed app's folder is read-only, and all data lives in the data home.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_HOME = "INSPECTOR_HOME"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """A shipped folder: ``<repo>/NAME`` in a source checkout, else ``<package>/_data/NAME`` (the bundled app)."""
    candidate = PROJECT_ROOT / name
    return candidate if candidate.is_dir() else Path(__file__).resolve().parent / "_data" / name


FORMS_DIR = _shipped("forms")
RESOURCES_DIR = _shipped("resources")
FONTS_DIR = RESOURCES_DIR / "fonts"
ICONS_DIR = RESOURCES_DIR / "icons"
APP_ICON = ICONS_DIR / "inspector-app.svg"
LAWS_DIR = RESOURCES_DIR / "laws"  # the public law texts that checklist citations are checked against


@dataclass(frozen=True)
class DataHome:
    """One folder holding the database, attachments, generated PDFs and the sync outbox."""

    root: Path

    @property
    def db_path(self) -> Path:
        return self.root / "inspector.sqlite3"

    @property
    def attachments_dir(self) -> Path:
        return self.root / "attachments"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def outbox_dir(self) -> Path:
        return self.root / "outbox"

    @property
    def device_file(self) -> Path:
        return self.root / "device.json"

    @property
    def device_key_file(self) -> Path:
        """The device's Ed25519 private key (PEM); read and written only by ``services.support.device_key``."""
        return self.root / "device-key.pem"

    def ensure(self) -> DataHome:
        for folder in (self.root, self.attachments_dir, self.reports_dir, self.outbox_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> DataHome:
    """``--home`` wins, then ``INSPECTOR_HOME``, then the platform's user data directory."""
    if explicit:
        return DataHome(Path(explicit).expanduser().resolve())
    env = os.environ.get(ENV_HOME)
    if env:
        return DataHome(Path(env).expanduser().resolve())
    return DataHome(Path(platformdirs.user_data_dir("inspector_app", appauthor=False)))
