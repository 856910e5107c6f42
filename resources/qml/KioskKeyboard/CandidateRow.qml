// The keyboard's row of candidates (the characters pinyin offers) in the kiosk's large-text mode (大字).
// Made by ui/kiosk/keyboard.py for the keyboard's style: while `large` is set the row is `factor` times as
// tall and its characters as large, and those at least `least` pixels (the page's own large text: a keyboard
// standing up is drawn smaller); when it is cleared the style's own height and delegate come back.
// The delegate draws a candidate with the measures of Qt's default style, multiplied.

import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

QtObject {
    id: row
    required property var style
    property bool large: false
    property real factor: 1.5
    property real least: 0
    // The style's own height in its design units (85 in Qt's default style), taken while it is its own.
    property real designHeight: 85

    Component.onCompleted: {
        if (!large && style.scaleHint > 0)
            designHeight = style.selectionListHeight / style.scaleHint
    }

    // the default style's sizes (its characters 44 of its units) in the row's
    readonly property real unit: Math.max(style.scaleHint * factor, least / 44)

    property Binding height: Binding {
        target: row.style
        property: "selectionListHeight"
        value: row.designHeight * row.unit
        when: row.large
        restoreMode: Binding.RestoreBindingOrValue
    }
    property Binding delegate: Binding {
        target: row.style
        property: "selectionListDelegate"
        value: row.candidate
        when: row.large
        restoreMode: Binding.RestoreBindingOrValue
    }

    property Component candidate: Component {
        SelectionListItem {
            id: item
            width: Math.round(label.width + label.anchors.leftMargin * 2)
            Text {
                id: label
                objectName: "candidate"
                anchors.left: parent.left
                anchors.leftMargin: Math.round((row.style.compactSelectionList ? 50 : 140) * row.unit)
                anchors.verticalCenter: parent.verticalCenter
                text: wordCompletionLength > 0
                      ? display.slice(0, -wordCompletionLength) + "<u>" + display.slice(-wordCompletionLength) + "</u>"
                      : display
                color: row.style.selectionListTextColor || "white"
                opacity: 0.9
                font {
                    family: row.style.fontFamily || "sans-serif"
                    weight: Font.Normal
                    // at least `factor` times the characters of the style's own delegate, whole pixels both
                    pixelSize: Math.ceil(Math.max(Math.ceil(44 * row.style.scaleHint) * row.factor, row.least))
                }
            }
            Rectangle {
                visible: index > 0  // between candidates, none before the first
                width: 4 * row.unit
                height: 36 * row.unit
                radius: 2
                color: row.style.selectionListSeparatorColor || "gray"
                anchors.verticalCenter: parent.verticalCenter
                anchors.right: parent.left
            }
            states: State {
                name: "current"
                when: item.ListView.isCurrentItem
                PropertyChanges {
                    target: label
                    opacity: 1
                }
            }
        }
    }
}
