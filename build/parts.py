"""Which parts of Qt (and of a few wheels) the bundle keeps: used by the PyInstaller specs here.

PyInstaller's PySide6 hooks collect generously (every QML module once QtQml is imported, every
translation, every plugin of a category and the libraries those plugins need). ``prune`` keeps
what the program uses and then drops every Qt library that nothing kept still needs, so a
plugin left out takes its libraries with it (the PDF image plugin and Qt Pdf, Quick 3D, …).
Paths are compared relative to the Qt folder of the bundle: ``PySide6/Qt/`` on Linux and
``PySide6/`` on Windows.
"""

from __future__ import annotations

import os
import re
import sys

WINDOWS = sys.platform.startswith("win")

#: Plugin folders and which files of each to keep (file-name stems; ``*`` = all of them).
PLUGINS: dict[str, set[str]] = {
    # xcb for X11 desktops (统信UOS, 麒麟, Debian), wayland for the few that run it, offscreen for
    # checks and tests, windows on Windows; minimal for `doctor` on a machine without a display.
    # (no wayland: Qt then uses XWayland's xcb, where the virtual keyboard is tested)
    "platforms": {"qxcb", "qoffscreen", "qminimal", "qwindows", "qdirect2d"},
    "platforminputcontexts": {"*"},  # the virtual keyboard, and the system's own input methods (ibus, compose)
    "platformthemes": {"qxdgdesktopportal"},  # not gtk3: it would pull GTK's libraries in
    "xcbglintegrations": {"*"},
    "imageformats": {"qjpeg", "qgif", "qico", "qsvg"},
    "iconengines": {"*"},
    "printsupport": {"*"},  # CUPS
    "texttospeech": {"*"},  # speechd (speech-dispatcher) and mock; sapi/winrt on Windows
    "multimedia": {"*"},  # FFmpeg, ~25 MB: only when the program imports QtMultimedia (see ``prune``)
    "styles": {"*"},  # Windows' own widget style
    "generic": {"*"},  # touch input (evdev, tuio) for kiosk screens
}

#: QML folders kept, exactly (their files, not their subfolders) …
QML_DIRS = {"QtQml", "QtQml/Models", "QtQml/WorkerScript", "QtQuick", "QtQuick/Layouts", "QtQuick/Window",
            "Qt/labs/folderlistmodel"}
#: … and whole: the virtual keyboard with its layouts, styles and input-method plugins …
QML_TREES = ("QtQuick/VirtualKeyboard",)
#: … but for the input methods of languages a mainland hall does not type (each brings its own layouts, so
#: their languages leave the keyboard's language menu with them): Japanese (OpenWNN, 1.6 MB), traditional
#: Chinese Cangjie/Zhuyin (TCIme), Korean (Hangul), Thai. Kept: Pinyin (简体中文) and the built-in English.
QML_DROPPED = ("QtQuick/VirtualKeyboard/Plugins/OpenWNN", "QtQuick/VirtualKeyboard/Plugins/TCIme",
               "QtQuick/VirtualKeyboard/Plugins/Hangul", "QtQuick/VirtualKeyboard/Plugins/Thai")

#: Qt's own translations: the Chinese ones the program loads (qt_zh_CN pulls in the others).
TRANSLATIONS = re.compile(r"(qt|qtbase|qtdeclarative|qtmultimedia)_zh_CN\.qm$")

#: Qt modules the program never uses: left out even when some hook asks for them.
EXCLUDED_MODULES = [f"PySide6.{name}" for name in (
    "QtWebEngineCore", "QtWebEngineWidgets", "QtWebEngineQuick", "QtWebChannel", "QtWebSockets", "QtWebView",
    "Qt3DCore", "Qt3DRender", "Qt3DInput", "Qt3DLogic", "Qt3DAnimation", "Qt3DExtras", "QtQuick3D",
    "QtCharts", "QtDataVisualization", "QtGraphs", "QtGraphsWidgets", "QtPdf", "QtPdfWidgets",
    "QtDesigner", "QtUiTools", "QtHelp", "QtLocation", "QtPositioning", "QtBluetooth", "QtNfc", "QtSensors",
    "QtSerialBus", "QtSerialPort", "QtScxml", "QtStateMachine", "QtRemoteObjects", "QtSql", "QtTest",
    "QtHttpServer", "QtNetworkAuth", "QtSpatialAudio", "QtQuickControls2", "QtQuickWidgets",
    "QtMultimediaWidgets", "QtOpenGLWidgets", "QtAxContainer", "QtConcurrent", "QtXml", "QtSvgWidgets",
)]


def qt_relative(dest: str) -> str | None:
    """``plugins/platforms/libqxcb.so`` for a bundled file of Qt, None for anything else."""
    dest = dest.replace("\\", "/")
    for prefix in ("PySide6/Qt/", "PySide6/"):
        if dest.startswith(prefix):
            rest = dest[len(prefix):]
            if rest.split("/", 1)[0] in {"plugins", "qml", "translations", "lib"} or (
                    WINDOWS and prefix == "PySide6/" and "/" not in rest and _is_qt_library(rest)):
                return rest
    return None


def _is_qt_library(name: str) -> bool:
    lower = name.lower()
    return lower.endswith((".dll", ".so")) or ".so." in lower


def _stem(file_name: str) -> str:
    stem = file_name.split(".", 1)[0]
    return stem[3:] if stem.startswith("lib") else stem


def keep_qt_file(rel: str, plugins: dict[str, set[str]] = PLUGINS) -> bool:
    """Whether a file of Qt (see ``qt_relative``) goes into the bundle; libraries are decided later."""
    parts = rel.split("/")
    if parts[0] == "plugins":
        if len(parts) < 3:
            return False
        wanted = plugins.get(parts[1])
        return wanted is not None and ("*" in wanted or _stem(parts[-1]) in wanted)
    if parts[0] == "qml":
        folder = "/".join(parts[1:-1])
        if parts[-1].endswith(".qmltypes"):  # type descriptions for tools, not read when running
            return False
        if any(folder == tree or folder.startswith(tree + "/") for tree in QML_DROPPED):
            return False
        return folder in QML_DIRS or any(folder == tree or folder.startswith(tree + "/") for tree in QML_TREES)
    if parts[0] == "translations":
        return bool(TRANSLATIONS.search(parts[-1]))
    return True


#: Libraries of the system packages the .deb depends on (build/deb/control.in): taken from the system,
#: never bundled — an X server's, a sound server's or CUPS' own client libraries must match them.
#: Libraries only they need go too (found by following what the kept binaries need).
SYSTEM_LIBRARIES = re.compile(
    r"^lib(X|xcb|xkb|GL|EGL|OpenGL|gbm|drm|wayland-|fontconfig|freetype|dbus-1|glib-2|gio-2|gobject-2|gmodule-2|"
    r"gthread-2|cups|pulse|asound|speechd|systemd|udev|gtk|gdk|cairo|pango|atk|harfbuzz|gssapi_krb5|krb5|k5crypto|"
    r"com_err|keyutils|"
    # the C/C++ runtime and compression libraries every desktop system has (Priority: required/important,
    # same sonames in Debian 10–13, 统信UOS and 麒麟): libstdc++6, libgcc-s1, zlib1g, liblzma5, libbz2-1.0,
    # libuuid1, libzstd1. Pillow's own renamed copies (pillow.libs/) stay: its modules name those.
    r"stdc\+\+\.so|gcc_s\.so|z\.so|lzma\.so|bz2\.so|uuid\.so|zstd\.so)", re.IGNORECASE)
#: Loaded with ctypes (pyusb), so no other binary names them.
CTYPES_LIBRARIES = re.compile(r"^libusb-1\.0", re.IGNORECASE)


def _needed(path: str) -> set[str]:
    """The libraries a binary names itself (DT_NEEDED; not what those need in turn, as ldd would say)."""
    import subprocess

    out = subprocess.run(["readelf", "-d", "-W", path], capture_output=True, text=True, check=False).stdout
    return {m.group(1).lower() for m in re.finditer(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)}


def _is_library(dest: str) -> bool:
    """A shared library others link to: Qt's, one PyInstaller put at the top of the bundle, or one a
    wheel vendors (``pillow.libs/``) — not Python itself, an extension module or a plugin."""
    rel = qt_relative(dest)
    if rel is not None:
        return rel.startswith("lib/") or "/" not in rel
    name = dest.replace("\\", "/")
    folder, _, base = name.rpartition("/")
    if not _is_qt_library(base) or base.lower().startswith(("libpython", "python3")) or _is_extension(base):
        return False
    return folder == "" or folder.endswith(".libs")


def _is_extension(name: str) -> bool:
    """A Python extension module (``_cffi_backend.cpython-311-x86_64-linux-gnu.so``, ``x.abi3.so``, ``.pyd``)."""
    lower = name.lower()
    return ".cpython-" in lower or ".abi3." in lower or lower.endswith(".pyd")


def prune(binaries: list, datas: list, *, multimedia: bool) -> tuple[list, list]:
    """The TOCs without the Qt parts the program does not use (see the module's docstring)."""
    plugins = dict(PLUGINS) if multimedia else {k: v for k, v in PLUGINS.items() if k != "multimedia"}

    def keep(entry: tuple[str, str, str]) -> bool:
        rel = qt_relative(entry[0])
        return rel is None or keep_qt_file(rel, plugins)

    def from_system(dest: str) -> bool:  # the top of the bundle only: not a wheel's own copies (pillow.libs)
        return _is_library(dest) and "/" not in dest.replace("\\", "/") and bool(
            SYSTEM_LIBRARIES.match(os.path.basename(dest)))

    binaries = [e for e in binaries if keep(e) and not from_system(e[0])]
    datas = [e for e in datas if keep(e)]
    if WINDOWS:  # untried there: keep every library PyInstaller found rather than risk a missing DLL
        return [e for e in binaries if not _AVX2_VARIANT.match(e[0].replace("\\", "/"))], datas
    libraries = {os.path.basename(e[0]).lower(): e for e in binaries if _is_library(e[0])}
    wanted = {name for name in libraries if CTYPES_LIBRARIES.match(name)}
    todo = [src for dest, src, _kind in binaries if not _is_library(dest)] + [libraries[n][1] for n in wanted]
    while todo:
        for name in _needed(todo.pop()):
            if name in libraries and name not in wanted:
                wanted.add(name)
                todo.append(libraries[name][1])
    kept = [e for e in binaries if not _is_library(e[0]) or os.path.basename(e[0]).lower() in wanted]
    kept = [e for e in kept if not _AVX2_VARIANT.match(e[0].replace("\\", "/"))
            and not _RAPIDFUZZ_UNUSED.match(e[0].replace("\\", "/"))]
    kept, links = _shared_openssl(kept)
    # PyInstaller links the libraries it found to the top of the bundle: no link to a file left out
    present = {e[0].replace("\\", "/") for e in kept} | {e[0].replace("\\", "/") for e in datas
                                                           if e[2] != "SYMLINK"}
    datas = [e for e in datas if e[2] != "SYMLINK" or
             os.path.normpath(os.path.join(os.path.dirname(e[0]), e[1])).replace("\\", "/") in present]
    return kept, datas + links


#: rapidfuzz ships every module twice, for CPUs with and without AVX2, and falls back to the
#: plain one when the other cannot be imported: the bundle keeps the plain ones (6 MB less; the
#: repeat check's fuzzy comparison runs on any x86-64 CPU).
_AVX2_VARIANT = re.compile(r"^rapidfuzz/.*_avx2\.cpython-")
#: The repeat check uses ``rapidfuzz.fuzz`` only (its own C++ module, ``fuzz_cpp``): the C++ distance
#: metrics and ``process`` (3.5 MB) are left out, and rapidfuzz imports their pure-Python versions
#: instead should anything ask for them.
_RAPIDFUZZ_UNUSED = re.compile(r"^rapidfuzz/(distance/metrics_cpp|process_cpp_impl)[.]")


def _shared_openssl(binaries: list) -> tuple[list, list]:
    """One OpenSSL 3 for all: a wheel's vendored ``libcrypto-<hash>.so.3`` (sqlcipher3's, which
    uses only OPENSSL_3.0.0 symbols) becomes a link to the one Python's ssl module brings."""
    names = {e[0].replace("\\", "/") for e in binaries}
    if WINDOWS or "libcrypto.so.3" not in names:
        return binaries, []
    kept, links = [], []
    for entry in binaries:
        dest = entry[0].replace("\\", "/")
        if re.match(r"^[^/]+\.libs/libcrypto-[0-9a-f]+\.so\.3$", dest):
            links.append((entry[0], "../libcrypto.so.3", "SYMLINK"))
            continue
        kept.append(entry)
    return kept, links


#: Python modules the installed program never imports: the development and debugging parts of the
#: standard library, asyncio's SQLAlchemy, type-checker plugins, pydantic's v1 copy, the pure-Python
#: fallbacks of modules built in C, East-Asian codecs other than Chinese (GB 2312/GBK/GB 18030 stay).
#: Faker (``demo-data``, 2.7 MB) stays out as well: demo data is made from a checkout, not on a hall's PC.
UNUSED_MODULES = [
    "faker", "text_unidecode", "unittest", "doctest", "pdb", "bdb", "xmlrpc", "ftplib", "smtplib",
    "http.server", "socketserver", "lib2to3", "idlelib", "ensurepip", "distutils", "turtle", "turtledemo",
    "PySide6.QtDBus", "curses", "readline", "tracemalloc", "_pydecimal", "_pyio",
    "sqlalchemy.ext.asyncio", "sqlalchemy.ext.mypy", "pydantic.mypy", "pydantic.v1",
    # optional for httpx/httpcore (asynchronous back-ends, guessing a response's encoding): the sync is synchronous JSON
    "anyio", "trio", "charset_normalizer",  # (reportlab: only to guess the encoding of an XMP file)
    "click",  # httpx's command line
    "_codecs_jp", "_codecs_kr", "_codecs_tw", "_codecs_hk", "_codecs_iso2022",
]


def keep_data(dest: str) -> bool:
    """Whether a data file (not Qt's) goes into the bundle."""
    dest = dest.replace("\\", "/")
    if dest.startswith("stdnum/") and dest.endswith(".dat"):  # only the Chinese ID number is checked
        return dest.startswith("stdnum/cn/")
    # Linux: the document font is the system's copy (desktop/documents/fonts.py looks there), which the
    # .deb depends on (fonts-wqy-microhei, the same file, 5 MB); a Windows bundle carries its own
    return WINDOWS or dest != "resources/fonts/wqy-microhei.ttc"

#: Parts of Pillow the program never uses (it renders receipts and QR codes, reads no AVIF, WebP or
#: colour profiles, draws no text with Pillow): their libraries leave with them.
PIL_EXCLUDES = ["PIL._avif", "PIL.AvifImagePlugin", "PIL._webp", "PIL.WebPImagePlugin", "PIL._imagingcms",
                "PIL.ImageCms", "PIL._imagingtk", "PIL.ImageTk", "PIL._imagingft", "PIL.ImageQt"]


def uses_multimedia(repo: str) -> bool:
    """Whether the program's own code imports QtMultimedia at the top of a module (then it always needs it, and its
    FFmpeg plugin is bundled); ``PH_BUNDLE_MULTIMEDIA=1`` or ``0`` decides instead.

    A device that imports it only when it is used (the kiosk's camera, ``desktop/devices/camera.py``) does not
    make every PC carry its ~25 MB: a kiosk with a camera is given a bundle built with ``PH_BUNDLE_MULTIMEDIA=1``,
    and without it the camera says plainly that the program has no camera support.
    """
    if os.environ.get("PH_BUNDLE_MULTIMEDIA") in {"0", "1"}:
        return os.environ["PH_BUNDLE_MULTIMEDIA"] == "1"
    top_level = re.compile(r"^(from PySide6\.QtMultimedia |from PySide6 import .*\bQtMultimedia\b|"
                           r"import PySide6\.QtMultimedia)", re.MULTILINE)
    for package in ("desktop", "ui"):
        for folder, _dirs, files in os.walk(os.path.join(repo, package)):
            for name in files:
                if name.endswith(".py"):
                    with open(os.path.join(folder, name), encoding="utf-8") as source:
                        if top_level.search(source.read()):
                            return True
    return False
