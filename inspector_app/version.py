"""The app's version: the one number in ``pyproject.toml`` (``[project] version``).

It is read from the installed distribution's metadata (an editable install, a wheel, or the bundled app, which
carries the metadata), so nothing else in the code base holds a version number. Shown by ``inspector --version``,
in the PDF's verification footer, in the .deb's name and (later) in 关于.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DISTRIBUTION = "inspector-app"
UNKNOWN = "0+unknown"


@cache
def app_version() -> str:
    """The version of the running app, e.g. ``"0.1.0"``.

    ``importlib.metadata`` costs ~30 ms to import, so it is loaded on first call, not at start-up. A source tree
    that was never installed falls back to its ``pyproject.toml``.
    """
    from importlib import metadata

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return _pyproject_version(Path(__file__).resolve().parent.parent / "pyproject.toml") or UNKNOWN


def _pyproject_version(path: Path) -> str | None:
    if not path.is_file():
        return None
    import tomllib

    with path.open("rb") as handle:
        project = tomllib.load(handle).get("project", {})
    version = project.get("version")
    return version if isinstance(version, str) and re.fullmatch(r"[0-9][0-9A-Za-z.+!-]*", version) else None
