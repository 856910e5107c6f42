// Words on the key a citizen could not read. Made by ui/kiosk/keyboard.py for the keyboard's style.
// Typing pinyin, the key left of z (where shift is over English letters: Chinese has no capitals) is pinyin's
// syllable mark ', which parts syllables that would run together (xi'an 西安, not xian 先). Qt draws it as its
// mark alone on a letter's dark face, and at a twentieth of its strength while no pinyin is being typed (the
// key is off then): a blank key. Here it has the function keys' lighter face and says 分隔 under its mark, at
// half strength while it is off. The style's own panel draws every other key (and comes back should this
// object go). Typing English letters (a case number), where the key does nothing, it is not drawn at all. The
// comma key loses the gear Qt draws on it.

import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

QtObject {
    id: words
    required property var style
    // The style's own panel for a key, taken while it is its own.
    property Component ownKey: null

    Component.onCompleted: ownKey = style.keyPanel

    property Binding keyBinding: Binding {
        target: words.style
        property: "keyPanel"
        value: words.key
        when: words.ownKey !== null
        restoreMode: Binding.RestoreBindingOrValue
    }

    // a key's words in the style's key text, `unit` its scale
    component Words: Text {
        required property real unit
        anchors.horizontalCenter: parent.horizontalCenter
        color: words.style.keyTextColor || "white"
        font {
            family: words.style.fontFamily || "sans-serif"
            weight: Font.Normal
            pixelSize: Math.round(48 * unit)
        }
    }

    // every key: the syllable mark with its word, any other key as the style draws it
    property Component key: Component {
        KeyPanel {
            id: panel
            readonly property bool apostrophe: control !== null && control.key === Qt.Key_Apostrophe
            readonly property bool mark: apostrophe
                                         && InputContext.inputEngine.inputMode === InputEngine.InputMode.Pinyin
            // typing English letters (a case number), the key left of z does nothing (it writes pinyin's mark
            // alone): not drawn, a gap where a blank key stood
            readonly property bool idle: apostrophe && !mark
            soundEffect: own.item ? own.item.soundEffect : ""
            // Qt marks its comma key with a gear (⚙, a long press for settings a kiosk does not offer): a citizen
            // read it as the keyboard's settings. The comma is written without it.
            Binding {
                target: panel.control
                property: "smallTextVisible"
                value: false
                when: panel.control !== null && panel.control.smallText === "\u2699"
            }
            Loader {
                id: own
                anchors.fill: parent
                sourceComponent: panel.mark || panel.idle ? null : words.ownKey
                onLoaded: item.control = Qt.binding(function() { return panel.control })
            }
            Rectangle {
                visible: panel.mark
                radius: 5
                color: words.style.highlightedKeyBackgroundColor || "#4f5b62"
                anchors.fill: parent
                anchors.margins: Math.round(8 * words.style.scaleHint)
                opacity: panel.control && panel.control.pressed ? 0.8 : 1
                Column {
                    anchors.centerIn: parent
                    opacity: panel.control && panel.control.enabled ? 1 : 0.5
                    Words {
                        text: "'"
                        unit: words.style.scaleHint * 1.5
                    }
                    Words {
                        objectName: "keyWords"
                        text: "分隔"
                        unit: words.style.scaleHint
                    }
                }
            }
        }
    }
}
