"""Which platform Qt will open the window on, and whether this machine has its libraries.

Asked before Qt is: a missing xcb library makes Qt abort the whole process (exit 134) naming
at most one library, often not the one really missing. Here every missing library is named,
with the command that installs it, and LeadDesk exits 2 instead.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from leaddesk.checkup import system_packages
from leaddesk.checkup.system_packages import Library
from leaddesk.errors import InputError


@dataclass(frozen=True)
class PlatformCheck:
    platform: str | None  # None: not a Linux desktop (macOS, Windows), or headless
    missing: Sequence[Library] = field(default_factory=tuple)
    fix: str = ""

    @property
    def ok(self) -> bool:
        return not self.missing

    def problem(self) -> str:
        names = ", ".join(library.soname for library in self.missing)
        return f"Qt's {self.platform} platform needs libraries this machine lacks: {names}"


def platforms_to_try(environ: Mapping[str, str], *, system: str = sys.platform) -> list[str]:
    """The platforms Qt would try, in order; empty where Qt brings what it needs (macOS,
    Windows) or where there is no desktop to open a window on."""
    if not system.startswith("linux"):
        return []
    asked = environ.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return [part.split(":")[0].strip() for part in asked.split(";") if part.strip()]
    if environ.get("XDG_SESSION_TYPE") == "wayland" and environ.get("WAYLAND_DISPLAY"):
        return ["wayland", "xcb"]  # Qt's own order in a Wayland session
    if environ.get("DISPLAY"):
        return ["xcb"]
    return []


def check_platform(
    environ: Mapping[str, str],
    *,
    system: str = sys.platform,
    libraries: Mapping[str, Sequence[Library]] | None = None,
) -> PlatformCheck:
    """The first platform Qt would try that has all its libraries; else what the first lacks.
    ``libraries`` is the table to check (default: ``system_packages.PLATFORM_LIBRARIES``,
    read when called, so a test can point it at a library that does not exist)."""
    table = system_packages.PLATFORM_LIBRARIES if libraries is None else libraries
    candidates = platforms_to_try(environ, system=system)
    if not candidates or candidates[0] in system_packages.HEADLESS_PLATFORMS:
        return PlatformCheck(candidates[0] if candidates else None)
    first: PlatformCheck | None = None
    for platform in candidates:
        if platform in system_packages.HEADLESS_PLATFORMS:
            return PlatformCheck(platform)
        lacking = system_packages.missing(table.get(platform, ()))
        found = PlatformCheck(platform, tuple(lacking), system_packages.install_command(lacking))
        if found.ok:
            return found
        first = first or found
    assert first is not None
    return first


def qt_installed() -> bool:
    """PySide6 is there, found without importing it (the core never imports Qt)."""
    return importlib.util.find_spec("PySide6") is not None


def require_window_platform(
    environ: Mapping[str, str],
    *,
    system: str = sys.platform,
    libraries: Mapping[str, Sequence[Library]] | None = None,
) -> None:
    """Before the window opens: raise a message naming the missing libraries and their fix."""
    found = check_platform(environ, system=system, libraries=libraries)
    if not found.ok:
        raise InputError(
            f"The window cannot open: {found.problem()}. Install them with: {found.fix} "
            "(the other commands work without them: leaddesk --help)"
        )


def missing_library_message(error: ImportError) -> str | None:
    """A Qt import that failed on a missing system library ("libEGL.so.1: cannot open shared
    object file"), worded with the package to install; None for any other import error."""
    text = str(error)
    if "cannot open shared object file" not in text:
        return None
    soname = text.split(":", 1)[0].strip()
    known = {
        lib.soname: lib for table in system_packages.PLATFORM_LIBRARIES.values() for lib in table
    }
    library = known.get(soname)
    fix = system_packages.install_command([library]) if library else f"the package holding {soname}"
    return (
        f"The window cannot open: Qt needs {soname}, which this machine lacks. "
        f"Install it with: {fix}"
    )
