// Pinyin from a physical keyboard. Made by ui/kiosk/keyboard.py beside the on-screen keyboard.
// Qt's keyboard takes no pinyin from a keyboard's keys (it commits what it is writing at the first one, and the
// letters go into the field as letters): a kiosk with a metal keyboard had no way to write a Chinese name.
// The kiosk hands a key's letter to the keyboard's own input engine here, as a tap on its key would, and the
// candidates come on the screen's row as for a tap; space, a digit, Enter and Escape choose or give up.

import QtQuick
import QtQuick.VirtualKeyboard

QtObject {
    // whether the keyboard writes pinyin now (not its English letters, digits or symbols)
    function pinyin() {
        return InputContext.inputEngine.inputMode === InputEngine.InputMode.Pinyin
    }

    // whether letters are being written (shown in the field, no character chosen yet)
    function composing() {
        return InputContext.preeditText.length > 0
    }

    // the letters being written
    function preedit() {
        return InputContext.preeditText
    }

    // the key `key` (a Qt.Key) with its text, as a tap on the keyboard's key gives it
    function click(key, text) {
        return InputContext.inputEngine.virtualKeyClick(key, text, Qt.NoModifier)
    }

    // the candidate `index` of the row (0 the first), if there is one
    function choose(index) {
        var list = InputContext.inputEngine.wordCandidateListModel
        if (index < 0 || index >= list.count)
            return false
        list.selectItem(index)
        return true
    }

    // the candidates offered now, the first `count` (for the kiosk's checks)
    function candidates(count) {
        var list = InputContext.inputEngine.wordCandidateListModel
        var shown = []
        for (var i = 0; i < Math.min(list.count, count); ++i)
            shown.push(list.dataAt(i))
        return shown.join("\n")
    }
}
