"""What goes into the bundled app, worked out from the installed ``inspector-app`` distribution.

The PyInstaller spec asks this module, so a dependency added to ``pyproject.toml`` reaches the bundle without
anyone editing a list: the runtime closure is read from the installed package's metadata (``Requires-Dist``,
following requested extras such as ``reportlab[accel]``, skipping our own ``test``/``package`` extras), and each
distribution in it contributes its top-level import packages, its data files, its shared libraries and its
metadata (``importlib.metadata`` keeps working in the frozen app, for our own version too).

Runs inside the build venv (stdlib + ``packaging``, which PyInstaller requires); no PyInstaller import here,
so the plan can be unit-tested without a build.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
from collections.abc import Iterable
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

APP_DISTRIBUTION = "inspector-app"

#: Packages whose PyInstaller hooks collect exactly the Qt modules, plugins and translations in use; collecting
#: all their data would add the typing stubs, every translation and the designer/QML tooling (~100 MB).
HOOK_MANAGED = frozenset({"PySide6", "shiboken6"})

#: Installers are never needed by the running app (sqlite-utils requires pip only for its own ``install``
#: command). Bundling pip drags in setuptools through distutils, and PyInstaller's runtime hooks for
#: setuptools/pkg_resources then cost ~0.3 s at every start. Left out of the closure and excluded from analysis.
NOT_BUNDLED = frozenset({"pip", "setuptools", "wheel"})
EXCLUDED_MODULES = ("pip", "setuptools", "pkg_resources", "distutils", "_distutils_hack", "wheel")


#: Our own subpackages that are not part of the laptop app (their dependencies are an extra, not installed).
SERVER_PACKAGES = ("inspector_app.hq",)


def laptop_module(name: str) -> bool:
    """Whether a module of ours belongs in the laptop bundle (``collect_submodules`` filter)."""
    return not any(name == pkg or name.startswith(f"{pkg}.") for pkg in SERVER_PACKAGES)


@dataclass(frozen=True)
class RuntimeDistribution:
    """One installed distribution the app needs at run time."""

    name: str
    version: str
    top_level: tuple[str, ...] = field(default=())


def _wanted(requirement: Requirement, extras: Iterable[str]) -> bool:
    """Whether ``requirement`` applies on this machine when the listed extras were requested."""
    if requirement.marker is None:
        return True
    return any(requirement.marker.evaluate({"extra": extra}) for extra in ("", *extras))


def runtime_closure(root: str = APP_DISTRIBUTION) -> list[RuntimeDistribution]:
    """Every distribution ``root`` needs at run time (itself excluded), sorted by name.

    Raises ``PackageNotFoundError`` naming a requirement that is not installed: a bundle missing a dependency
    would only fail on the user's laptop.
    """
    tops = _top_levels()
    found: dict[str, RuntimeDistribution] = {}
    pending: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        name, extras = pending.pop()
        key = (canonicalize_name(name), extras)
        if key in seen:
            continue
        seen.add(key)
        if canonicalize_name(name) in NOT_BUNDLED:
            continue
        dist = metadata.distribution(name)
        canonical = canonicalize_name(dist.metadata["Name"])
        if canonical != canonicalize_name(root):
            found[canonical] = RuntimeDistribution(
                dist.metadata["Name"], dist.version, tops.get(canonical, ())
            )
        for line in dist.requires or []:
            requirement = Requirement(line)
            if _wanted(requirement, extras):
                pending.append((requirement.name, frozenset(requirement.extras)))
    return sorted(found.values(), key=lambda d: canonicalize_name(d.name))


def _top_levels() -> dict[str, tuple[str, ...]]:
    """Import names per canonical distribution name (from ``top_level.txt`` or the installed file list)."""
    result: dict[str, set[str]] = {}
    for module, dists in metadata.packages_distributions().items():
        if not module.isidentifier() or importlib.util.find_spec(module) is None:
            continue  # a data folder, or a stub-only name such as PySide6's "Shiboken"
        for dist in dists:
            result.setdefault(canonicalize_name(dist), set()).add(module)
    return {name: tuple(sorted(modules)) for name, modules in result.items()}


def hidden_imports(closure: Iterable[RuntimeDistribution]) -> list[str]:
    """Top-level import names of the closure: PyInstaller follows their imports and applies their hooks."""
    return sorted({module for dist in closure for module in dist.top_level})


def data_packages(closure: Iterable[RuntimeDistribution]) -> list[str]:
    """Import packages whose data files and shared libraries are collected as they are installed."""
    return [name for name in hidden_imports(closure) if name not in HOOK_MANAGED]


def describe(closure: Iterable[RuntimeDistribution]) -> str:
    """One line per distribution, for the build log and the package's documentation."""
    return "\n".join(f"{d.name} {d.version} ({', '.join(d.top_level) or '-'})" for d in closure)
