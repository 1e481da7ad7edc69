"""``leaddesk --self-test``: what this machine has and lacks for LeadDesk, without a window.

Each check says ok, or what is missing and the command that fixes it. Required checks decide
the exit code; a warning (the keyring) only informs.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from leaddesk.checkup import system_packages
from leaddesk.checkup.qt_platform import check_platform, qt_installed
from leaddesk.checkup.system_packages import Library
from leaddesk.store import postgres_driver
from leaddesk.store.database import resolve_location


class Status(Enum):
    OK = "ok"
    WARNING = "warning"
    MISSING = "MISSING"


@dataclass(frozen=True)
class Finding:
    name: str
    status: Status
    detail: str
    fix: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.MISSING


def store_folder(location: str | os.PathLike[str] | None) -> Finding:
    """The store (or the folder it would be made in) can be written."""
    url = resolve_location(location)
    name = "store"
    if url.get_backend_name() != "sqlite":
        return _server_store(url.render_as_string(hide_password=False), name)
    path = Path(url.database or "")
    if path.exists():
        if not os.access(path, os.W_OK):
            return Finding(
                name, Status.MISSING, f"{path} is read-only", "ask for write access, or --db COPY"
            )
        return _folder_finding(name, path.parent, f"{path} (writable)")
    folder = next((parent for parent in path.parents if parent.exists()), None)
    if folder is None or not folder.is_dir():
        return Finding(
            name, Status.MISSING, f"{folder} is a file, not a folder", "choose another --db path"
        )
    return _folder_finding(name, folder, f"{path.parent} (writable; no store there yet)")


def _folder_finding(name: str, folder: Path, said: str) -> Finding:
    if os.access(folder, os.W_OK | os.X_OK):
        return Finding(name, Status.OK, said)
    return Finding(
        name,
        Status.MISSING,
        f"the folder {folder} is not writable for you",
        "ask for write access to it, or use --db ~/leaddesk.sqlite3",
    )


def _server_store(url: str, name: str) -> Finding:
    from sqlalchemy.engine import make_url

    shown = make_url(url).render_as_string(hide_password=True)
    try:
        postgres_driver.driver_version()
    except ImportError:
        return Finding(
            name, Status.MISSING, f"{shown}: no PostgreSQL driver", "see PostgreSQL below"
        )
    from sqlalchemy import create_engine

    engine = create_engine(url, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any reason the server cannot be reached is the finding
        cause = getattr(exc, "orig", None) or exc
        first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
        return Finding(name, Status.MISSING, f"{shown}: {first}", "check the URL and the server")
    finally:
        engine.dispose()
    return Finding(name, Status.OK, f"{shown} (reachable)")


def qt_platform(
    environ: Mapping[str, str],
    libraries: Mapping[str, Sequence[Library]] | None = None,
) -> list[Finding]:
    """The platform the window would use has its libraries. Where that is a headless one
    (offscreen), the desktop window's own (xcb) is reported too, as a warning."""
    name = "Qt platform"
    if not qt_installed():
        return [Finding(name, Status.MISSING, "PySide6 (Qt) is not installed", "pip install .")]
    found = check_platform(environ, libraries=libraries)
    if not found.ok:
        return [Finding(name, Status.MISSING, found.problem(), found.fix)]
    if found.platform is None and not sys.platform.startswith("linux"):
        return [Finding(name, Status.OK, f"Qt brings what it needs on {sys.platform}")]
    said = (
        f"{found.platform}: all its libraries are here"
        if found.platform
        else "no desktop session here (DISPLAY and WAYLAND_DISPLAY unset)"
    )
    findings = [Finding(name, Status.OK, said)]
    if sys.platform.startswith("linux") and found.platform != "xcb":
        desktop = check_platform({"QT_QPA_PLATFORM": "xcb"}, libraries=libraries)
        status = Status.OK if desktop.ok else Status.WARNING
        detail = "xcb (X11 desktop): all its libraries are here"
        findings.append(
            Finding(
                "desktop window",
                status,
                detail if desktop.ok else desktop.problem(),
                desktop.fix,
            )
        )
    return findings


class _FontSet(ctypes.Structure):
    _fields_ = [
        ("nfont", ctypes.c_int),
        ("sfont", ctypes.c_int),
        ("fonts", ctypes.c_void_p),
    ]


def count_fonts(soname: str = "libfontconfig.so.1") -> int | None:
    """How many fonts fontconfig (what Qt asks on Linux) finds; None without fontconfig."""
    try:
        fc = ctypes.CDLL(soname)
    except OSError:
        return None
    fc.FcInitLoadConfigAndFonts.restype = ctypes.c_void_p
    fc.FcPatternCreate.restype = ctypes.c_void_p
    fc.FcObjectSetCreate.restype = ctypes.c_void_p
    fc.FcObjectSetAdd.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
    fc.FcFontList.restype = ctypes.POINTER(_FontSet)
    fc.FcFontList.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    for free in ("FcFontSetDestroy", "FcObjectSetDestroy", "FcPatternDestroy", "FcConfigDestroy"):
        getattr(fc, free).argtypes = [ctypes.c_void_p]
    config = fc.FcInitLoadConfigAndFonts()
    pattern = fc.FcPatternCreate()
    wanted = fc.FcObjectSetCreate()
    fc.FcObjectSetAdd(wanted, b"family")
    fonts = fc.FcFontList(config, pattern, wanted)
    try:
        return int(fonts.contents.nfont) if fonts else 0
    finally:
        if fonts:
            fc.FcFontSetDestroy(ctypes.cast(fonts, ctypes.c_void_p))
        fc.FcObjectSetDestroy(wanted)
        fc.FcPatternDestroy(pattern)
        fc.FcConfigDestroy(config)


def fonts(counter: Callable[[], int | None] = count_fonts) -> Finding:
    name = "fonts"
    if not sys.platform.startswith("linux"):
        return Finding(name, Status.OK, f"the system's own on {sys.platform}")
    found = counter()
    if found is None:
        fix = system_packages.install_command([system_packages.QT_GUI[2]])
        return Finding(name, Status.MISSING, "fontconfig is not installed", fix)
    if found == 0:
        fix = system_packages.install_command([system_packages.FONTS])
        return Finding(name, Status.MISSING, "fontconfig finds no font", fix)
    return Finding(name, Status.OK, f"{found} fonts (fontconfig)")


def keyring() -> Finding:
    """Only the CRM connectors keep secrets there; LeadDesk runs without one."""
    name = "keyring"
    try:
        module = importlib.import_module("keyring")
        backend = module.get_keyring()
    except ImportError:
        return Finding(
            name,
            Status.WARNING,
            "no keyring library: CRM connector passwords cannot be saved (nothing else needs it)",
            "" if getattr(sys, "frozen", False) else "pip install keyring",
        )
    except Exception as exc:  # a broken backend is as good as none, for a warning
        return Finding(name, Status.WARNING, f"the keyring does not answer ({exc})")
    where = type(backend).__module__
    if where.endswith((".fail", ".null")):
        return Finding(
            name,
            Status.WARNING,
            "no keyring service (GNOME Keyring, KWallet, macOS or Windows): CRM connector "
            "passwords cannot be saved",
        )
    return Finding(name, Status.OK, f"{where}.{type(backend).__name__}")


def postgres() -> Finding:
    name = "PostgreSQL"
    try:
        return Finding(name, Status.OK, postgres_driver.driver_version())
    except ImportError:
        return Finding(name, Status.MISSING, "no driver (psycopg)", postgres_driver.how_to_add())


def run_checks(
    location: str | os.PathLike[str] | None, environ: Mapping[str, str] | None = None
) -> list[Finding]:
    environ = os.environ if environ is None else environ
    return [
        store_folder(location),
        *qt_platform(environ),
        fonts(),
        keyring(),
        postgres(),
    ]
