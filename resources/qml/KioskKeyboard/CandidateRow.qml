// The keyboard's row of candidates (the characters pinyin offers), following the kiosk's text sizes.
// Made by ui/kiosk/keyboard.py for the keyboard's style. Its characters are never smaller than the page's body
// text (`least`): where the style draws them smaller (in its own scale Qt's default style draws them 19 px on a
// keyboard 1080 px wide; the kiosk's, standing up, is drawn as large as lying down by KeySize.qml: 33 px) the
// row is made as tall as they need. While `large` is set (大字) the row is
// `factor` times as tall and its characters as large, and those at least `leastLarge` pixels (the page's own
// large text). Elsewhere the style's own height stays (or comes back).
// The delegate draws a candidate with the measures of Qt's default style, multiplied, and only whole: a candidate
// the row's edge would cut is not shown until a swipe brings it in whole.

import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Styles

QtObject {
    id: row
    required property var style
    property bool large: false
    property real factor: 1.5
    property real least: 0
    property real leastLarge: 0
    // The style's own height in its design units (85 in Qt's default style), taken while it is its own.
    property real designHeight: 85
    // the row binds the style only once its design height was taken
    property bool ready: false

    Component.onCompleted: {
        if (style.scaleHint > 0)
            designHeight = style.selectionListHeight / style.scaleHint
        ready = true
    }

    // how much larger than the style's own, and the least pixel size of a character, in the mode shown
    readonly property real scale: large ? factor : 1
    readonly property real floor: large ? leastLarge : least
    // the row's own in place of the style's: with 大字, or where the style's characters are too small
    readonly property bool active: ready && (large || Math.ceil(44 * style.scaleHint) < least)
    // the default style's sizes (its characters 44 of its units) in the row's
    readonly property real unit: Math.max(style.scaleHint * scale, floor / 44)

    property Binding height: Binding {
        target: row.style
        property: "selectionListHeight"
        value: row.designHeight * row.unit
        when: row.active
        restoreMode: Binding.RestoreBindingOrValue
    }
    // the row's delegate always: it shows a candidate only whole (see `whole`)
    property Binding delegate: Binding {
        target: row.style
        property: "selectionListDelegate"
        value: row.candidate
        when: row.ready
        restoreMode: Binding.RestoreBindingOrValue
    }

    property Component candidate: Component {
        SelectionListItem {
            id: item
            width: Math.round(label.width + label.anchors.leftMargin * 2)
            // Shown only whole: the row's last candidate was cut at its right edge, part of a character showing.
            // The rest are a swipe away (the row snaps to whole candidates).
            readonly property var view: ListView.view
            readonly property bool whole: !view || (x >= view.contentX - 0.5
                                                    && x + width <= view.contentX + view.width + 0.5)
            visible: whole
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
                    // `scale` times the characters of the style's own delegate, at least `floor`, whole pixels
                    pixelSize: Math.ceil(Math.max(Math.ceil(44 * row.style.scaleHint) * row.scale, row.floor))
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
