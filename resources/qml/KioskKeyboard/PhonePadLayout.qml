// The kiosk's one pad of digits, laid out as a phone's: 1 2 3 on top. Made the keyboard's layout by PhonePad.qml
// for every field of digits (an ID number, a query code, a phone number).
// Qt's keyboard has two pads: a calculator's (7 8 9 on top, with a decimal point and a globe key that, with one
// language, could only be shown disabled) for digits, a phone's (with * and #) for phone numbers. The elderly know
// a phone's, from their phones and the bank's machines; a query code typed on the calculator's came out 7 for 1.
// Here every key does something: the digits, ⌫, the key that puts the keyboard away and ↵, nothing else.

import QtQuick
import QtQuick.Layouts
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Components
import QtQuick.VirtualKeyboard.Plugins

KeyboardLayout {
    inputMethod: PlainInputMethod {}
    inputMode: InputEngine.InputMode.Numeric

    component Digit: Key {
        required property int digit
        key: Qt.Key_0 + digit
        text: String(digit)
    }

    KeyboardColumn {
        Layout.fillWidth: false
        Layout.fillHeight: true
        Layout.alignment: Qt.AlignHCenter
        Layout.preferredWidth: height
        KeyboardRow {
            Digit { digit: 1 }
            Digit { digit: 2 }
            Digit { digit: 3 }
            BackspaceKey {}
        }
        KeyboardRow {
            Digit { digit: 4 }
            Digit { digit: 5 }
            Digit { digit: 6 }
            FillerKey {}
        }
        KeyboardRow {
            Digit { digit: 7 }
            Digit { digit: 8 }
            Digit { digit: 9 }
            HideKeyboardKey {
                visible: true
            }
        }
        KeyboardRow {
            FillerKey {}
            Digit { digit: 0 }
            FillerKey {}
            EnterKey {}
        }
    }
}
