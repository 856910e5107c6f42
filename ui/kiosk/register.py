"""自助登记: a citizen registers a petition alone, in eight short screens.

1 身份 (the ID card on the reader, or typed; the address written notices go to) · 2 问题发生地 (one tap
on the town) · 3 诉求 · 4 事实和理由 (may be left empty) · 5 材料 (no scanner or camera here: hand paper to
the counter) · 6 核对 · 7 权利义务和六个不得, read and confirmed, 提交 · 8 the case number and
query code on screen and on the printed receipt.

Nothing typed is lost on bad input: each screen checks what it can before 下一步 and says
what to change; what the registration service refuses at 提交 sends the citizen back to the
screen of the field it names, with everything else kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.documents.templates import TEXTS
from desktop.domain.classification import Channel
from desktop.domain.errors import ValidationError
from desktop.domain.identity import mask_id_number, normalise_name, validate_phone, validate_resident_id
from desktop.domain.texts import MAX_PETITION_TEXT, chinese_full_stops, meaningful_length
from ui.common.widgets import Phrases, label, message_label, secondary_button, set_tone
from ui.kiosk.camera import camera_present
from ui.kiosk.done import GROWS, SHOW_SECONDS, NumberLabel, SideBySide, centred, held
from ui.kiosk.guide import _numbered
from ui.kiosk.screens import (
    Beside,
    ButtonsBeside,
    RoomForRefusal,
    Screens,
    WhenWide,
    WholeRows,
    caption_row,
    fix_as_read,
    into_view,
    length_count,
    number_in,
    panel,
    scrolling,
    show_card_number,
    with_x_key,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop.services.context import Hall
    from desktop.services.registration import RegistrationResult
    from ui.kiosk.camera import MaterialPhotos

STEPS = ("身份", "问题发生地", "诉求", "事实和理由", "材料", "核对", "告知", "完成")
#: What a name's or an address's field takes at most: a paste is kept whole and refused at 下一步 saying how long
#: the field may be (诉求, 事实 and 理由 have the domain's own limit, ``texts.MAX_PETITION_TEXT``).
PASTE_MAX = 2000
REVIEW_STEP = STEPS.index("核对")
#: The screens of long text boxes (with 清空重写 beside them): a refusal stands under them, they keep their width.
LONG_BOX_STEPS = (STEPS.index("诉求"), STEPS.index("事实和理由"))


#: How many characters of a field's words 核对 shows until 展开全文 is tapped (about three lines lying down), and how
#: many of its lines: 5,000 characters of 诉求 made the screen several screens long.
REVIEW_SHOWN = 120
REVIEW_LINES = 4


def shortened(field: str) -> str:
    """A field of 核对 (``名称：words``) with its words cut to their first :data:`REVIEW_SHOWN` characters (and
    :data:`REVIEW_LINES` lines), saying how many there are; the field itself when that is all of it."""
    name, mark, words = field.partition("：")
    if not mark:
        name, words = "", field
    shown = "\n".join(words.split("\n")[:REVIEW_LINES])[:REVIEW_SHOWN]
    if shown == words:
        return field
    return f"{name}{mark}{shown.rstrip()}……（共{len(words)}字）"


class ReviewParts(QWidget):
    """核对: each part of what was filled in, with 修改 beside it opening the step that holds it. A long part shows
    its first lines and how long it is, 展开全文 under it showing all of it (收起 the first lines again); the
    receipt and the case keep everything."""

    def __init__(self, edit: Callable[[int], None]) -> None:
        super().__init__()
        self.edit = edit
        self.rows = QGridLayout(self)
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setHorizontalSpacing(24)
        self.rows.setVerticalSpacing(20)
        self.rows.setColumnStretch(0, 1)
        self.parts: list[QLabel] = []
        self.buttons: list[QPushButton] = []
        #: 展开全文 / 收起 under each part (shown when the part is longer than its first lines)
        self.whole_buttons: list[QPushButton] = []
        self.steps: list[int] = []
        self.fields: list[list[str]] = []
        self.whole: list[bool] = []

    def show_parts(self, parts: list[tuple[int, list[str]]]) -> None:
        """``parts``: the step holding each part, and its fields (``名称：words``, one under the other)."""
        while len(self.parts) < len(parts):
            row = len(self.parts)
            words = label("")
            words.setTextFormat(Qt.TextFormat.PlainText)
            words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            button = secondary_button("修改")
            button.clicked.connect(lambda _=False, row=row: self.edit(self.steps[row]))
            whole = secondary_button("展开全文")
            whole.clicked.connect(lambda _=False, row=row: self._show_whole(row, not self.whole[row]))
            column = QVBoxLayout()
            column.setSpacing(10)
            column.addWidget(words)
            column.addWidget(whole, 0, Qt.AlignmentFlag.AlignLeft)
            self.rows.addLayout(column, row, 0)
            self.rows.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
            self.parts.append(words)
            self.buttons.append(button)
            self.whole_buttons.append(whole)
        self.steps = [step for step, _ in parts]
        self.fields = [fields for _, fields in parts]
        self.whole = [False] * len(parts)
        for row, (words, button) in enumerate(zip(self.parts, self.buttons, strict=True)):
            shown = row < len(parts)
            words.setVisible(shown)
            button.setVisible(shown)
            if shown:
                button.setAccessibleName(f"修改{STEPS[parts[row][0]]}")
                self._show_whole(row, False)
            else:
                words.setText("")
                self.whole_buttons[row].hide()

    def _show_whole(self, row: int, whole: bool) -> None:
        fields = self.fields[row]
        cut = [shortened(field) for field in fields]
        long = cut != fields
        self.whole[row] = whole and long
        self.parts[row].setText("\n".join(fields if self.whole[row] else cut))
        button = self.whole_buttons[row]
        button.setVisible(long)
        button.setText("收起" if self.whole[row] else "展开全文")
        button.setAccessibleName(f"{button.text()}（{STEPS[self.steps[row]]}）")

    def text(self) -> str:
        """All that shows, as read out (and as a test reads it)."""
        return "\n\n".join(words.text() for words in self.parts if words.isVisibleTo(self) and words.text())


class WholeLine(QLabel):
    """Under a one-line field, the field's whole text while the field shows only part of it: a long address read
    from the ID card (浙江省金华市婺城区城东街道解放街299号…) was cut at the field's right edge with 大字 standing up,
    and a field scrolls only while it has the focus. Hidden while the field shows all of it, and while ``wanted``
    says there is no room for it (lying down with 大字 the screen has no line to spare: it would scroll)."""

    def __init__(self, field: QLineEdit, lead: str, wanted: Callable[[], bool]) -> None:
        super().__init__()
        self.field, self.lead, self.wanted = field, lead, wanted
        self.setObjectName("hint")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.hide()
        field.textChanged.connect(self.follow)
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange,
                                                       QEvent.Type.StyleChange, QEvent.Type.Show):
            self.follow()
        return False

    def cut(self) -> bool:
        """Whether the field's text is wider than the room the field gives it."""
        from PySide6.QtWidgets import QStyle, QStyleOptionFrame

        field = self.field
        text = field.text()
        if not text or field.width() <= 1:
            return False
        option = QStyleOptionFrame()
        field.initStyleOption(option)
        room = field.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, field)
        margins = field.textMargins()
        return field.fontMetrics().horizontalAdvance(text) > room.width() - margins.left() - margins.right() - 4

    def follow(self) -> None:
        cut = self.wanted() and self.cut()
        self.setText(f"{self.lead}{self.field.text()}" if cut else "")
        if cut != (not self.isHidden()):
            self.setVisible(cut)


NO_DEVICE = ("本机没有连接扫描仪或摄像头，不能在这里提交材料。\n\n"
             "如有书面材料（如合同、判决书、照片），请在登记后把回执和材料一起交给接待窗口工作人员，"
             "工作人员会为您扫描并附在这件事项中。")


class Columns(WhenWide):
    """Two columns of fields side by side where the screen is wide enough (lying down), one under the other where
    it is narrow (standing up, where the height is to spare and each field keeps the whole width)."""

    def __init__(self) -> None:
        super().__init__()
        self.setSpacing(32)
        self.first, self.second = QVBoxLayout(), QVBoxLayout()
        for column in (self.first, self.second):
            column.setSpacing(14)  # as the screen's own
            self.addLayout(column, 1)

    def finish(self) -> None:
        """Once the fields are in: each column's at its top, the room under them left empty (side by side)."""
        for column in (self.first, self.second):
            column.addStretch(1)

    def turned(self) -> None:
        # side by side each half the width; one under the other no height of the screen's to spare
        for index in range(2):
            self.setStretch(index, 1 if self.beside else 0)


@dataclass(frozen=True)
class _Done:
    result: RegistrationResult
    printed: bool
    print_message: str


def _towns(hall: Hall, region: str) -> list[tuple[str, str]]:
    from desktop.services.reference import load_regions

    return [(r.code, r.name) for r in load_regions().children(region)]


def _text_box(placeholder: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setPlaceholderText(placeholder)
    box.setTabChangesFocus(True)
    # The boxes share what the screen has (at least their style's height), not a height of their own: the
    # screen's wrapped text made its scroll area ask for their preferred 190 px each, and 事实和理由 scrolled
    # with room to spare at 1920×1080.
    box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return box


class RegistrationFlow(QWidget):
    """Eight screens from the ID card to the printed receipt; ``finished`` at the end."""

    finished = Signal()
    #: The case was registered (its number), before the receipt printed.
    registered = Signal(str)

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.devices = ctx.group(self)
        self.loading = ctx.group(self)
        self.setObjectName("page")
        # the registration model loads the services (SQLAlchemy): only when a citizen starts, never at start-up
        from ui.registration.model import blank

        self.values: dict[str, Any] = blank()
        self.values["region_code"] = ctx.settings.region_code
        self.values["channel"] = Channel.KIOSK.value
        self.result: RegistrationResult | None = None
        self.editing = False  # 修改 was tapped at 核对: 下一步 goes straight back there
        #: Standing up (the kiosk says so, :meth:`set_portrait`): the screens arranged for a portrait screen.
        self.portrait = False

        self.step_title = label("", "title")
        self.step_count = label("", "hint")
        self.step_count.setProperty("givesRoom", True)  # hidden with the title while the keyboard is up
        self.message = message_label()
        # a refusal's room stays while the field is corrected: the screen does not move under the finger
        self.message.setProperty("holdsRoom", True)
        self.pages = Screens()
        self.back_button = secondary_button("上一步")
        self.next_button = QPushButton("下一步")
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        top = QHBoxLayout()
        top.addWidget(self.step_title, 1)
        top.addWidget(self.step_count)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        layout.addLayout(top)
        # the buttons beside the screens while typing lying down; a refusal beside them then, except on the screens
        # of long text boxes (诉求, 事实, 理由): under them, the boxes keep their width and 清空重写 beside them
        self.typing_beside = False  # the on-screen keyboard up lying down: the buttons beside the screens
        self.nav_beside = ButtonsBeside(self.pages, self.message, nav, on_beside=self._buttons_beside)
        layout.addLayout(self.nav_beside, 1)
        #: The long boxes' captions (and their counts), which give their room to a refusal above the keyboard.
        self.box_captions: list[QWidget] = []
        self.room_for_refusal = RoomForRefusal(self, self.message, self.box_captions)

        # 1 身份
        self.read_button = QPushButton("读取身份证")
        reader = ctx.settings.id_reader != "none"
        self.name = QLineEdit()
        # a paste is kept whole (no silent cut to the name's length): the name's rule refuses it, saying why
        self.name.setMaxLength(PASTE_MAX)
        self.name.setAccessibleName("姓名")
        self.id_number = QLineEdit()
        self.id_number.setMaxLength(40)
        self.id_number.setAccessibleName("身份证号码")
        self.id_number_row = with_x_key(self.id_number)  # the keyboard's digits pad, the final X beside the field
        self.phone = QLineEdit()
        self.phone.setMaxLength(40)
        self.phone.setAccessibleName("手机号码")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        # the Regulations ask for the petitioner's address: written notices (受理告知, 处理意见书) are sent there
        self.address = QLineEdit()
        self.address.setMaxLength(PASTE_MAX)  # a paste kept whole: refused at 下一步 saying how long it may be
        self.address.setAccessibleName("住址")
        self.address.setPlaceholderText("例如：和平路12号3单元201室")  # whole standing up with 大字
        self.address_whole = WholeLine(self.address, "完整住址：", lambda: self.portrait)
        who = self._page(Phrases("请把身份证|放在阅读器上，|或者在下面输入") if reader
                         else Phrases("请输入|您的姓名和身份证号码"))
        self._card_read_row(who, reader)
        # 赵孟𫖯, 王𬭎: the pinyin keyboard has no character beyond the Basic Plane; the card has them
        self.rare_hint = label(Phrases("姓名里有打不出的生僻字？|" + (
            "请点“读取身份证”，|身份证上的字|都能读出；|也可以|" if reader else "可以|")
            + "先用同音字代替，|到窗口时|告诉工作人员更正"), "hint")
        # the name (and, standing up, what to do with a character the keyboard has not) and the address in one
        # column (standing up the address goes last), the ID number and the phone in another beside it where the
        # screen is wide: one under the other,
        # the screen with the card reader's button scrolled some 100 px at 1920×1080 (260 with 大字). Lying down the
        # hint stands beside 读取身份证 (:meth:`set_portrait`): under the name it left no height for the address.
        self.who_fields = Columns()
        for text, field in ((Phrases("姓名"), self.name), (Phrases("身份证|号码"), self.id_number),
                            (Phrases("手机号码|（方便联系您，|可不填）"), self.phone),
                            (Phrases("住址|（书面告知|寄到这里，|可不填）"), self.address)):
            column = self.who_fields.first if field in (self.name, self.address) else self.who_fields.second
            heading = label(text, "subtitle")
            column.addWidget(heading)
            column.addWidget(self.id_number_row if field is self.id_number else field)
            if field is self.address:
                self._address_caption = heading
                column.addWidget(self.address_whole)
            if field is self.name:
                column.addWidget(self.rare_hint)
        self.who_fields.finish()
        # over the keyboard lying down a refusal stands beside the screen, and two columns in what it leaves cut the
        # ID number to its last 12 digits while the refusal asked to check it digit by digit: one column then
        self.who_fields.stack_when = self._refused_beside_keyboard
        who.addLayout(self.who_fields)
        who.addStretch(1)
        # over the keyboard, standing up with 大字, the next caption showed cut in half under the field typed in
        who_area = self.pages.widget(self.pages.count() - 1)
        assert isinstance(who_area, QScrollArea)
        self.whole_rows = WholeRows(who_area)

        # 2 问题发生地
        self.where_group = QButtonGroup(self)
        self.where_grid = QGridLayout()
        self.where_grid.setSpacing(16)
        where = self._page(Phrases("您反映的问题|发生在|哪个街道或乡镇？|轻触选择"))
        where.addLayout(self.where_grid)
        where.addStretch(1)
        self.where_buttons: dict[str, QPushButton] = {}
        self._columns = 4
        self._add_town(ctx.settings.region_code, "不清楚 / 不在以上地方")
        where_page = where.parentWidget()
        assert where_page is not None
        self._where_page = where_page
        where_page.installEventFilter(self)
        self.where_buttons[ctx.settings.region_code].installEventFilter(self)
        self.loading.run(lambda hall: _towns(hall, ctx.settings.region_code), self._show_towns, self._quiet)

        # 3 诉求
        self.request = _text_box("例如：小区电梯停运三个月，物业不维修，请求督促尽快修复")
        self.request.setAccessibleName("诉求")
        ask = self._page("")
        # how much is written against the rule's limit, at the right of the screen's question: no height of its own
        # (under 清空重写, lying down with 大字 and the keyboard up, its lines took the question's room)
        self.request_count = length_count(self.request, MAX_PETITION_TEXT)
        asked = label(Phrases("您希望解决什么问题？|请简要写下|您的请求"), "subtitle")
        ask.addLayout(caption_row(asked, self.request_count))
        self.box_captions += [asked, self.request_count]
        ask.addLayout(Beside(self.request), 1)

        # 4 事实和理由
        self.facts = _text_box("发生了什么、什么时候、找过哪些部门（可不填）")
        self.facts.setAccessibleName("事实")
        self.reasons = _text_box("您认为应当这样解决的理由（可不填）")
        self.reasons.setAccessibleName("理由")
        facts = self._page(Phrases("请写下|事情经过和理由|（可以不填，|到窗口再说）"))
        self.facts_count = length_count(self.facts, MAX_PETITION_TEXT)
        facts_caption = label(Phrases("事实|经过"), "subtitle")
        facts.addLayout(caption_row(facts_caption, self.facts_count))
        facts.addLayout(Beside(self.facts), 1)
        self.reasons_count = length_count(self.reasons, MAX_PETITION_TEXT)
        reasons_caption = label("理由", "subtitle")
        facts.addLayout(caption_row(reasons_caption, self.reasons_count))
        lead = facts.itemAt(0)
        facts_lead = lead.widget() if lead is not None else None
        # the screen's question with them: hidden captions, the kiosk would say it on its bar (too long with 大字)
        self.box_captions += [w for w in (facts_lead, facts_caption, self.facts_count, reasons_caption,
                                          self.reasons_count) if w is not None]
        facts.addLayout(Beside(self.reasons), 1)

        # 5 材料: photographed with the kiosk's camera where it has one (ui/kiosk/camera.py), else given in later
        self.photos: MaterialPhotos | None = None
        if camera_present(ctx):
            from ui.kiosk.camera import MaterialPhotos

            materials = self._page("")
            self.photos = MaterialPhotos(ctx)
            materials.addWidget(self.photos, 1)
        else:
            # what the screen asks, as the other screens' first lines do (it said 材料 under the step's title 材料)
            materials = self._page(Phrases("您有|书面材料|要提交吗？"))
            materials.addWidget(label(Phrases.paragraph(NO_DEVICE), "subtitle"))
            materials.addStretch(1)

        # 6 核对: each part with its own 修改, which opens that step; 回到核对 then comes straight back here (a
        # wrong name found at 核对 took five 上一步 and four 下一步)
        self.review = ReviewParts(self.edit_step)
        review = self._page(Phrases("请核对|您填写的内容；|哪一项要改，|请点它旁边的“修改”"))
        review.addWidget(self.review)
        review.addStretch(1)  # the screen scrolls

        # 7 告知
        self.rights = label("")
        self.rights.setTextFormat(Qt.TextFormat.PlainText)
        self.rights.setText(Phrases.paragraph(  # filled lines, broken between words (上一级 / 机关)
            "一、您的权利\n\n" + _numbered(TEXTS["rights.rights"]) + "\n\n二、您的义务\n\n"
            + _numbered(TEXTS["rights.duties"]) + "\n\n三、" + TEXTS["rights.prohibited_intro"]
            + "\n\n" + _numbered(TEXTS["rights.prohibited"])))
        self.agree = QPushButton("我已阅读，知道了")
        self.agree.setObjectName("choice")
        self.agree.setCheckable(True)
        rights = self._page(Phrases("提交前，|请阅读|您的权利、义务和“六个不得”，|再点下面的|“我已阅读，知道了”"))
        # the text scrolls within the panel, the panel whole on the screen: the screen scrolling, the panel's
        # bottom edge was cut by the screen's (high contrast made it plain: a yellow frame open at the bottom)
        self.rights_area = scrolling(self.rights)
        # the room the screen has, not a height of its own: a scroll area asks for some 24 lines of its text (大字
        # lying down more than the screen), and the screen scrolled the panel again
        self.rights_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        rights.addWidget(self.rights_area, 1)
        nav.insertWidget(2, self.agree)  # beside 提交登记, always in view

        # 8 完成
        # the two numbers to keep each on one line, as large as the card lets them be (they give up some height
        # before the screen would scroll); no step title above the card: its 登记成功 says it. Lying down, where
        # the height is short, each caption stands at its number's left and the deadline and the receipt's words
        # at the left of 完成; standing up, each under the other.
        self.done_title = label("", "title", centred=True)
        self.done_number = NumberLabel("doneNumber")
        self.done_code = NumberLabel("doneCode")
        self.done_text = label("", "doneLine", centred=True)
        self.done_button = QPushButton("完成，返回首页")
        self.done_button.setObjectName("done")
        done = self._page("")
        done.addStretch(1)
        done.addWidget(self.done_title)
        done.addStretch(1)
        for caption, number in (("案件编号", self.done_number), ("查询码", self.done_code)):
            said = held(label(caption, "title", centred=True))
            said.setAlignment(Qt.AlignmentFlag.AlignCenter)
            done.addLayout(SideBySide(said, number, stretch=(1, 4), spacing=8), GROWS)
        done.addWidget(label(Phrases("请妥善保管查询码，|凭它查询进度"), "doneLine", centred=True))
        done.addStretch(1)
        done.addLayout(SideBySide(self.done_text, centred(self.done_button), stretch=(3, 1)))
        done.addStretch(1)

        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.forward)
        # Enter (the on-screen keyboard's ↵ too) goes on to the next field, from the last to 下一步
        for field in (self.name, self.id_number, self.phone, self.address):
            field.returnPressed.connect(lambda field=field: self._entered(field))
        self.agree.toggled.connect(self._agreed)
        self.done_button.clicked.connect(self.finished)
        # the receipt printed: the case number and query code leave the screen by themselves after a while
        self.home_timer = QTimer(self)
        self.home_timer.setSingleShot(True)
        self.home_timer.setInterval(SHOW_SECONDS * 1000)
        self.home_timer.timeout.connect(self.finished)
        self.tasks.busy_changed.connect(lambda busy: self.next_button.setDisabled(busy or self._blocked()))
        self.show_step(0)

    # -- building

    def _page(self, lead: str) -> QVBoxLayout:
        page, layout = panel(lead)
        # Each screen scrolls on its own when large text or the on-screen keyboard leaves it too
        # little room; the step's title and the 上一步/下一步 buttons stay in view.
        self.pages.addWidget(scrolling(page))
        return layout

    def _add_town(self, code: str, name: str) -> None:
        button = QPushButton(name)
        button.setObjectName("choice")
        button.setCheckable(True)
        self.where_group.addButton(button)
        self.where_buttons[code] = button
        button.clicked.connect(lambda: self._chose_town(code))

    def _show_towns(self, towns: list[tuple[str, str]]) -> None:
        unknown = self.where_buttons.pop(self.ctx.settings.region_code)
        for code, name in towns:
            self._add_town(code, name)
        self.where_buttons[self.ctx.settings.region_code] = unknown
        # as the kiosk last said (its screen's shape), not this flow's own: the towns come in before the flow is
        # laid out (640×480), or while the keyboard leaves it shorter than wide, and a portrait kiosk's 身份 screen
        # was arranged as lying down (the hint over the fields, the address under the name)
        self.set_portrait(self.portrait)

    def _quiet(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "读取乡镇列表"))

    def set_portrait(self, portrait: bool) -> None:
        """The towns in even columns; 不清楚 after them (see :meth:`_place_unknown`). The rare characters' hint
        under the name standing up, beside 读取身份证 lying down (the screen has width to spare, not height)."""
        self.portrait = portrait
        self.rare_hint.setParent(None)  # out of the layout it is in
        if portrait:
            self.who_fields.first.insertWidget(2, self.rare_hint)
        else:
            self._read_buttons.insertWidget(2, self.rare_hint, 1)
        # the buttons' row keeps its stretch only without the hint: beside it, it took half the hint's width
        self._read_buttons.setStretch(self._read_buttons.count() - 1, 1 if portrait else 0)
        self.rare_hint.setVisible(self.card is None)
        # the address last, after the phone, standing up (one column); under the name lying down
        holder = self.who_fields.second if portrait else self.who_fields.first
        for widget in (self._address_caption, self.address, self.address_whole):
            widget.setParent(None)
            holder.insertWidget(holder.count() - 1, widget)  # above the column's closing stretch
            widget.setVisible(widget is not self.address_whole)
        self.address_whole.follow()
        self._columns = 3 if portrait else 4
        if self.photos is not None:
            self.photos.set_portrait(portrait)
        *towns, _unknown = self.where_buttons.values()
        for index, button in enumerate(towns):
            self.where_grid.addWidget(button, index // self._columns, index % self._columns)
        for column in range(4):
            self.where_grid.setColumnStretch(column, 1 if column < self._columns else 0)
        self._place_unknown()

    def _place_unknown(self) -> None:
        """不清楚 in the cells left free on the towns' last row where its words fit them, else across a row of
        its own under them (in one column too narrow for its long words it widened that column and, with
        large text standing up, pushed the last column off the screen)."""
        columns = self._columns
        *towns, unknown = self.where_buttons.values()
        row, used = divmod(len(towns), columns)
        spacing = self.where_grid.horizontalSpacing()
        # the grid's width from its page's (a page not shown keeps its size, not its grid's)
        page = self._where_page
        margins = page.contentsMargins() + (page.layout() or self.where_grid).contentsMargins()
        width = page.width() - margins.left() - margins.right()
        free = (width + spacing) * (columns - used) // columns - spacing
        if used and unknown.sizeHint().width() <= free:
            place = (row, used, 1, columns - used)
        else:
            place = (row + (1 if used else 0), 0, 1, columns)
        index = self.where_grid.indexOf(unknown)
        if index < 0 or self.where_grid.getItemPosition(index) != place:
            self.where_grid.addWidget(unknown, *place)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # the page's width and the words' size (large text) decide where 不清楚 fits
        if event.type() in (QEvent.Type.Resize, QEvent.Type.FontChange) and self.where_buttons:
            self._place_unknown()
        return super().eventFilter(watched, event)

    def _buttons_beside(self, on: bool) -> None:
        self.typing_beside = on
        self.room_for_refusal.set_typing_beside(on)

    def _chose_town(self, code: str) -> None:
        self.values["region_code"] = code
        set_tone(self.message, "", "")

    # -- moving between screens

    @property
    def step(self) -> int:
        return self.pages.currentIndex()

    def show_step(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self.nav_beside.set_message_under(index in LONG_BOX_STEPS)
        last = index == len(STEPS) - 1
        self.step_title.setText(STEPS[index])
        self.step_count.setText(f"第 {index + 1} 步，共 {len(STEPS)} 步")
        # the done screen's card says 登记成功 itself: its height goes to the case number and the query code
        self.step_title.setHidden(last)
        self.step_count.setHidden(last)
        self.back_button.setVisible(index > 0 and not last)
        self.next_button.setVisible(not last)
        self.next_button.setText("提交登记" if index == len(STEPS) - 2 else "下一步")
        self.agree.setVisible(index == len(STEPS) - 2)
        self.next_button.setDisabled(self._blocked())
        if index == 5:
            self.editing = False
            self.review.show_parts(self._summary())
        elif self.editing:
            self.next_button.setText("改好了，回到核对")
        self._first_field_focused()

    def edit_step(self, index: int) -> None:
        """修改 at 核对: the step that holds the part, and from it straight back to 核对."""
        set_tone(self.message, "", "")
        self.editing = True
        self.show_step(index)

    def _entered(self, field: QLineEdit) -> None:
        """Enter in a field of 身份: the next one to fill, in the screen's order (standing up the address after the
        phone, lying down beside it at the left), a field read from the card passed over; from the last, 下一步. The
        住址 added to the screen was left out: ↵ in it did nothing, and ↵ in the ID number went past it to the
        phone, in the phone to the next screen (the address never offered)."""
        order = ([self.name, self.id_number, self.phone, self.address] if self.portrait
                 else [self.name, self.id_number, self.address, self.phone])
        following = [f for f in order[order.index(field) + 1:] if f.isEnabled() and not f.isReadOnly()]
        if following:
            following[0].setFocus()
        else:
            self.forward()

    def _first_field_focused(self) -> None:
        """The step's first field to fill takes the focus when the step shows, unless one of its fields has it: keys
        typed at once on a keyboard went nowhere (the on-screen keyboard still comes only with a tap)."""
        page = self.pages.currentWidget()
        if page is None:
            return
        candidates: list[QLineEdit | QPlainTextEdit] = []
        candidates.extend(page.findChildren(QLineEdit))
        candidates.extend(page.findChildren(QPlainTextEdit))
        fields = [f for f in candidates if f.isVisibleTo(page) and f.isEnabled() and not f.isReadOnly()]
        focused = QApplication.focusWidget()
        if fields and focused not in fields:
            fields.sort(key=lambda f: (f.mapTo(page, QPoint(0, 0)).y(), f.mapTo(page, QPoint(0, 0)).x()))
            fields[0].setFocus(Qt.FocusReason.OtherFocusReason)

    def _blocked(self) -> bool:
        return self.step == len(STEPS) - 2 and not self.agree.isChecked()

    def _agreed(self, on: bool) -> None:
        self.next_button.setDisabled(not on or self.tasks.busy)

    def back(self) -> None:
        set_tone(self.message, "", "")
        if self.step > 0:
            self.show_step(self.step - 1)

    def forward(self) -> None:
        if self.tasks.busy:
            return
        try:
            self._check(self.step)
        except ValidationError as problem:
            set_tone(self.message, "error", Phrases.clauses(problem.message))  # its words whole (不清楚, not 不 / 清楚)
            # the field it names takes the focus, its text chosen: corrected there, typed over at once
            at_fault = {"name": self.name, "id_number": self.id_number, "phone": self.phone,
                        "address": self.address}.get(problem.field or "")
            if at_fault is not None:
                from ui.kiosk.shell import at_fault as focus_at_fault

                focus_at_fault(at_fault)
                # the screen's last fields whole above the message if they can be, the one at fault surely
                into_view(at_fault, self.phone, self.address)
            elif problem.field == "region_code":  # the refusal names 不清楚: it is seen whole, not cut by the message
                into_view(self.where_buttons[self.ctx.settings.region_code])
            return
        set_tone(self.message, "", "")
        if self.step == len(STEPS) - 2:
            self.submit()
        elif self.editing and self.step < REVIEW_STEP:  # every step was checked on the way to 核对 already
            self.show_step(REVIEW_STEP)
        else:
            self.show_step(self.step + 1)

    def _check(self, step: int) -> None:
        """What a screen can check by itself before 下一步 (the service checks everything at 提交)."""
        if step == 0:
            from desktop.domain.chinatime import china_today
            from desktop.services.registration import check_address, check_name

            self._same_as_card()
            if not normalise_name(self.name.text()):
                raise ValidationError("name_required", "请填写您的姓名", "name")
            name = check_name(self.name.text())  # the service's rule, here rather than six screens later
            try:  # the rule the registration service applies at 提交, today's date included (no birth after it)
                self.values["id_number"] = validate_resident_id(number_in(self.id_number, self.card),
                                                                china_today())
            except ValidationError as problem:  # its words name the ID number already: said as they are
                raise ValidationError(problem.code, problem.message, "id_number") from None
            phone = self.phone.text().strip()
            if phone:
                try:
                    self.values["phone"] = validate_phone(phone)
                except ValidationError as problem:
                    raise ValidationError(problem.code, f"手机号码有误：{problem.message}", "phone") from None
            else:
                self.values["phone"] = ""
            address = check_address(self.address.text())  # the service's rule, said beside the field
            self.values["address"] = address
            self.values["name"] = name
        elif step == 1:
            if self.where_group.checkedButton() is None:
                raise ValidationError("region_required", "请轻触选择问题发生的街道或乡镇；不清楚的请选“不清楚”",
                                      "region_code")
        elif step == 2:
            request = self.request.toPlainText().strip()
            if not request:
                raise ValidationError("request_required", "请写下您希望解决的问题", "诉求内容")
            if len(request) > MAX_PETITION_TEXT:
                raise ValidationError("request_too_long", f"诉求最多{MAX_PETITION_TEXT}字，现在{len(request)}字，"
                                      f"请删去{len(request) - MAX_PETITION_TEXT}字；详细情况可以写在“事实和理由”中"
                                      "或到窗口补充", "诉求内容")
            if not meaningful_length(request):  # the service's rule: a row of dots or emoji asks nothing
                raise ValidationError("request_required", "请写下您希望解决的问题（只有标点或表情符号不算）",
                                      "诉求内容")
            self.values["request"] = chinese_full_stops(request)  # as the service keeps it, on the review screen
        elif step == 3:
            for key, box, what in (("facts", self.facts, "事实经过"), ("reasons", self.reasons, "理由")):
                text = box.toPlainText().strip()
                if len(text) > MAX_PETITION_TEXT:
                    raise ValidationError("text_too_long", f"{what}最多{MAX_PETITION_TEXT}字，现在{len(text)}字，"
                                          f"请删去{len(text) - MAX_PETITION_TEXT}字；较长的材料可以到窗口提交", key)
                self.values[key] = chinese_full_stops(text)

    def _summary(self) -> list[tuple[int, list[str]]]:
        """What was filled in, by the step that holds it."""
        v = self.values
        town = next((b.text() for c, b in self.where_buttons.items() if c == v["region_code"]), "")
        parts = [(0, [f"姓名：{v['name']}", f"身份证号码：{mask_id_number(v['id_number'])}",
                      f"手机号码：{v['phone'] or '（未填）'}", f"住址：{v['address'] or '（未填）'}"]),
                 (1, [f"问题发生地：{town or '（不清楚）'}"]),
                 (2, [f"诉求：{v['request']}"]),
                 (3, [f"事实经过：{v['facts'] or '（未填）'}", f"理由：{v['reasons'] or '（未填）'}"])]
        if self.photos is not None:
            count = len(self.photos.photos)
            parts.append((4, [f"材料：{count}张照片" if count else "材料：（未拍，可到窗口提交）"]))
        return parts

    # -- the ID card

    def _card_read_row(self, who: QVBoxLayout, reader: bool) -> None:
        """读取身份证 and 重新填写 side by side, and beside them (under them standing up) what the read is doing or
        has done."""
        from ui.kiosk.cardread import KioskCardRead

        self.card: Any = None
        self.retype_button = secondary_button("重新填写")
        self.retype_button.hide()
        self.card_state = message_label()
        buttons = QHBoxLayout()
        buttons.setSpacing(24)
        buttons.addWidget(self.read_button)
        buttons.addWidget(self.retype_button)
        buttons.addStretch(1)  # the buttons at the left while there are no words
        self._read_buttons = buttons
        # Lying down the words stand beside the buttons and take no height of the screen's own; standing up under
        # them: beside them, with 大字, their longest phrase made the screen wider than the window.
        row = WhenWide()
        row.setSpacing(24)
        row.addLayout(buttons)
        row.addWidget(self.card_state, 100)
        # and under them while a refusal stands beside the screen over the keyboard: beside them in the 870 px left
        # with 大字 the words made the screen 1,300 px wide, and it scrolled sideways
        row.stack_when = self._refused_beside_keyboard
        who.addLayout(row)
        self.read_button.setVisible(reader)  # in its page by now: shown before, it was a window of its own a moment
        self.card_reading = KioskCardRead(
            self.read_button, self.card_state, self.devices, self.ctx.settings, instead="直接在下面填写",
            read_words="已读取身份证。姓名和身份证号码以身份证为准；不是您本人的身份证，请点“重新填写”")
        self.card_reading.card_read.connect(self.fill_from_card)
        self.retype_button.clicked.connect(self.retype)

    def read_card(self) -> None:
        self.card_reading.start()

    def _refused_beside_keyboard(self) -> bool:
        """Whether a refusal stands beside the screen over the keyboard (lying down): the screen's rows stand one
        under the other in the width it leaves."""
        return self.typing_beside and bool(self.message.text())

    def fill_from_card(self, card: Any) -> None:
        """The name and the ID number as the card says them, not to be typed over (another card read replaces
        them; 重新填写 empties them for typing)."""
        self.card = card
        self.name.setText(str(card.name))
        show_card_number(self.id_number, str(card.id_number))
        fix_as_read((self.name, self.id_number), True)
        self.retype_button.show()
        self.rare_hint.hide()  # the card's name is whole, rare characters and all: nothing to type
        # the card's address, for the citizen to keep or change (notices go where the citizen lives now)
        self.address.setText(" ".join(str(getattr(card, "address", "") or "").split()))
        self.address.setCursorPosition(0)  # seen from its start: a field shows its cursor, left at the end, and a
        # card's long address showed only its last words, the province's first character cut through
        set_tone(self.message, "", "")
        self._next_to_type().setFocus()

    def _next_to_type(self) -> QLineEdit:
        """After a card read, the field to type in next: the first of the screen's fields, in its order, open for
        typing and still empty (the card fixed the name and the number; a phone typed before the read is kept, the
        address next), the phone when each is filled."""
        order = ([self.name, self.id_number, self.phone, self.address] if self.portrait
                 else [self.name, self.id_number, self.address, self.phone])
        open_ = [f for f in order if f.isEnabled() and not f.isReadOnly()]
        return next((f for f in open_ if not f.text().strip()), self.phone)

    def _same_as_card(self) -> None:
        """A card was read: the case is registered under the card's name and number, or the citizen types both."""
        if self.card is None:
            return
        if normalise_name(self.name.text()) != normalise_name(str(self.card.name)):
            raise ValidationError("name_not_card", f"姓名要和读取的身份证一致（{self.card.name}）。"
                                  "不是您本人的身份证，请点“重新填写”", "name")
        if "".join(number_in(self.id_number, self.card).split()).upper() != str(self.card.id_number).upper():
            raise ValidationError("id_number_not_card", "身份证号码要和读取的身份证一致。"
                                  "不是您本人的身份证，请点“重新填写”", "id_number")

    def retype(self) -> None:
        """The card's name and number set aside: both empty and typed again."""
        card, self.card = self.card, None
        fields = [self.name, self.id_number]
        if card is not None and self.address.text() == " ".join(str(getattr(card, "address", "") or "").split()):
            fields.append(self.address)  # the card's address goes with it; one the citizen wrote stays
        for field in fields:
            field.clear()
        fix_as_read((self.name, self.id_number), False)
        self.retype_button.hide()
        self.rare_hint.show()
        self.card_reading.clear()
        self.name.setFocus()

    # -- 提交 and the receipt

    def submit(self) -> None:
        from ui.registration.model import to_form

        form = to_form(self.values)
        actor, settings = self.ctx.actor, self.ctx.settings
        photos = list(self.photos.photos) if self.photos is not None else []

        def register(hall: Hall) -> RegistrationResult:
            from dataclasses import replace

            from desktop.services.attachments import store_bytes
            from desktop.services.registration import register_visit

            # the photos are kept only now, with the registration (a citizen who walks away leaves none behind)
            refs = tuple(store_bytes(hall, actor, f"材料照片{n}.jpg", data).as_payload()
                         for n, data in enumerate(photos, 1))
            return register_visit(hall, actor, replace(form, attachments=refs) if refs else form)

        set_tone(self.message, "notice", "正在登记，请稍候……")
        self.next_button.setDisabled(True)

        def registered(result: RegistrationResult) -> None:
            self.result = result
            self.registered.emit(result.case_number)
            self._show_done(result, None)

            def print_receipt(hall: Hall) -> _Done:
                from desktop.documents.model import DocumentKind
                from desktop.printing.factory import printer_for
                from desktop.services import documents, printing

                doc = documents.registration_receipt(hall, actor, result)
                printer = printer_for(DocumentKind.REGISTRATION_RECEIPT, settings, media=doc.media)
                outcome = printing.print_document(hall, actor, doc, None, printer)
                return _Done(result, outcome.printed, outcome.message)

            self.devices.run(print_receipt, lambda done: self._show_done(done.result, done),
                             lambda error: self._show_done(result, _Done(result, False, user_message(error, "打印"))),
                             executor=Executor.DEVICES)

        self.tasks.run(register, registered, self._refused)

    def _refused(self, error: Exception) -> None:
        field = getattr(error, "field", "")
        step = {"name": 0, "id_number": 0, "document_number": 0, "phone": 0, "address": 0, "region_code": 1,
                "诉求内容": 2, "事实": 3, "理由": 3}.get(field)
        if step is not None:
            self.show_step(step)
        said = user_message(error, "登记") + "。您填写的内容都还在，改正后再提交"
        set_tone(self.message, "error", Phrases.clauses(said))

    def _show_done(self, result: RegistrationResult, done: _Done | None) -> None:
        self.show_step(len(STEPS) - 1)
        set_tone(self.message, "", "")
        self.done_title.setText(Phrases("登记|成功"))
        self.done_number.setText(result.case_number)
        self.done_code.setText(f"{result.query_code[:4]} {result.query_code[4:]}")
        due_day = result.route_deadline.due
        due = Phrases(f"我们将在|{due_day.year}年{due_day.month}月{due_day.day}日前|告诉您|由哪个部门办理。")

        def then(sentence: str) -> Phrases:
            return Phrases.of((*due.phrases, *Phrases.clauses("\n" + sentence).phrases))

        if done is None:
            self.done_text.setText(then("正在打印回执……"))
        elif done.printed:
            self.done_text.setText(then("回执已打印，请取走回执。"))
            self.home_timer.start()
        else:
            self.done_text.setText(then(f"回执没有打印出来（{done.print_message}）。"
                                        "请记下案件编号和查询码，或到接待窗口补打回执。"))
