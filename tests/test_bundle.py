"""The installable program: ``self-test`` on the checkout, and the one-folder bundle built from
``build/`` (PyInstaller, about two minutes here) checking itself, starting every role and
migrating an older database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from db.migrate import current_revision, head_revision, upgrade
from desktop import selftest
from desktop.cli import DEMO_DATA_NOT_INSTALLED
from desktop.config import Settings
from desktop.installation import load_secrets
from desktop.services.database import open_database

REPO = Path(__file__).resolve().parents[1]
OLD_REVISION = "0013"  # a database from before the server's authority checks
ROLE_PAGES = {
    "kiosk": "自助服务终端：自助服务（无需登录）",
    "counter": "接待窗口：工作人员登录",
    "leader": "领导接访：工作人员登录",
    "display": "大厅信息屏：大厅信息（无需登录）",
    "admin": "系统管理：工作人员登录",
}


def test_self_test_passes_on_the_checkout_and_leaves_this_pc_alone(tmp_path: Path) -> None:
    env = dict(os.environ, PH_CONFIG_DIR=str(tmp_path / "cfg"), PH_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)  # the self-test needs no screen: it chooses offscreen itself
    done = subprocess.run([sys.executable, "-m", "desktop", "self-test"], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    for name, _check in selftest.CHECKS:
        assert f"[正常] {name}：" in done.stdout
    assert f"自检通过：{len(selftest.CHECKS)} 项全部正常" in done.stdout
    assert "二维码识别无误" in done.stdout and "拼音输入法" in done.stdout
    assert not (tmp_path / "cfg").exists() and not (tmp_path / "data").exists()  # nothing of this PC touched


def test_self_test_names_what_is_missing_and_checks_the_rest(qtbot: QtBot, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import desktop.documents.fonts as fonts

    monkeypatch.setattr(fonts, "fonts_dir", lambda: tmp_path / "fonts")  # an installation without its font …
    monkeypatch.setattr(fonts, "SYSTEM_COPIES", (tmp_path / "usr" / fonts.FONT_FILE,))  # … on a PC without it
    fonts._registered.cache_clear()  # as in a process that has not printed yet (an earlier test may have)
    try:
        assert selftest.run_self_test() == 1
    finally:
        fonts._registered.cache_clear()  # the next document finds the real font again
    out = capsys.readouterr().out
    assert f"[缺失] 程序文件：找不到文书字体 {fonts.FONT_FILE}：应位于 {tmp_path / 'fonts'}" in out
    assert "或安装 fonts-wqy-microhei 软件包" in out
    assert "[正常] 加密数据库：" in out and "[正常] 虚拟键盘：" in out  # one missing part stops no other check
    assert "自检未通过：程序文件、回执与二维码有问题" in out  # no font at all: no receipt either
    assert "Traceback" not in out


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("readelf") is None,
                    reason="the Linux bundle is built with binutils (readelf, strip)")
def test_the_bundle_keeps_every_input_method_the_kiosks_keyboard_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keyboard's QML imports QtQuick.VirtualKeyboard.Plugins, the first one found on the import path the kiosk
    sets; a module that one names and the bundle leaves out makes the whole keyboard unavailable."""
    import importlib.util

    from PySide6.QtCore import QLibraryInfo

    from ui.kiosk.input_method import use_on_screen_keyboard

    spec = importlib.util.spec_from_file_location("bundle_parts", REPO / "build" / "parts.py")
    assert spec is not None and spec.loader is not None
    parts = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(parts)
    environ = {k: v for k, v in os.environ.items() if k not in ("QML_IMPORT_PATH", "QT_IM_MODULE")}
    monkeypatch.setattr(os, "environ", environ)  # what the kiosk sets stays in the test
    assert use_on_screen_keyboard()
    paths = [*environ["QML_IMPORT_PATH"].split(os.pathsep),
             QLibraryInfo.path(QLibraryInfo.LibraryPath.QmlImportsPath)]
    qmldir = next(Path(p) / "QtQuick/VirtualKeyboard/Plugins/qmldir" for p in paths
                  if (Path(p) / "QtQuick/VirtualKeyboard/Plugins/qmldir").is_file())
    imported = re.findall(r"^import\s+(\S+)", qmldir.read_text(encoding="utf-8"), re.MULTILINE)
    assert "QtQuick.VirtualKeyboard.Plugins.Pinyin" in imported
    for module in imported:
        assert parts.keep_qt_file(f"qml/{module.replace('.', '/')}/qmldir"), f"{qmldir} imports {module}"


def test_the_bundle_checks_itself_starts_every_role_and_migrates(tmp_path: Path) -> None:
    """``build/build.sh --check``: bundle, self-test, every role started offscreen as a new user;
    then a database of an older schema, opened by the bundle, is migrated to the newest."""
    done = subprocess.run([str(REPO / "build" / "build.sh"), "--check", "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=900, check=False,
                          env=dict(os.environ, PYTHON=sys.executable))
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    assert f"自检通过：{len(selftest.CHECKS)} 项全部正常" in done.stdout
    assert str(tmp_path / "dist" / "petition-hall" / "_internal") in done.stdout  # it checked itself, not the checkout
    for page in ROLE_PAGES.values():
        assert f"信访接待大厅系统 — {page}" in done.stdout
    assert "首次启动：已新建加密数据库" in done.stdout + done.stderr
    bundle = tmp_path / "dist" / "petition-hall"
    files = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    unused = re.compile(r"WebEngine|Quick3D|Qt6Pdf|Qt6Charts|Qt63D|Designer|QtQuick/Controls|translit|"
                        r"faker/|Plugins/OpenWNN|_avx2\.|metrics_cpp|libqgtk3|libicudata\.so\.\d+\.\d|"
                        r"^_internal/libstdc|wqy-microhei\.ttc$|QtMultimedia\.abi3|plugins/multimedia/")
    assert [f for f in files if unused.search(f)] == []
    # Pillow's copies of libxcb, libXau, libzstd and liblzma: its modules name the system's (build/relink.py)
    assert [f for f in files if re.search(r"pillow\.libs/lib(xcb|Xau|zstd|lzma)-", f)] == []
    assert any(f.endswith("qml/QtQuick/VirtualKeyboard/Plugins/Pinyin/qmldir") for f in files)
    assert any(f.endswith("plugins/texttospeech/libqtexttospeech_speechd.so") for f in files)
    assert any(f.startswith("_internal/rapidfuzz/fuzz_cpp.") for f in files)

    settings = Settings(key_store="file")
    old = tmp_path / "old.db"
    key = load_secrets(settings, old).database_key
    engine = open_database(old, key=key, migrate=False)
    upgrade(engine, OLD_REVISION)
    engine.dispose()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PH_KEY_STORE="file")
    opened = subprocess.run([str(bundle / "petition-hall"), "run", "--role", "counter", "--db", str(old),
                             "--smoke-test"], capture_output=True, text=True, env=env, timeout=300, check=False)
    assert opened.returncode == 0, opened.stderr
    assert "Qt 标准按钮：取消" in opened.stdout  # Qt's Chinese texts travel with the bundle
    engine = open_database(old, key=key, migrate=False)
    try:
        assert current_revision(engine) == head_revision() != OLD_REVISION
    finally:
        engine.dispose()

    # demo data is made from a checkout: the installed program says so and writes nothing
    demo = subprocess.run([str(bundle / "petition-hall"), "demo-data", "--cases", "5",
                           "--db", str(tmp_path / "demo.db")],
                          capture_output=True, text=True, env=env, timeout=300, check=False)
    assert demo.returncode == 2 and demo.stderr.strip() == DEMO_DATA_NOT_INSTALLED
    assert not (tmp_path / "demo.db").exists()
