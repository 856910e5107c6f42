// The keyboard's one language. Made by ui/kiosk/keyboard.py beside the on-screen keyboard.
// Qt's keyboard offers every language it was built with behind its globe key (svenska, Türkçe, українська …), and
// the one chosen stays for whoever comes next: a citizen who tapped it by chance left the next one a Cyrillic
// keyboard, with no word of Chinese to find the way back. At the kiosk the keyboard writes 简体中文 (pinyin; English
// letters are typed as pinyin and written as they are with ↵; digits on &123) and nothing else: the globe key is gone.

import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

QtObject {
    required property var style  // made with the keyboard's style, and gone with it; set once for the keyboard
    readonly property string language: "zh_CN"

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = [language]
        VirtualKeyboardSettings.locale = language
        // the keys that hide the keyboard stay; the language key goes
        VirtualKeyboardSettings.visibleFunctionKeys = QtVirtualKeyboard.KeyboardFunctionKeys.Hide
    }
}
