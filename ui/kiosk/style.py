"""The kiosk's look in its four modes: normal or large text (适老化, 1.5×), normal or high contrast.

Sizes are in pixels, chosen for a 24" 1920×1080 touch screen (≈ 0.28 mm a pixel): text at
least 26 px, buttons at least 96 px high (≈ 27 mm), well above the 15 mm touch floor.
The style sheet is set on the kiosk's own page, so it wins over the application's.
"""

from __future__ import annotations

from typing import Final

#: How much larger the large-text mode is (≥ 1.5× as the 适老化 guidelines ask).
LARGE_FACTOR: Final = 1.5
#: The smallest touch target, in pixels (15 mm at a 24" 1080p screen is ≈ 54 px; we keep far above).
TOUCH_MIN: Final = 96
#: What nothing that is touched may be narrower than: 15 mm (a scroll bar, whose arrows are tapped).
TOUCH_FLOOR: Final = 56
BASE_TEXT: Final = 26
#: The coming days' hours, read at arm's length (px, before large text's factor); on two lines beside the
#: tiles of a landscape screen, a little smaller (still above the body text's 1.5 times with 大字).
HOURS_TEXT: Final = 34
HOURS_TIGHT: Final = 30
#: A home tile's least height, the same in every mode: the tiles share the screen's height, and six
#: with large text must fit one above the other on a portrait screen.
TILE_MIN: Final = 2 * TOUCH_MIN

_NORMAL = {"bg": "#f4f6f9", "fg": "#1b2733", "muted": "#3d4b59", "accent": "#1f5fa8", "on_accent": "#ffffff",
           "tile": "#ffffff", "tile_border": "#c9d6e4", "field": "#ffffff", "field_border": "#7d8fa3",
           "bar": "#12355b", "on_bar": "#ffffff", "error_bg": "#fdecea", "error_fg": "#8c1d18",
           "ok_bg": "#e7f4ec", "ok_fg": "#14532d", "notice_bg": "#fff4d6", "notice_fg": "#5c3900"}
_CONTRAST = {"bg": "#000000", "fg": "#ffffff", "muted": "#ffffff", "accent": "#ffd800", "on_accent": "#000000",
             "tile": "#000000", "tile_border": "#ffd800", "field": "#000000", "field_border": "#ffffff",
             "bar": "#000000", "on_bar": "#ffd800", "error_bg": "#000000", "error_fg": "#ff9c9c",
             "ok_bg": "#000000", "ok_fg": "#9cff9c", "notice_bg": "#000000", "notice_fg": "#ffd800"}


#: A disabled button's words and edge in high contrast: grey, well readable on black (9:1).
_DIMMED: Final = "#b4b4b4"
#: A disabled secondary button's words and edge on white: grey, still readable (4.5:1).
_MUTED: Final = "#6b7785"


#: The focused button's ring (px) and its colour, a hue no button of the look has: orange on the normal look (4.3:1
#: on white, plain beside the blue), magenta on high contrast (6.7:1 on black, 2.7:1 on the yellow buttons).
FOCUS_RING_PX: Final = 6
_FOCUS_RING: Final = "#d9480f"
_FOCUS_RING_CONTRAST: Final = "#ff00ff"


def text_px(large: bool, base: int = BASE_TEXT) -> int:
    return round(base * (LARGE_FACTOR if large else 1.0))


def kiosk_style(*, large: bool, contrast: bool) -> str:
    """The style sheet for the kiosk page in the given mode."""
    c = _CONTRAST if contrast else _NORMAL
    f = LARGE_FACTOR if large else 1.0

    def px(value: float) -> str:
        return f"{round(value * f)}px"

    border = "3px" if contrast else "1px"
    thick = "3px" if contrast else "2px"
    alarm = c["accent"] if contrast else "#b3261e"
    grey = "#9fb3c8"
    k = "QWidget#kiosk"
    rules = [
        f"{k}, {k} QWidget#page, {k} QStackedWidget, {k} QScrollArea, {k} QScrollArea > QWidget > QWidget"
        f" {{ background: {c['bg']}; color: {c['fg']}; }}",
        f"{k} QLabel {{ color: {c['fg']}; font-size: {px(BASE_TEXT)}; }}",
        f"{k} QLabel#title {{ font-size: {px(44)}; font-weight: 600; color: {c['fg']}; }}",
        f"{k} QLabel#subtitle {{ font-size: {px(28)}; color: {c['muted']}; }}",
        f"{k} QLabel#hint {{ font-size: {px(24)}; color: {c['muted']}; }}",
        f"{k} QLabel#big {{ font-size: {px(64)}; font-weight: 700; color: {c['fg']}; }}",
        # what a citizen must remember of a result (a booking's day and place): read from a step back
        f"{k} QLabel#fact {{ font-size: {px(48)}; font-weight: 700; color: {c['fg']}; }}",
        f"{k} QLabel#countdown {{ font-size: {px(120)}; font-weight: 700; color: {alarm}; }}",
        # the end of a flow, read at arm's length: the number to note (its largest size: ui/kiosk/number.py shrinks
        # it to the room it has), the words under it, and a wide 完成
        f"{k} QLabel#ticketNumber {{ font-size: {px(400)}; font-weight: 700; color: {c['accent']}; }}",
        f"{k} QLabel#doneNumber {{ font-size: {px(112)}; font-weight: 700; color: {c['fg']}; }}",
        f"{k} QLabel#doneCode {{ font-size: {px(128)}; font-weight: 700; color: {c['fg']}; }}",
        f"{k} QLabel#doneLine {{ font-size: {px(34)}; color: {c['fg']}; }}",
        f"{k} QPushButton#done {{ font-size: {px(36)}; min-height: {TOUCH_MIN + 24}px; min-width: {px(320)}; }}",
        f"{k} QFrame#bar {{ background: {c['bar']}; border-bottom: {border} solid {c['tile_border']}; }}",
        f"{k} QFrame#bar QLabel {{ color: {c['on_bar']}; font-size: {px(30)}; font-weight: 600; }}",
        f"{k} QFrame#bar QPushButton {{ background: transparent; color: {c['on_bar']};"
        f" border: 2px solid {c['on_bar']}; border-radius: 10px; font-size: {px(26)};"
        f" min-height: {TOUCH_MIN}px; min-width: {TOUCH_MIN}px; padding: 0 24px; }}",
        f"{k} QFrame#bar QPushButton:checked {{ background: {c['on_bar']}; color: {c['bar']}; }}",
        f"{k} QFrame#bar QPushButton#corner {{ border: none; min-width: {TOUCH_MIN}px; }}",
        f"{k} QPushButton {{ font-size: {px(30)}; min-height: {TOUCH_MIN}px; padding: 8px 32px;"
        f" border-radius: 12px; background: {c['accent']}; color: {c['on_accent']};"
        f" border: {border} solid {c['accent']}; }}",
        # High contrast: a button that cannot be tapped yet is dimmed, never brighter than one that can.
        (f"{k} QPushButton:disabled {{ background: {c['bg']}; color: {_DIMMED};"
         f" border: {thick} dashed {_DIMMED}; }}" if contrast else
         f"{k} QPushButton:disabled {{ background: {grey}; color: {c['on_accent']}; }}"),
        # a reception slot with no place left: as a disabled button, but a tap on it says why (ui/kiosk/booking.py)
        (f"{k} QPushButton[full=\"true\"] {{ background: {c['bg']}; color: {_DIMMED};"
         f" border: {thick} dashed {_DIMMED}; }}" if contrast else
         f"{k} QPushButton[full=\"true\"] {{ background: {grey}; color: {c['on_accent']}; }}"),
        f"{k} QPushButton#secondary {{ background: {c['tile']}; color: {c['accent']};"
        f" border: {thick} solid {c['accent']}; }}",
        # the flow's buttons one above the other beside its screens (the on-screen keyboard up, lying down)
        f"{k} QPushButton[beside=\"true\"] {{ padding-top: 0; padding-bottom: 0; }}",
        # after #secondary, which outranks :disabled: an empty box's 清空重写 looked as tappable as any button
        f"{k} QPushButton#secondary:disabled {{ background: {c['tile']};"
        f" color: {_DIMMED if contrast else _MUTED}; border: {thick} dashed {_DIMMED if contrast else _MUTED}; }}",
        # a button whose words wrap (a reception day: its date, its leaders and its places left): labels in it
        f"{k} QPushButton#worded QLabel {{ font-size: {px(30)}; color: {c['on_accent']}; background: transparent; }}",
        f"{k} QPushButton#worded QLabel:disabled {{ color: {_DIMMED if contrast else c['on_accent']}; }}",
        f"{k} QPushButton#choice {{ background: {c['tile']}; color: {c['fg']};"
        f" border: 3px solid {c['tile_border']}; }}",
        f"{k} QPushButton#choice:checked {{ background: {c['accent']}; color: {c['on_accent']}; }}",
        f"{k} QPushButton#tile {{ background: {c['tile']}; color: {c['fg']};"
        f" border: {'4px' if contrast else '2px'} solid {c['tile_border']}; border-radius: 18px;"
        f" min-height: {TILE_MIN}px; padding: 4px; }}",
        f"{k} QPushButton#tile QLabel#tileTitle {{ font-size: {px(48)}; font-weight: 700; color: {c['fg']};"
        f" background: transparent; }}",
        f"{k} QPushButton#tile QLabel#tileHint {{ font-size: {px(28)}; color: {c['muted']};"
        f" background: transparent; }}",
        f"{k} QPushButton#tile:pressed {{ background: {c['accent']}; }}",
        # what stands where a tile would, and is not one to tap (a business not offered today, and why)
        f"{k} QLabel#note {{ background: {c['bg']}; color: {c['fg']}; font-size: {px(30)};"
        f" border: {thick} dashed {c['tile_border']}; border-radius: 18px; padding: 16px 24px;"
        f" min-height: {TILE_MIN - 40}px; }}",
        # the hall's hours of the coming days, read at arm's length by an elderly visitor; a day of rest dimmer
        f"{k} QLabel#hoursRow {{ font-size: {px(HOURS_TEXT)}; color: {c['fg']}; }}",
        f"{k} QLabel#hoursRest {{ font-size: {px(HOURS_TEXT)}; color: {c['muted']}; }}",
        # lying down, each day on two lines beside the tiles (大字): a little smaller and closer, so the page fits
        f"{k} QLabel#hoursRow[tight=\"true\"], {k} QLabel#hoursRest[tight=\"true\"]"
        f" {{ font-size: {px(HOURS_TIGHT)}; }}",
        f"{k} QWidget#hoursRule {{ background: {c['tile_border']}; }}",
        f"{k} QFrame#panel QScrollArea, {k} QFrame#panel QScrollArea > QWidget > QWidget"
        f" {{ background: {c['tile']}; }}",
        f"{k} QPushButton#key {{ font-size: {px(40)}; min-width: {TOUCH_MIN + 24}px; }}",
        f"{k} QLineEdit, {k} QPlainTextEdit {{ font-size: {px(32)}; padding: 10px 14px;"
        f" min-height: {TOUCH_MIN - 20}px; background: {c['field']}; color: {c['fg']};"
        f" border: {thick} solid {c['field_border']}; border-radius: 8px; }}",
        f"{k} QLineEdit:focus, {k} QPlainTextEdit:focus {{ border: 4px solid {c['accent']}; }}",
        # what a card read filled and is not typed over: on the page's ground, not a field's white, a dashed edge
        f"{k} QLineEdit:read-only {{ background: {c['bg']}; border-style: dashed; }}",
        # its two arrows one above the other: each at least 15 mm high and a touch target wide
        f"{k} QSpinBox {{ font-size: {px(32)}; min-height: {2 * TOUCH_FLOOR}px; background: {c['field']};"
        f" color: {c['fg']}; border: {thick} solid {c['field_border']}; border-radius: 8px; padding: 0 14px; }}",
        f"{k} QSpinBox::up-button, {k} QSpinBox::down-button {{ width: {TOUCH_MIN}px; }}",
        f"{k} QFrame#panel {{ background: {c['tile']}; border: {border} solid {c['tile_border']};"
        f" border-radius: 16px; }}",
        f"{k} QFrame#overlay {{ background: {c['bg']}; border: 6px solid {c['accent']}; border-radius: 24px; }}",
        f"{k} QWidget#veil {{ background: rgba(0, 0, 0, 150); }}",
        # a wide thumb a finger drags, plain to see in both looks (the arrows were a few pixels, dark on black)
        f"{k} QScrollBar:vertical {{ width: {px(TOUCH_FLOOR)}; margin: 0; background: {c['bg']};"
        f" border: {border} solid {c['tile_border']}; border-radius: 10px; }}",
        f"{k} QScrollBar::handle:vertical {{ background: {c['accent'] if contrast else c['field_border']};"
        f" min-height: {TOUCH_FLOOR}px; border-radius: 8px; margin: 4px; }}",
        f"{k} QScrollBar::add-line:vertical, {k} QScrollBar::sub-line:vertical {{ height: 0; border: none; }}",
        f"{k} QScrollBar::add-page:vertical, {k} QScrollBar::sub-page:vertical {{ background: none; }}",
    ]
    # the button a physical keyboard's Enter or Space would press: a thick ring of a colour no button has, plain to
    # see on a tile, on a button's own colour and on the page, in both looks (its words keep their room: the ring
    # takes the tile's padding)
    ring = _FOCUS_RING_CONTRAST if contrast else _FOCUS_RING
    on = '[keyed="true"]'  # the focus a physical keyboard moved (ui/kiosk/shell.py), not where the page left it
    rules.append(f"{k} QPushButton{on}, {k} QPushButton#secondary{on}, {k} QPushButton#choice{on},"
                 f" {k} QPushButton#done{on}, {k} QFrame#bar QPushButton{on}, {k} QFrame#bar QPushButton#corner{on}"
                 f" {{ border: {FOCUS_RING_PX}px solid {ring}; }}")
    rules.append(f"{k} QPushButton#tile{on} {{ border: {FOCUS_RING_PX}px solid {ring}; padding: 0; }}")
    # a text's length past its limit (已写5003字，最多5000字，请删去3字): red, and as tall as before; a hint's too (the
    # count of 诉求, 事实 and 理由 is one, whose #hint colour outranked a property alone: it stayed grey past the limit)
    rules.append(f"{k} QLabel[over=\"true\"], {k} QLabel#hint[over=\"true\"] {{ color: {c['error_fg']}; }}")
    for tone in ("error", "ok", "notice"):
        rules.append(f"{k} QLabel[tone=\"{tone}\"] {{ color: {c[tone + '_fg']}; background: {c[tone + '_bg']};"
                     f" border: 2px solid {c[tone + '_fg']}; border-radius: 8px; padding: 12px 16px; }}")
    return "\n".join(rules) + "\n"


def title_strip_style(*, contrast: bool) -> str:
    """The window's title strip above the kiosk page (hall name, clock): black under high contrast, as the page."""
    if not contrast:
        return ""
    c = _CONTRAST
    return (f"QFrame#header {{ background: {c['bg']}; border-bottom: 3px solid {c['accent']}; }}\n"
            f"QFrame#header QLabel {{ color: {c['fg']}; }}\n")
