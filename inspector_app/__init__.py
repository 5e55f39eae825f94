"""inspector_app — offline inspection checklists, records and PDF reports for market-supervision inspectors.

The version lives in ``pyproject.toml`` only; ``inspector_app.version.app_version()`` reads it (``__version__``
is kept as a lazy alias).
"""

from __future__ import annotations


def __getattr__(name: str) -> str:
    if name == "__version__":
        from inspector_app.version import app_version

        return app_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
