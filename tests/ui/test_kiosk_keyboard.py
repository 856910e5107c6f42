"""The on-screen pinyin keyboard comes up over a focused kiosk field (a real X server, Xvfb)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.ui.kiosk_probe import NEEDS_XVFB, on_xvfb
from ui.kiosk.input_method import IM_MODULE, use_on_screen_keyboard
from ui.kiosk.keyboard import KeyUse, pinyin_key_use
from ui.kiosk.style import LARGE_FACTOR, text_px

PROBE = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import QLocale
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
    from tests.ui.kiosk_probe import run_polling
    app = QApplication(sys.argv)
    page = QWidget()
    layout = QVBoxLayout(page)
    field = QLineEdit()
    layout.addWidget(field)
    from ui.kiosk.keyboard import KeyboardSpace
    space = KeyboardSpace(layout, page)
    page.resize(1920, 1080)
    page.show()
    page.activateWindow()
    tries = []

    def poll():
        field.setFocus()
        method = QGuiApplication.inputMethod()
        method.show()
        tries.append(1)
        from PySide6.QtCore import QObject
        methods = sorted({o.metaObject().className().split("::")[-1] for w in QGuiApplication.topLevelWindows()
                          for o in w.findChildren(QObject) if o.metaObject().className().endswith("InputMethod")})
        up = method.isVisible() and layout.contentsMargins().bottom() > 300 and "PinyinInputMethod" in methods
        if up or len(tries) > 100:
            maps = open("/proc/self/maps").read()
            plugins = sorted({line.rsplit("/", 2)[-2] for line in maps.splitlines()
                              if "/VirtualKeyboard/Plugins/" in line and line.endswith(".so")})
            print("methods", ",".join(methods), "plugins", ",".join(plugins))
            print("visible", method.isVisible(), "locale", method.locale().name(),
                  "height", round(method.keyboardRectangle().height()), "margin", layout.contentsMargins().bottom(),
                  "opengl", "libLLVM" in maps or "swrast" in maps or "_dri.so" in maps)
            return None
        return 100

    run_polling(app, poll)
""")


@pytest.fixture
def own_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variables the keyboard sets, set in a copy: this process's Qt and fontconfig read the real ones, and a
    font configuration changed under a running application stalls its next focus change."""
    monkeypatch.setattr(os, "environ", dict(os.environ))


def test_use_on_screen_keyboard_respects_an_input_method_chosen_already(monkeypatch: pytest.MonkeyPatch,
                                                                       own_environment: None) -> None:
    monkeypatch.setenv("QT_IM_MODULE", "ibus")
    assert not use_on_screen_keyboard() and os.environ["QT_IM_MODULE"] == "ibus"
    monkeypatch.delenv("QT_IM_MODULE")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert use_on_screen_keyboard() and os.environ["QT_IM_MODULE"] == IM_MODULE
    assert os.environ["LANG"] == "zh_CN.UTF-8"  # the keyboard offers pinyin


@NEEDS_XVFB
def test_the_pinyin_keyboard_comes_up_and_the_page_makes_room(tmp_path: Path) -> None:
    done = on_xvfb(tmp_path, "probe", PROBE)
    assert "visible True locale zh_CN" in done.stdout, done.stdout + done.stderr
    # the keyboard itself loaded, typing pinyin; of the language plugins only Pinyin's is in the process
    assert "PinyinInputMethod" in done.stdout.split("methods ")[1].split()[0], done.stdout + done.stderr
    assert done.stdout.split("plugins ")[1].split()[0] == "Pinyin", done.stdout
    height = int(done.stdout.split("height ")[1].split()[0])
    margin = int(done.stdout.split("margin ")[1].split()[0])
    assert height >= 400 and margin >= height  # the page ends above the keyboard
    # drawn by Qt's software renderer: no OpenGL driver (Mesa's llvmpipe here, 110 MB more with the keyboard up)
    assert "opengl False" in done.stdout, done.stdout


def test_the_keyboard_keeps_the_programs_font_and_rare_characters_still_find_theirs(
        monkeypatch: pytest.MonkeyPatch, own_environment: None) -> None:
    """WenQuanYi Zen Hei (installed for CJK Extension A in names) makes itself the system's Chinese sans-serif;
    the keyboard would draw its keys in it (and read in 5 MB of it). The kiosk's fontconfig keeps Micro Hei
    first and Zen Hei for the characters only it has."""
    from ui.kiosk.input_method import KIOSK_FONTCONFIG, SYSTEM_FONTCONFIG

    monkeypatch.delenv("FONTCONFIG_FILE", raising=False)
    monkeypatch.delenv("QT_IM_MODULE", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")  # set back after the test (the keyboard makes it Chinese)
    if not (sys.platform.startswith("linux") and SYSTEM_FONTCONFIG.is_file()):
        pytest.skip("fontconfig is Linux's")
    assert use_on_screen_keyboard() and os.environ["FONTCONFIG_FILE"] == str(KIOSK_FONTCONFIG)
    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/chosen.conf")
    monkeypatch.setenv("QT_IM_MODULE", IM_MODULE)
    use_on_screen_keyboard()
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/chosen.conf"  # a deployment's own choice is kept

    if shutil.which("fc-match") is None:
        pytest.skip("fc-match missing")
    env = {**os.environ, "FONTCONFIG_FILE": str(KIOSK_FONTCONFIG)}

    def match(pattern: str) -> str:
        return Path(subprocess.run(["fc-match", "--format=%{file}", pattern], env=env, capture_output=True,
                                   text=True, check=True).stdout).name

    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    if "WenQuanYi Micro Hei" not in installed or "WenQuanYi Zen Hei" not in installed:
        pytest.skip("needs fonts-wqy-microhei and fonts-wqy-zenhei (scripts/setup.sh installs both)")
    assert match("Sans:lang=zh-cn") == "wqy-microhei.ttc"
    assert match("Sans:lang=zh-cn:charset=4dae") == "wqy-zenhei.ttc"  # 䶮: only Zen Hei has it
    if "BabelStone Han" in installed:  # 𫖯 (U+2B5AF, Extension B): beyond both, BabelStone Han has it
        assert match("Sans:lang=zh-cn:charset=2b5af") == "BabelStoneHan.ttf"
    elif os.environ.get("CI"):
        pytest.fail("CI 中必须安装 fonts-babelstone-han（scripts/setup.sh 会安装）")


def test_the_kiosks_chinese_language_keeps_its_font_on_the_screens(tmp_path: Path) -> None:
    """With the keyboard the kiosk speaks Chinese, and fontconfig then names the fonts in Chinese (文泉驿微米黑):
    the English names the program looked for were not found, and the first font writing Chinese in name order
    became the screens' font — BabelStone Han, installed for rare characters, in a Ming style (and 10 MB of
    it read in)."""
    installed = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=False).stdout
    if "WenQuanYi Micro Hei" not in installed:
        pytest.skip("needs fonts-wqy-microhei (scripts/setup.sh installs it)")
    script = tmp_path / "family.py"
    script.write_text(textwrap.dedent("""
        from ui.kiosk.input_method import use_on_screen_keyboard
        use_on_screen_keyboard()
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from ui.shell.theme import chinese_font_family
        print("family", chinese_font_family())
    """), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if key not in ("QT_IM_MODULE", "FONTCONFIG_FILE")}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8", PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, env=env,
                          check=False)
    family = done.stdout.split("family ")[-1].strip()
    assert family in ("WenQuanYi Micro Hei", "文泉驿微米黑"), done.stdout + done.stderr


PAGES = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickWindow  # the keyboard's window is seen as what it is
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
    from ui.kiosk.screens import with_x_key
    from tests.ui.kiosk_probe import run_polling
    app = QApplication(sys.argv)
    page = QWidget()
    layout = QVBoxLayout(page)
    fields = {name: QLineEdit() for name in ("id-number", "prefers-numbers")}
    layout.addWidget(with_x_key(fields["id-number"]))  # as the registration's and the booking's ID number
    fields["prefers-numbers"].setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers | Qt.InputMethodHint.ImhLatinOnly)
    layout.addWidget(fields["prefers-numbers"])
    page.resize(1920, 1080)
    page.show()
    page.activateWindow()
    order, tries = list(fields), []

    def keyboard():
        for window in QGuiApplication.topLevelWindows():
            if isinstance(window, QQuickWindow):
                items = [window.contentItem()]
                while items:
                    item = items.pop()
                    if item.metaObject().indexOfProperty("layoutType") >= 0:
                        return item
                    items.extend(item.childItems())
        return None

    def poll():
        method = QGuiApplication.inputMethod()
        fields[order[0]].setFocus()
        method.show()
        tries.append(1)
        found = keyboard()
        if found is not None and method.isVisible() and len(tries) > 5 or len(tries) > 100:
            print(order.pop(0), "page", found.property("layoutType") if found is not None else None)
            tries.clear()
            if not order:
                return None
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
def test_an_id_number_opens_the_keyboard_on_its_digits_not_its_symbols(tmp_path: Path) -> None:
    """Qt's keyboard shows a field that prefers numbers its symbols page (1 2 3 … over @ # % & * _ - + ( ));
    an ID number's field opens its pad of big digits (the X is a key beside the field)."""
    done = on_xvfb(tmp_path, "pages", PAGES)
    assert "prefers-numbers page symbols" in done.stdout, done.stdout + done.stderr  # what the field opened on
    assert "id-number page digits" in done.stdout, done.stdout + done.stderr


CANDIDATES = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtQuick import QQuickItem  # the keyboard's items are seen as what they are
    from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
    from ui.kiosk.keyboard import KeyboardSpace, KeyboardText, find_keyboard
    from tests.ui.kiosk_probe import StandsStill, evaluate, pinyin_loaded, run_polling, tap_keys
    app = QApplication(sys.argv)
    page = QWidget()
    layout = QVBoxLayout(page)
    field = QLineEdit()
    layout.addWidget(field)
    space = KeyboardSpace(layout, page)
    from ui.kiosk.style import LARGE_FACTOR, text_px
    text = KeyboardText(LARGE_FACTOR, page, least=text_px(large=False), least_large=text_px(large=True))
    large_first = sys.argv[1] == "large-first"
    text.set_large(large_first)  # 大字 may be on before the keyboard was ever shown
    screen = QGuiApplication.primaryScreen().geometry()
    page.resize(screen.width(), screen.height())
    page.show()
    page.activateWindow()
    ROW = ("var v = wordCandidateView, out = []; for (var i = 0; i < v.contentItem.children.length; ++i) {"
           " var it = v.contentItem.children[i]; for (var j = 0; j < it.children.length; ++j) {"
           " var t = it.children[j]; if (t.font !== undefined && t.text) out.push(t.font.pixelSize) } }"
           " [v.count, v.height, out.length ? Math.min.apply(null, out) : 0,"
           "  out.length ? Math.max.apply(null, out) : 0].join(' ')")

    state = {"phase": "type", "tries": 0, "modes": [large_first, not large_first, large_first]}
    still = StandsStill(3)

    def poll():
        method = QGuiApplication.inputMethod()
        field.setFocus()
        method.show()
        keyboard = find_keyboard()
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up in", state["phase"])
            return None
        if keyboard is not None and method.isVisible():
            if state["phase"] == "type":
                if not pinyin_loaded(keyboard):  # pinyin still loading
                    return 100
                # z h a n g tapped on the keyboard: its pinyin offers 张 涨 长 …
                tap_keys(keyboard, "zhang")
                state["phase"] = "row"
            # measured once the keyboard stands still for a while (it slides in, grows or shrinks with the row)
            if still(method.keyboardRectangle()) and evaluate(keyboard, "wordCandidateView.count") > 0:
                count, height, smallest, largest = (float(n) for n in evaluate(keyboard, ROW).split())
                large = state["modes"].pop(0)
                print("large" if large else "normal", "count", int(count), "height", round(height, 2),
                      "font", int(smallest), int(largest), "keyboard",
                      round(method.keyboardRectangle().height()), "margin", layout.contentsMargins().bottom())
                if not state["modes"]:
                    print("field", repr(field.text()))
                    return None
                text.set_large(state["modes"][0])
                still.again()
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1920x1080", "1080x1920"])
@pytest.mark.parametrize("order", ["normal-first", "large-first"])
def test_the_pinyin_candidates_follow_large_text(tmp_path: Path, screen: str, order: str) -> None:
    """The row of characters pinyin offers is 1.5 times as tall and its characters 1.5 times as large (and as
    the page's large text at least) with 大字, whether it was on before the keyboard first came up or came on
    after; without it the row's characters are as large as the page's body text at least (Qt's own where they
    are). The keyboard grows and the page above it makes the room."""
    done = on_xvfb(tmp_path, "candidates", CANDIDATES, order, screen=screen)
    rows: dict[str, list[dict[str, float]]] = {"normal": [], "large": []}
    for line in done.stdout.splitlines():
        words = line.split()
        if words and words[0] in rows:
            rows[words[0]].append({"count": float(words[2]), "height": float(words[4]), "smallest": float(words[6]),
                                   "largest": float(words[7]), "keyboard": float(words[9]),
                                   "margin": float(words[11])})
    assert len(rows["normal"]) + len(rows["large"]) == 3, done.stdout + done.stderr
    for row in rows["normal"] + rows["large"]:
        assert row["count"] > 1 and row["smallest"] > 0, done.stdout  # candidates shown, their text measured
        assert row["margin"] >= row["keyboard"]  # the page ends above the keyboard, whatever its height
    normal, large = rows["normal"], rows["large"]
    for same in (normal, large):  # the row as it was each time its mode comes back
        assert all((row["height"], row["smallest"], row["largest"]) ==
                   (same[0]["height"], same[0]["smallest"], same[0]["largest"]) for row in same), done.stdout
    assert large[0]["height"] >= LARGE_FACTOR * normal[0]["height"] - 0.01, done.stdout
    assert large[0]["smallest"] >= LARGE_FACTOR * normal[0]["largest"] >= 1.5 * normal[0]["largest"], done.stdout
    assert large[0]["smallest"] >= text_px(large=True), done.stdout  # as the page's, on a keyboard drawn small
    assert normal[0]["smallest"] >= text_px(large=False), done.stdout
    assert large[0]["keyboard"] > normal[0]["keyboard"], done.stdout
    assert "field ''" in done.stdout  # the pinyin is still being composed: nothing was picked for the citizen


KIOSK_CANDIDATES = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication  # nothing of Qt Quick named before the keyboard comes, as on the kiosk
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import evaluate, kiosk_on_screen, pinyin_loaded, run_polling, tap_keys
    app, shell = kiosk_on_screen(sys.argv[1])
    if sys.argv[2] == "large":
        shell.large_button.click()  # 大字 on at the home page, before the keyboard was ever shown
    flow = shell.open_flow("register")
    ROW = ("var v = wordCandidateView, out = []; for (var i = 0; i < v.contentItem.children.length; ++i) {"
           " var it = v.contentItem.children[i]; for (var j = 0; j < it.children.length; ++j) {"
           " var t = it.children[j]; if (t.font !== undefined && t.text) out.push(t.font.pixelSize) } }"
           " [v.count, out.length ? Math.min.apply(null, out) : 0, v.height].join(' ')")
    state = {"typed": False, "tries": 0}

    def poll():
        method = QGuiApplication.inputMethod()
        flow.name.setFocus()
        method.show()
        keyboard = find_keyboard()
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up")
            return None
        if keyboard is not None and method.isVisible():
            if not state["typed"]:
                if not pinyin_loaded(keyboard):  # pinyin still loading
                    return 100
                tap_keys(keyboard, "zhang")  # its pinyin offers 张 涨 长 …
                state["typed"] = True
            elif evaluate(keyboard, "wordCandidateView.count") > 0:
                count, smallest, height = (float(n) for n in evaluate(keyboard, ROW).split())
                print("candidates", int(count), "font", int(smallest), "row", round(height))
                return None
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
@pytest.mark.parametrize("mode", ["normal", "large"])
def test_the_kiosks_pinyin_candidates_are_never_smaller_than_its_text(tmp_path: Path, screen: str, mode: str) -> None:
    """Without 大字 too, the characters pinyin offers on the kiosk are at least as large as the page's body text:
    standing up, Qt draws the whole keyboard smaller, its candidates 19 px. With 大字 turned on before the keyboard
    was ever shown they are as large as the page's large text from the first time it comes up (they were Qt's own
    19 px until 大字 was turned off and on again: the keyboard's window, first seen before Qt Quick was imported,
    was not searched)."""
    done = on_xvfb(tmp_path, "kiosk_candidates", KIOSK_CANDIDATES, str(tmp_path), mode, screen=screen)
    assert "candidates " in done.stdout, done.stdout + done.stderr
    count, font = int(done.stdout.split("candidates ")[1].split()[0]), int(done.stdout.split("font ")[1].split()[0])
    row = int(done.stdout.split("row ")[1].split()[0])
    large = mode == "large"
    assert count > 1 and font >= text_px(large=large), done.stdout
    assert row > font, done.stdout  # the row as tall as its characters need


ID_TAP = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import StandsStill, evaluate, kiosk_on_screen, pinyin_loaded, run_polling, tap_keys
    app, shell = kiosk_on_screen(sys.argv[1])
    flow = shell.open_flow("register")
    method = QGuiApplication.inputMethod()
    state = {"phase": "name", "tries": 0}
    standing = StandsStill(3)

    def tap(field, y):  # a finger on the window: pressed and lifted at one point of ``field``
        point = field.mapTo(shell, QPoint(field.width() // 3, y))
        QTest.mouseClick(shell.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point)

    def still():  # the keyboard and the page stand still (the keyboard slides in, grows with its row)
        return standing((method.isVisible(), method.keyboardRectangle(), flow.id_number.mapTo(shell, QPoint())))

    def poll():
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up in", state["phase"])
            return None
        keyboard = find_keyboard()
        if state["phase"] == "name":
            if not method.isVisible():
                tap(flow.name, flow.name.height() // 2)
            elif keyboard is not None and pinyin_loaded(keyboard):
                tap_keys(keyboard, "zhao")  # z h a o tapped on the keyboard, and the first of its characters picked
                if sys.argv[2] == "picked":
                    evaluate(keyboard, "InputContext.inputEngine.virtualKeyClick(Qt.Key_Space, ' ', 0)")
                state["phase"] = "id"
        elif state["phase"] == "id" and still():
            # the ID number's field as far as it shows above the keyboard (lying down, its upper edge)
            top = flow.id_number.mapTo(shell, QPoint()).y()
            keyboard_top = shell.height() - round(method.keyboardRectangle().height())
            seen = min(flow.id_number.height(), keyboard_top - top)
            print("seen", seen)
            if seen <= 0:
                return None
            tap(flow.id_number, seen // 2)
            state["phase"] = "after"
        elif state["phase"] == "after" and still():
            focus = QApplication.focusWidget()
            print("name", repr(flow.name.text()))
            print("focus", focus.accessibleName() if focus is not None else None, "keyboard", method.isVisible(),
                  "page", keyboard.property("layoutType") if keyboard is not None and method.isVisible() else None)
            return None
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1920x1080", "1080x1920"])
@pytest.mark.parametrize("name", ["picked", "composing"])
def test_one_tap_on_the_id_number_under_the_keyboard_brings_its_digits(tmp_path: Path, screen: str,
                                                                       name: str) -> None:
    """With the pinyin keyboard up over the name, one tap on the ID number's field (lying down only its upper
    edge shows above the keyboard) gives it the focus and the keyboard's digits. The keyboard goes at the press
    and comes back at the release if the field is still under the finger: the field was scrolled into view at
    the press, away from under the finger, and the keyboard stayed away until a second tap.
    Pinyin still being typed (no character picked) is dropped: the focus moved before the page saw the press
    and the keyboard put its first candidate into the name, a character the citizen never chose."""
    done = on_xvfb(tmp_path, "id_tap", ID_TAP, str(tmp_path), name, screen=screen)
    assert "name '" in done.stdout, done.stdout + done.stderr
    typed = done.stdout.split("name ")[1].split()[0]
    assert (typed != "''") if name == "picked" else (typed == "''"), done.stdout  # 找 picked; zhao not 找
    assert int(done.stdout.split("seen ")[1].split()[0]) > 0, done.stdout  # the field shows above the keyboard
    assert "focus 身份证号码 keyboard True page digits" in done.stdout, done.stdout + done.stderr


#: A probe's start: the kiosk on its screen (the folder its first argument), 自助登记 open, the input method at hand.
ON_REGISTRATION = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import StandsStill, evaluate, kiosk_on_screen, pinyin_loaded, run_polling
    app, shell = kiosk_on_screen(sys.argv[1])
    flow = shell.open_flow("register")
    method = QGuiApplication.inputMethod()
""")


KEY_SIZES = ON_REGISTRATION + textwrap.dedent("""
    # the keys that type (their cells, as laid out) and the size of the text on them
    KEYS = ("(function () { var cells = [], fonts = [];"
            " function walk(it) { if (it.keyType !== undefined && it.text && it.visible) cells.push(it);"
            "  if (it.font !== undefined && it.text && it.visible) fonts.push(it.font.pixelSize);"
            "  for (var i = 0; i < it.children.length; ++i) walk(it.children[i]) }"
            " walk(keyboardLayoutLoader.item);"
            " function least(values) { return Math.min.apply(null, values) }"
            " return [layoutType, least(cells.map(function (k) { return k.width })),"
            "  least(cells.map(function (k) { return k.height })), least(fonts)].join(' ')"
            "})()")
    fields = [flow.name, flow.id_number]
    state = {"tries": 0}
    still = StandsStill(4)

    def poll():
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up")
            return None
        fields[0].setFocus()
        method.show()
        keyboard = find_keyboard()
        standing = still((method.isVisible(), method.keyboardRectangle()))
        if keyboard is not None and method.isVisible() and standing:  # grown to its size, standing still
            page, width, height, font = evaluate(keyboard, KEYS).split()
            print("keys", fields.pop(0).accessibleName(), page, round(float(width)), round(float(height)),
                  round(float(font)), "keyboard", round(method.keyboardRectangle().height()))
            still.again()
            if not fields:
                return None
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
def test_the_keys_are_as_large_standing_up_as_lying_down(tmp_path: Path) -> None:
    """Qt's keyboard keeps its design's shape across the screen's width: standing up (1080 px wide) its keys and
    their text were 0.56 times as large as lying down, the ID number's pad of digits a third of the width with
    83 px keys under a half-empty page. Standing up the kiosk's keyboard is as tall as lying down."""
    keys: dict[tuple[str, str], dict[str, int]] = {}
    for screen in ("1920x1080", "1080x1920"):
        folder = tmp_path / screen
        folder.mkdir()
        done = on_xvfb(tmp_path, "keys", KEY_SIZES, str(folder), screen=screen)
        for line in done.stdout.splitlines():
            words = line.split()
            if words and words[0] == "keys":
                keys[screen, words[2]] = {"width": int(words[3]), "height": int(words[4]), "font": int(words[5]),
                                          "keyboard": int(words[7])}
        assert (screen, "digits") in keys and (screen, "main") in keys, done.stdout + done.stderr
    for page in ("digits", "main"):  # the ID number's pad, the name's letters
        lying, standing = keys["1920x1080", page], keys["1080x1920", page]
        assert standing["height"] >= lying["height"] - 1, keys  # 83 px a key standing up, 147 lying down
        assert standing["font"] >= lying["font"] >= text_px(large=False), keys  # 25 px standing up, 45 lying down
    # square digits, more than 15 mm at 0.275 mm a pixel (a 23.8" screen), the page keeping more than half the screen
    assert keys["1080x1920", "digits"]["width"] * 0.275 >= 15, keys
    assert keys["1080x1920", "main"]["keyboard"] <= 1920 // 2, keys


STANDS_STILL = textwrap.dedent("""
    import sys
    from pathlib import Path
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
    from db.engine import make_engine, sqlite_url
    from db.migrate import upgrade
    from desktop.domain.roles import WindowRole
    from desktop.services.context import Actor
    from tests.conftest import SECRETS, make_hall
    from ui.common.widgets import Header
    from ui.kiosk.body import kiosk_body
    from ui.kiosk.keyboard import find_keyboard
    from ui.shell.context import WindowContext
    from ui.shell.startup import HallSource
    from ui.shell.tasks import TaskManager
    from tests.ui.kiosk_probe import StandsStill, pinyin_loaded, run_polling, tap_keys
    app = QApplication(sys.argv)
    engine = make_engine(sqlite_url(Path(sys.argv[1]) / "hall.db"), key=SECRETS.database_key)
    upgrade(engine)
    source = HallSource.of(make_hall(engine))
    ctx = WindowContext(source, TaskManager(source), WindowRole("kiosk")).acting_as(Actor.kiosk("K01"))
    window = QWidget()  # as on the kiosk: the hall's name and the clock above the page
    column = QVBoxLayout(window)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(0)
    column.addWidget(Header("浦江县人民来访接待中心", "自助服务终端"))
    shell = kiosk_body(ctx)
    column.addWidget(shell, 1)
    window.setGeometry(QGuiApplication.primaryScreen().geometry())
    window.show()
    window.activateWindow()
    if sys.argv[2] == "large":
        shell.large_button.click()
    flow = shell.open_flow("register")
    method = QGuiApplication.inputMethod()
    # no keyboard; the name; pinyin typed in it (its row of candidates comes); the ID number and the phone (the
    # digits pad, no row); the name and the ID number again
    steps = ["none", "name", "typed", "id", "phone", "name", "id"]
    fields = {"name": flow.name, "id": flow.id_number, "phone": flow.phone}
    state = {"step": 0, "tries": 0}
    standing = StandsStill(5)

    def where():  # the fields' and 下一步's top on the screen
        return [w.mapTo(window, QPoint()).y() for w in (flow.name, flow.id_number, flow.phone, flow.next_button)]

    def still():  # the keyboard and the page stand still (the keyboard slides in, its row comes)
        return standing((method.isVisible(), method.keyboardRectangle(), tuple(where())))

    def poll():
        state["tries"] += 1
        if state["tries"] > 400:
            print("gave up at", steps[state["step"]])
            return None
        if still():
            step = steps[state["step"]]
            top = window.height() - (round(method.keyboardRectangle().height()) if method.isVisible() else 0)
            print("at", step, "keyboard", top, "ys", " ".join(map(str, where())))
            state["step"] += 1
            if state["step"] == len(steps):
                return None
            step = steps[state["step"]]
            if step == "typed":
                keyboard = find_keyboard()
                if not pinyin_loaded(keyboard):  # pinyin still loading
                    state["step"] -= 1
                else:
                    tap_keys(keyboard, "zhang")  # its row of candidates comes: 张 涨 长 …
            else:
                fields[step].setFocus()
                method.show()
            standing.again()
        return 100

    run_polling(app, poll, 300)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
@pytest.mark.parametrize("mode", ["normal", "large"])
def test_the_page_stands_still_as_the_keyboard_changes_between_letters_and_digits(tmp_path: Path, screen: str,
                                                                                  mode: str) -> None:
    """自助登记's first screen: the name typed in pinyin (the keyboard's row of candidates comes), then the ID
    number and the phone (its digits pad, no row), the name and the ID number again. 下一步 stays where it is the
    whole time, and a field typed in again is where it was (the page made room for the keyboard with its row
    once: 下一步 moved by the row's height under a finger going to tap it). Standing up, where the room suffices
    (normal text), the fields stay where they were before the keyboard came (the window's and the screen's titles
    gave their room anyway and the fields went up some 120 px) and all of them show above the keyboard."""
    done = on_xvfb(tmp_path, "stands_still", STANDS_STILL, str(tmp_path), mode, screen=screen, timeout=180)
    seen = [line.split() for line in done.stdout.splitlines() if line.startswith("at ")]
    assert len(seen) == 7, done.stdout + done.stderr
    steps = [(step, int(top), [int(y) for y in ys]) for _at, step, _k, top, _ys, *ys in seen]
    before, *typing = steps
    assert all(top < before[1] for _step, top, _ys in typing), done.stdout  # the keyboard up each time
    assert len({ys[3] for _step, _top, ys in typing}) == 1, done.stdout  # 下一步 never moved
    assert typing[0][2] == typing[1][2], done.stdout  # nothing moved as the row of candidates came
    assert typing[0][2] == typing[4][2] and typing[2][2] == typing[5][2], done.stdout  # the same field, the same place
    for step, top, ys in typing:  # the field typed in shows above the keyboard
        field = {"name": 0, "typed": 0, "id": 1, "phone": 2}[step]
        assert ys[field] >= 0 and ys[field] + 60 <= top, done.stdout
    if screen == "1080x1920":
        rises = {before[2][i] - ys[i] for _step, _top, ys in typing for i in range(3)}
        if mode == "normal":
            assert rises == {0}, done.stdout  # where they were
        else:
            # With 大字 the screen, its 住址 too, is taller than the room above the keyboard: it rises once, all its
            # fields together, by less than a field with its caption, and stands still from then on.
            assert len(rises) == 1 and 0 <= min(rises) < 160, done.stdout
        assert all(ys[3] + 60 <= top for _step, top, ys in typing), done.stdout  # 下一步 above the keyboard


KEYS_SHOWN = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import StandsStill, evaluate, kiosk_on_screen, pinyin_loaded, run_polling, tap_keys
    app, shell = kiosk_on_screen(sys.argv[1])
    if sys.argv[2] == "large":
        shell.large_button.click()
    flow = shell.open_flow("register")
    field = flow.name
    method = QGuiApplication.inputMethod()
    state = {"typed": False, "tries": 0}
    standing = StandsStill(5)
    # the words on the keys (each with how strong it is drawn), the syllable mark's and shift's
    WORDS = ("var out = [], items = [keyboard]; while (items.length) { var it = items.pop();"
             " if (it.objectName === 'keyWords' && it.visible) { var o = 1, p = it;"
             " while (p && p !== keyboard) { o *= p.opacity; p = p.parent } out.push([it.text, o]) }"
             " for (var j = 0; j < it.children.length; ++j) items.push(it.children[j]) } JSON.stringify(out)")
    # the row of candidates: those shown whole and those cut at its edges
    ROW = ("(function (v) { var shown = 0, cut = 0; for (var i = 0; i < v.contentItem.children.length; ++i) {"
           " var item = v.contentItem.children[i];"
           " if (item.soundEffect === undefined || !item.visible || item.width <= 0 || item.opacity <= 0) continue;"
           " var from = item.x - v.contentX, to = from + item.width; if (to <= 0 || from >= v.width) continue;"
           " if (from < -0.5 || to > v.width + 0.5) cut += 1; else shown += 1 }"
           " return JSON.stringify({count: v.count, whole: shown, cut: cut, gap: GAP(v)}) })(wordCandidateView)")
    # the least room between a candidate's characters and a separator beside them, in characters' sizes
    GAP = ("(function (v) { var items = [], least = 1e9;"
           " for (var i = 0; i < v.contentItem.children.length; ++i) { var item = v.contentItem.children[i];"
           " if (item.soundEffect === undefined || !item.visible || item.width <= 0) continue;"
           " var text = null, line = null; for (var j = 0; j < item.children.length; ++j) {"
           " var c = item.children[j]; if (c.objectName === 'candidate') text = c;"
           " else if (c.radius !== undefined && c.visible) line = c }"
           " if (text !== null) items.push({x: item.x, text: text, line: line}) }"
           " items.sort(function (a, b) { return a.x - b.x });"
           " for (var k = 0; k < items.length; ++k) { var it = items[k], size = it.text.font.pixelSize;"
           " if (it.line === null) continue;"
           " least = Math.min(least, (it.text.x - it.line.x - it.line.width) / size);"
           " if (k > 0) { var before = items[k - 1];"
           " var end = before.x + before.text.x + before.text.contentWidth;"
           " least = Math.min(least, (it.x + it.line.x - end) / size) } }"
           " return least })")
    ROW = ROW.replace("GAP(v)", GAP + "(v)")

    def still(keyboard):
        return standing((method.keyboardRectangle(), evaluate(keyboard, ROW)))

    def poll():
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up")
            return None
        field.setFocus()
        method.show()
        keyboard = find_keyboard()
        if keyboard is not None and method.isVisible():
            if not state["typed"]:
                if pinyin_loaded(keyboard):
                    print("words", evaluate(keyboard, WORDS))
                    tap_keys(keyboard, sys.argv[3])
                    state["typed"] = True
            elif still(keyboard):
                print("typing", evaluate(keyboard, WORDS))
                print("row", evaluate(keyboard, ROW))
                return None
        return 100

    run_polling(app, poll, 300)
""")


def _keys_shown(tmp_path: Path, screen: str, mode: str, letters: str) -> dict[str, Any]:
    """The words on the keys before and while ``letters`` are typed in pinyin in 自助登记's name, and the row of
    candidates then."""
    done = on_xvfb(tmp_path, "keys_shown", KEYS_SHOWN, str(tmp_path), mode, letters, screen=screen)
    assert "row " in done.stdout, done.stdout + done.stderr
    return {name: json.loads(done.stdout.split(f"{name} ")[1].splitlines()[0]) for name in ("words", "typing", "row")}


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
@pytest.mark.parametrize("mode", ["normal", "large"])
def test_the_key_left_of_z_says_what_it_does_and_the_candidates_show_whole(tmp_path: Path, screen: str,
                                                                          mode: str) -> None:
    """Typing pinyin (a name), the key left of z, where shift is over English letters, is pinyin's syllable mark:
    it says 分隔 under its mark, at half strength while no pinyin is typed (Qt drew the mark alone, then at a
    twentieth of its strength: a blank key). Pinyin offering more characters than the row holds, every
    candidate shown is shown whole (the last was cut at the row's right edge), the rest a swipe away."""
    shown = _keys_shown(tmp_path, screen, mode, "wang")
    assert [text for text, _strength in shown["words"]] == ["分隔"], shown
    assert shown["words"][0][1] >= 0.5 and shown["typing"] == [["分隔", 1]], shown
    row = shown["row"]
    assert row["count"] > row["whole"] > 1 and row["cut"] == 0, row


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
@pytest.mark.parametrize("mode", ["normal", "large"])
def test_words_of_two_characters_stand_clear_of_the_rows_separators(tmp_path: Path, screen: str, mode: str) -> None:
    """以来, 依赖, 一来: a candidate of two characters keeps at least half a character's room from the separator
    at either side of it, with 大字 too."""
    row = _keys_shown(tmp_path, screen, mode, "yilai")["row"]
    assert row["whole"] > 1 and 0.5 <= row["gap"] < 1e9, row


def test_what_a_physical_key_does_while_the_keyboard_writes_pinyin() -> None:
    from PySide6.QtCore import Qt

    def use(key: Qt.Key, text: str, *, composing: bool, plain: bool = True) -> KeyUse | None:
        return pinyin_key_use(key.value, text, plain=plain, composing=composing)

    for composing in (False, True):  # a small letter starts a syllable or goes on with it
        assert use(Qt.Key.Key_W, "w", composing=composing) == KeyUse(key=Qt.Key.Key_W.value, text="w")
        assert use(Qt.Key.Key_W, "W", composing=composing) is None  # a capital goes in as it is
        assert use(Qt.Key.Key_W, "w", composing=composing, plain=False) is None  # Ctrl+W and the like
    assert use(Qt.Key.Key_2, "2", composing=True) == KeyUse(choose=1)
    assert use(Qt.Key.Key_9, "9", composing=True) == KeyUse(choose=8)
    assert use(Qt.Key.Key_0, "0", composing=True) is None
    assert use(Qt.Key.Key_Space, " ", composing=True) == KeyUse(choose=0)
    assert use(Qt.Key.Key_Apostrophe, "'", composing=True) == KeyUse(key=Qt.Key.Key_Apostrophe.value, text="'")
    assert use(Qt.Key.Key_Backspace, "\b", composing=True) == KeyUse(key=Qt.Key.Key_Backspace.value)
    assert use(Qt.Key.Key_Enter, "\r", composing=True) == KeyUse(key=Qt.Key.Key_Return.value, text="\r")
    assert use(Qt.Key.Key_Escape, "\x1b", composing=True) == KeyUse(drop=True)
    for key, text in ((Qt.Key.Key_2, "2"), (Qt.Key.Key_Space, " "), (Qt.Key.Key_Apostrophe, "'"),
                      (Qt.Key.Key_Backspace, "\b"), (Qt.Key.Key_Return, "\r"), (Qt.Key.Key_Escape, "\x1b")):
        assert use(key, text, composing=False) is None  # nothing being written: the key does what it always does
    for composing in (False, True):  # Chinese text's own marks
        assert use(Qt.Key.Key_Comma, ",", composing=composing) == KeyUse(key=Qt.Key.Key_Comma.value, text="，")
        assert use(Qt.Key.Key_Period, ".", composing=composing) == KeyUse(key=Qt.Key.Key_Period.value, text="。")
    assert use(Qt.Key.Key_Minus, "-", composing=True) is None


PHYSICAL = textwrap.dedent("""
    import sys
    from ui.kiosk.input_method import use_on_screen_keyboard
    use_on_screen_keyboard()
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QGuiApplication, QKeyEvent
    from PySide6.QtWidgets import QApplication
    from ui.kiosk.keyboard import find_keyboard
    from tests.ui.kiosk_probe import kiosk_on_screen, run_polling
    app, shell = kiosk_on_screen(sys.argv[1])
    flow = shell.open_flow("register")
    method = QGuiApplication.inputMethod()
    state = {"tries": 0, "at": 1000}
    NAMED = {"'": Qt.Key.Key_Apostrophe, " ": Qt.Key.Key_Space, "<": Qt.Key.Key_Backspace,
             "!": Qt.Key.Key_Escape, "\\n": Qt.Key.Key_Return}

    def keys(typed, gap):
        # each key pressed and released on a physical keyboard, `gap` ms after the one before (its own clock)
        for char in typed:
            key = NAMED.get(char) or Qt.Key(ord(char.upper()))
            text = {"<": "\\b", "!": "\\x1b", "\\n": "\\r"}.get(char, char)
            state["at"] += gap
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, text)
                event.setTimestamp(state["at"])
                QApplication.sendEvent(QApplication.focusWidget(), event)
            app.processEvents()

    def row():
        physical = shell._physical
        return str(physical.ask("candidates", 9)).split("\\n") if physical is not None else []

    def poll():
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up")
            return None
        flow.name.setFocus()
        if not shell.filtering:
            return 100
        if "typed" not in state:  # keys before any tap: the keyboard was never shown, they wait for it
            keys("li ", 120)
            state["typed"] = shell._physical is not None and bool(shell._physical._waiting)
        if "before" not in state:
            if shell._physical is not None and shell._physical._waiting:
                return 50
            state["before"] = flow.name.text()
            flow.name.clear()
        method.show()
        if not (find_keyboard() is not None and method.isVisible()):
            return 100
        keys("wang", 120)
        offered = row()
        keys("2", 150)  # the second candidate
        keys("xiao", 110)
        first = row()[0]
        keys(" ", 130)  # the first
        keys("mingg<", 100)
        keys("\\n", 140)  # the letters as they are
        keys("zhang!", 100)  # given up
        print("offered", "|".join(offered[:3]), "first", first)
        print("name", repr(flow.name.text()))
        flow.name.clear()
        keys("hao,", 120)
        state["at"] += 150
        shift = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.ShiftModifier, "")
        shift.setTimestamp(state["at"])  # Shift pressed by a hand a few ms before its key
        QApplication.sendEvent(QApplication.focusWidget(), shift)
        state["at"] -= 120
        keys("?", 125)
        print("marked", repr(flow.name.text()))
        print("before", repr(state["before"]), "waited", state["typed"])
        flow.name.clear()
        keys("h", 400)
        keys("ttps://u.example.com/abc", 4)  # a scanner's code: a machine types it
        print("scanned", repr(flow.name.text()))
        flow.name.clear()
        method.show()
        keys("https://example.com/abc?x=1\\n", 4)  # another system's code, scanned: refused in words, in view
        print("refused", method.isVisible(), repr(flow.message.text()), repr(flow.name.text()))
        flow.id_number.setFocus()
        keys("11010519491231002x", 120)
        print("id", repr(flow.id_number.text()))
        return None

    run_polling(app, poll)
""")


@NEEDS_XVFB
def test_a_physical_keyboard_writes_pinyin_and_a_scanner_its_letters(tmp_path: Path) -> None:
    """A kiosk with a metal keyboard: its letters write pinyin with the on-screen keyboard's candidates (Qt's
    keyboard takes no pinyin from a keyboard's keys; each letter came out as a character the citizen never chose,
    wang as 我啊你个). A digit chooses the candidate of its place, space the first, Backspace takes a letter back,
    Enter writes the letters, Escape gives them up. A scanner's code, typed by a machine, goes in as it is, and
    a field of letters and digits takes its keys as they come."""
    done = on_xvfb(tmp_path, "physical", PHYSICAL, str(tmp_path))
    assert "id '" in done.stdout, done.stdout + done.stderr
    offered = done.stdout.split("offered ")[1].split()[0].split("|")
    first = done.stdout.split(" first ")[1].split()[0]
    name = done.stdout.split("name ")[1].splitlines()[0]
    assert len(offered) == 3 and all(len(c) == 1 and "\u4e00" <= c <= "\u9fff" for c in offered), done.stdout
    assert name == repr(offered[1] + first + "ming"), done.stdout
    assert "scanned 'https://u.example.com/abc'" in done.stdout, done.stdout
    # another system's code scanned into a field: refused in words, the keyboard gone from over them, the field
    # left as it was
    assert "refused False '这不是本系统回执上的二维码" in done.stdout, done.stdout
    assert done.stdout.split("refused ")[1].splitlines()[0].endswith(" ''"), done.stdout
    marked = done.stdout.split("marked ")[1].split()[0]  # a comma after pinyin: the first candidate, then ，
    assert len(marked) == 5 and "\u4e00" <= marked[1] <= "\u9fff" and marked[2:4] == "，？", done.stdout
    before = done.stdout.split("before ")[1].split()[0]  # typed before the keyboard was ever shown
    assert len(before) == 3 and "\u4e00" <= before[1] <= "\u9fff", done.stdout
    assert "id '11010519491231002" in done.stdout and "id '11010519491231002'" not in done.stdout, done.stdout


LANGUAGE = ON_REGISTRATION + textwrap.dedent("""
    # the keyboard's language key, if any is shown, and what its language function may do
    KEY = ("(function () { var shown = 0, items = [keyboard]; while (items.length) { var it = items.pop();"
           " if (it.objectName === 'changeLanguageKey' && it.visible) shown += 1;"
           " for (var j = 0; j < it.children.length; ++j) items.push(it.children[j]) }"
           " return JSON.stringify({shown: shown, locale: keyboard.locale,"
           " change: keyboard.isKeyboardFunctionAvailable(QtVirtualKeyboard.KeyboardFunction.ChangeLanguage, false)})"
           " })()")

    def poll():  # until the keyboard is up with its pinyin (the test's time limit, should it never come)
        flow.name.setFocus()
        method.show()
        keyboard = find_keyboard()
        if keyboard is None or not method.isVisible() or not pinyin_loaded(keyboard):
            return 100
        print("keys", evaluate(keyboard, KEY))
        # the next citizen: the language as the last one left it, whatever that was
        evaluate(keyboard, "keyboard.doKeyboardFunction(QtVirtualKeyboard.KeyboardFunction.ChangeLanguage, false)")
        print("after", evaluate(keyboard, KEY))
        return None

    run_polling(app, poll, 300)
""")


@NEEDS_XVFB
def test_the_keyboard_writes_chinese_alone_with_no_language_key_to_leave_to_the_next_citizen(tmp_path: Path) -> None:
    """Qt's keyboard has a globe key offering every language it was built with (svenska, Türkçe, українська …), and
    the one a citizen chose stayed for the next, who found a Cyrillic keyboard and no Chinese word to get back.
    The kiosk's keyboard has 简体中文 alone (its pinyin, with English letters and digits on its own keys): no globe
    key is shown, and asking the keyboard for another language leaves it in Chinese."""
    done = on_xvfb(tmp_path, "language", LANGUAGE, str(tmp_path))
    assert "after " in done.stdout, done.stdout + done.stderr
    keys = json.loads(done.stdout.split("keys ")[1].splitlines()[0])
    after = json.loads(done.stdout.split("after ")[1].splitlines()[0])
    assert keys == {"shown": 0, "locale": "zh_CN", "change": False}, keys
    assert after["locale"] == "zh_CN", after


PADS = ON_REGISTRATION + textwrap.dedent("""
    # the keys drawn on the keyboard's layout (text, or their type for a function key), each with its place; the
    # globe keys shown; whether the key of pinyin's syllable mark draws anything
    KEYS = ("(function () { var keys = [], globes = 0, mark = null, gears = 0;"
            " function drawn(it) { if (!it.visible || it.opacity <= 0 || it.width <= 0) return false;"
            "  if ((it.color !== undefined && it.radius !== undefined && it.color.a > 0)"
            "      || (it.font !== undefined && it.text)) return true;"
            "  for (var i = 0; i < it.children.length; ++i) if (drawn(it.children[i])) return true; return false }"
            " function walk(it) { if (it.keyType !== undefined && it.visible && it.keyPanelDelegate) {"
            "   var at = it.mapToItem(keyboard, 0, 0);"
            "   keys.push([it.text || ('type' + it.keyType), Math.round(at.y), Math.round(at.x)]);"
            "   if (it.objectName === 'changeLanguageKey') globes += 1;"
            "   if (it.smallText === '\\u2699' && it.smallTextVisible) gears += 1;"
            "   if (it.key === Qt.Key_Apostrophe) { mark = false;"
            "    for (var j = 0; j < it.children.length; ++j) if (drawn(it.children[j])) mark = true } }"
            "  for (var i = 0; i < it.children.length; ++i) walk(it.children[i]) }"
            " walk(keyboardLayoutLoader.item);"
            " return JSON.stringify({keys: keys, globes: globes, mark: mark, gears: gears}) })()")
    progress = None
    fields = [flow.id_number, flow.phone]
    state = {"tries": 0}
    still = StandsStill(4)

    def poll():
        global progress
        state["tries"] += 1
        if state["tries"] > 300:
            print("gave up")
            return None
        fields[0].setFocus()
        method.show()
        keyboard = find_keyboard()
        standing = still((method.isVisible(), method.keyboardRectangle(), evaluate(keyboard, "keyboard.layout")
                          if keyboard is not None else ""))
        if keyboard is not None and method.isVisible() and standing:
            print("pad", fields.pop(0).accessibleName(), evaluate(keyboard, KEYS))
            still.again()
            if not fields and progress is None:  # the case number's letters, on 进度查询
                shell.go_home()
                progress = shell.open_flow("progress")
                fields.extend([progress.code, progress.number])
            if not fields:
                return None
        return 100

    run_polling(app, poll)
""")


@NEEDS_XVFB
@pytest.mark.parametrize("screen", ["1080x1920", "1920x1080"])
def test_every_pad_of_digits_is_a_phones_with_no_key_that_does_nothing(tmp_path: Path, screen: str) -> None:
    """The query code's pad of digits was a calculator's (7 8 9 on top), the phone number's a phone's (1 2 3 on
    top): every pad is a phone's, as the elderly know it from phones and the bank's machines. Qt's pad of digits
    showed a globe key, disabled (the keyboard has one language), and a decimal point; the phone's * and #: each
    pad has its digits, ⌫, the key putting the keyboard away and ↵, nothing else. Typing a case number's letters,
    the key left of z (pinyin's syllable mark) does nothing and is not drawn: it was a blank key; nor is the gear
    Qt draws on the comma key."""
    done = on_xvfb(tmp_path, "pads", PADS, str(tmp_path), screen=screen)
    pads = {line.split()[1]: json.loads(line.split(maxsplit=2)[2]) for line in done.stdout.splitlines()
            if line.startswith("pad ")}
    assert set(pads) == {"身份证号码", "手机号码", "查询码", "案件编号"}, done.stdout + done.stderr
    for name in ("身份证号码", "手机号码", "查询码"):
        keys = sorted(pads[name]["keys"], key=lambda key: (key[1], key[2]))  # in reading order
        digits = "".join(text for text, _y, _x in keys if text.isdigit())
        assert digits == "1234567890", (name, keys)
        others = [text for text, _y, _x in keys if not text.isdigit()]
        # ⌫, the key putting the keyboard away, ↵ ("\n"): no space, point, * or #
        assert len(others) == 3 and all(text.startswith("type") or not text.strip() for text in others), (name, keys)
        assert " " not in others, (name, keys)
        assert pads[name]["globes"] == 0, (name, pads[name])
    letters = pads["案件编号"]
    assert letters["mark"] is False and letters["globes"] == 0, letters
    # Qt's gear on the comma key (settings a kiosk does not offer) is not drawn: citizens read it as settings
    assert letters["gears"] == 0, letters
    assert any(text.lower() == "z" for text, _y, _x in letters["keys"]), letters
