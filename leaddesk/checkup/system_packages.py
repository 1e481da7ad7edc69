"""Shared system libraries Qt needs, the packages that hold them, and the command that installs
them on this machine. Nothing here imports Qt: a library is checked by asking the system's
loader for it (ctypes), which is also how Qt will look for it."""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Library:
    """A shared library by the name the loader looks for, and the package holding it."""

    soname: str
    debian: str
    fedora: str


def lib(soname: str, debian: str, fedora: str) -> Library:
    return Library(soname, debian, fedora)


# What Qt's GUI libraries link to, whatever the platform (offscreen included).
QT_GUI = (
    lib("libGL.so.1", "libgl1", "libglvnd-glx"),
    lib("libEGL.so.1", "libegl1", "libglvnd-egl"),
    lib("libfontconfig.so.1", "libfontconfig1", "fontconfig"),
    lib("libfreetype.so.6", "libfreetype6", "freetype"),
    lib("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon"),
    lib("libglib-2.0.so.0", "libglib2.0-0", "glib2"),
    lib("libgthread-2.0.so.0", "libglib2.0-0", "glib2"),
    lib("libdbus-1.so.3", "libdbus-1-3", "dbus-libs"),
    lib("libX11.so.6", "libx11-6", "libX11"),
)

# What the xcb platform plugin (an X11 desktop, or XWayland) links to: the list of
# libQt6XcbQpa's needs. Qt's own abort names only the first it misses, often the wrong one.
XCB = (
    lib("libxcb.so.1", "libxcb1", "libxcb"),
    lib("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    lib("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm"),
    lib("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms"),
    lib("libxcb-image.so.0", "libxcb-image0", "xcb-util-image"),
    lib("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil"),
    lib("libxcb-util.so.1", "libxcb-util1", "xcb-util"),
    lib("libxcb-randr.so.0", "libxcb-randr0", "libxcb"),
    lib("libxcb-render.so.0", "libxcb-render0", "libxcb"),
    lib("libxcb-shape.so.0", "libxcb-shape0", "libxcb"),
    lib("libxcb-shm.so.0", "libxcb-shm0", "libxcb"),
    lib("libxcb-sync.so.1", "libxcb-sync1", "libxcb"),
    lib("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb"),
    lib("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb"),
    lib("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    lib("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb"),
)

WAYLAND = (
    lib("libwayland-client.so.0", "libwayland-client0", "libwayland-client"),
    lib("libwayland-cursor.so.0", "libwayland-cursor0", "libwayland-cursor"),
    lib("libwayland-egl.so.1", "libwayland-egl1", "libwayland-egl"),
)

FONTS = lib("libfontconfig.so.1", "fonts-dejavu-core", "dejavu-sans-fonts")

PLATFORM_LIBRARIES: Mapping[str, Sequence[Library]] = {
    "xcb": QT_GUI + XCB,
    "wayland": QT_GUI + WAYLAND,
}
# Platforms that draw into memory or a framebuffer: nothing beyond Qt's own files to check.
HEADLESS_PLATFORMS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs"})


def can_load(soname: str) -> bool:
    """The loader finds the library (on the system, or beside a bundled LeadDesk)."""
    try:
        ctypes.CDLL(soname)
    except OSError:
        bundle = getattr(sys, "_MEIPASS", None)
        return bundle is not None and (Path(bundle) / soname).is_file()
    return True


def missing(libraries: Iterable[Library]) -> list[Library]:
    return [library for library in libraries if not can_load(library.soname)]


def _os_release() -> Mapping[str, str]:
    try:
        text = Path("/etc/os-release").read_text(encoding="utf-8")
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value.strip().strip('"') for key, value in pairs}


def install_command(libraries: Iterable[Library], release: Mapping[str, str] | None = None) -> str:
    """The one command that installs the packages on this kind of Linux."""
    release = _os_release() if release is None else release
    family = f"{release.get('ID', '')} {release.get('ID_LIKE', '')}".split()
    sudo = "" if hasattr(os, "geteuid") and os.geteuid() == 0 else "sudo "
    chosen = list(libraries)
    if any(name in family for name in ("fedora", "rhel", "centos")):
        packages = dict.fromkeys(library.fedora for library in chosen)
        return f"{sudo}dnf install -y {' '.join(packages)}"
    packages = dict.fromkeys(library.debian for library in chosen)
    command = f"{sudo}apt-get install -y {' '.join(packages)}"
    if family and not any(name in family for name in ("debian", "ubuntu")):
        return f"the packages holding them (on Debian/Ubuntu: {command})"
    return command
