// Every pad of digits on the kiosk a phone's (PhonePadLayout.qml). Made by ui/kiosk/keyboard.py beside the keyboard.
// The keyboard chooses its layout by the field's hints (digits.qml for digits, dialpad.qml for a phone number) and
// writes the file's address in its `layout`, which its loader follows: either of those two is replaced by the
// kiosk's own, as it is chosen. Letters, pinyin and symbols stay the keyboard's own.

import QtQuick

QtObject {
    id: pad
    required property var style
    required property Item keyboard
    readonly property string layout: Qt.resolvedUrl("PhonePadLayout.qml").toString()

    function follow() {
        if (/\/(digits|dialpad)\.qml$/.test(String(pad.keyboard.layout)))
            pad.keyboard.layout = pad.layout
    }

    property Connections watch: Connections {
        target: pad.keyboard
        function onLayoutChanged() { pad.follow() }
    }

    Component.onCompleted: follow()
}
