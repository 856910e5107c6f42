// The keyboard's keys as large standing up as lying down. Made by ui/kiosk/keyboard.py for the keyboard's style.
// Qt's keyboard keeps the shape its style was designed in (2560 × 800 units in Qt's default style) and fills the
// screen's width: standing up, on a screen 1080 px wide, its keys and their text were drawn 0.56 times as large as
// on the same screen lying down (a pad of digits 83 px a key, a third of the width, under a half-empty page).
// Standing up (`stand`, the height over the width of the keyboard's window, which covers its screen, above 1)
// the style's documented design width is taken as that many times narrower: the keyboard is as tall, its keys
// and text as large, as lying down. Lying down the style's own stays (or comes back, the screen turned).

import QtQuick

QtObject {
    id: keys
    required property var style
    required property Item keyboard
    readonly property real stand: keyboard.Window.width > 0 ? keyboard.Window.height / keyboard.Window.width : 1
    // The style's own design width, taken while it is its own.
    property real designWidth: 0

    Component.onCompleted: designWidth = style.keyboardDesignWidth

    property Binding width: Binding {
        target: keys.style
        property: "keyboardDesignWidth"
        value: keys.designWidth / keys.stand
        when: keys.designWidth > 0 && keys.stand > 1
        restoreMode: Binding.RestoreBindingOrValue
    }
}
