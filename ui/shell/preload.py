"""Native start-up work a window's first frame waits for, done on a thread while the program imports its screens.

Python imports the screens' modules one at a time under the interpreter's lock (some 40 ms before a kiosk's
first frame), and meanwhile the second core has nothing to do. Three pieces of Qt's start need no Python at all
and can go there:

* fontconfig's start (``FcInit``: its configuration and the font caches), which Qt otherwise runs when it first
  lists the fonts, before the window's first text (about 4 ms);
* the window system's plugin (``platforms/libqxcb.so`` and the libraries it links), which the QApplication loads;
* the kiosk's on-screen keyboard: ``QT_IM_MODULE=qtvirtualkeyboard`` makes the QApplication load Qt's input
  context plugin and the Qt Quick, QML and keyboard libraries it links (about 10 ms).

They are loaded by the dynamic loader under the same names Qt asks for afterwards, so Qt finds them in the
process and only counts another user. A library's loading runs its static initialisers, some of which register
start-up functions with the QCoreApplication; so all of it must be over before the QApplication exists: the
window's start calls :meth:`NativePreload.wait` just before creating it, and no preload starts once it exists.

On any platform but Linux, or where a library is not found, nothing is loaded here and Qt does all of it as usual.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

#: ``dlopen``'s flag: every symbol bound at once, on the preloading thread (not at the first call, on the GUI's).
RTLD_NOW = 2
FONTCONFIG = b"libfontconfig.so.1"


def qt_plugin(relative: str) -> Path | None:
    """The Qt plugin file ``relative`` to the PySide6 package's ``Qt/plugins`` folder, found without importing Qt."""
    spec = importlib.util.find_spec("PySide6")
    for root in (spec.submodule_search_locations or ()) if spec is not None else ():
        path = Path(root) / "Qt" / "plugins" / relative
        if path.is_file():
            return path
    return None


def platform_plugin() -> Path | None:
    """The window system's plugin Qt will load (``QT_QPA_PLATFORM``, else X11's where an X display is named).

    None where that is not certain (a Wayland session with no platform named: Qt chooses by itself).
    """
    named = os.environ.get("QT_QPA_PLATFORM", "")
    platform = named.split(";")[0].split(":")[0].strip()
    if not platform and os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        platform = "xcb"
    return qt_plugin(f"platforms/libq{platform}.so") if platform.isalnum() else None


class NativePreload:
    """fontconfig started and ``plugins`` loaded on a thread of their own, from construction to :meth:`wait`."""

    def __init__(self, plugins: Sequence[Path] = (), *, fontconfig: bool = True) -> None:
        self._thread: threading.Thread | None = None
        if not sys.platform.startswith("linux"):
            return
        self._thread = threading.Thread(target=_load, args=(tuple(plugins), fontconfig), name="native-preload",
                                        daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Back when everything is loaded (at once if it already is). Call before the QApplication exists.

        No time limit: what is still loading would otherwise be loaded by Qt on the GUI thread at the same moment.
        """
        if self._thread is not None:
            self._thread.join()
            self._thread = None


def _load(plugins: tuple[Path, ...], fontconfig: bool) -> None:
    """The thread's work: through the C library's own ``dlopen``, which ctypes calls without the interpreter's lock."""
    try:
        libc = ctypes.CDLL(None)
        dlopen, dlsym = libc.dlopen, libc.dlsym
        dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
        dlsym.restype, dlsym.argtypes = ctypes.c_void_p, [ctypes.c_void_p, ctypes.c_char_p]
        for plugin in plugins:
            dlopen(os.fsencode(plugin), RTLD_NOW)
        if fontconfig:
            library = dlopen(FONTCONFIG, RTLD_NOW)
            start = dlsym(library, b"FcInit") if library else None
            if start:
                ctypes.CFUNCTYPE(ctypes.c_int)(start)()
    except (OSError, AttributeError):  # no C library to ask: Qt loads everything itself, as it would anyway
        pass
