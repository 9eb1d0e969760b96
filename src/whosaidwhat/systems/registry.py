"""Finding systems: entry points of the group `whosaidwhat.systems` (importlib.metadata).

Built-in systems are declared in this package's pyproject.toml like any third-party one, so
there is one way in: an installed distribution that declares an entry point.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from importlib import metadata

from ..core.problems import fail
from .base import SYSTEM_KINDS

GROUP = "whosaidwhat.systems"


@dataclass(frozen=True)
class SystemEntry:
    """One installed system as `wsw predict --list` shows it."""

    name: str
    target: str            # module:attribute
    distribution: str      # the installed package that declares it
    version: str | None
    kind: str | None
    description: str
    problem: str | None    # why it cannot be loaded, if it cannot

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _entry_points() -> list[metadata.EntryPoint]:
    found: dict[str, metadata.EntryPoint] = {}
    for ep in metadata.entry_points(group=GROUP):
        found.setdefault(ep.name, ep)  # the first distribution on sys.path wins, as for console scripts
    return [found[name] for name in sorted(found)]


def _distribution(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "?"
    return f"{dist.metadata['Name']} {dist.version}"


def installed_systems() -> list[SystemEntry]:
    """Every installed system, sorted by name; one that fails to import is listed with the reason."""
    entries = []
    for ep in _entry_points():
        problem = None
        version = kind = None
        description = ""
        try:
            factory = ep.load()
            version = getattr(factory, "version", None)
            kind = getattr(factory, "kind", None)
            description = getattr(factory, "description", "") or (factory.__doc__ or "").strip().split("\n")[0]
        except Exception as exc:  # a broken third-party package must not break the listing
            problem = f"cannot be imported ({type(exc).__name__}: {exc})"
        entries.append(SystemEntry(ep.name, ep.value, _distribution(ep), version, kind, description, problem))
    return entries


def load_system(name: str, options: dict | None = None):
    """The system registered as `name`, built with `options`; ProblemError naming the installed ones otherwise."""
    eps = {ep.name: ep for ep in _entry_points()}
    if name not in eps:
        known = sorted(eps)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f" Did you mean {close[0]!r}?" if close else ""
        fail("SYS-UNKNOWN", f"unknown system.{hint} (see `wsw predict --list`)", found=name,
             expected=f"one of {', '.join(known) or 'none'}")
    try:
        factory = eps[name].load()
    except Exception as exc:
        fail("SYS-BROKEN", f"system {name!r} ({eps[name].value}) cannot be imported",
             found=f"{type(exc).__name__}: {exc}", expected="an importable system")
    try:
        system = factory(**(options or {}))
    except TypeError as exc:
        fail("SYS-OPTION", f"system {name!r} does not take the option(s) given: {exc}",
             found=", ".join(sorted(options or {})) or "(none)")
    for attribute in ("name", "version", "kind", "predict"):
        if not hasattr(system, attribute):
            fail("SYS-BROKEN", f"system {name!r} ({eps[name].value}) is not a system", found=f"no `{attribute}`",
                 expected="name, version, kind and predict")
    if system.kind not in SYSTEM_KINDS:
        fail("SYS-BROKEN", f"system {name!r} has an unknown kind", found=repr(system.kind),
             expected=f"one of {', '.join(SYSTEM_KINDS)}")
    return system
