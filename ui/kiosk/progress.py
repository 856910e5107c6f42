"""进度查询 and 满意度评价 at the kiosk: the receipt's QR code or its two numbers, then the progress.

Screens (taps): 1 the two fields, or a scan (0 taps); 2 the progress — timeline in plain
words, next deadline, what the citizen can do now; 3 (a concluded case) 评价: one tap for
the level, an optional reason, 提交; the answer says what happens next, and the 评价回执 prints.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ui.common.timers import later
from ui.common.widgets import Phrases, label, message_label, secondary_button, set_tone
from ui.kiosk.bold import bold_label
from ui.kiosk.camera import camera_present
from ui.kiosk.screens import (
    Beside,
    ButtonsBeside,
    HangingRows,
    Screens,
    WholeRows,
    caption_row,
    length_count,
    panel,
    refit_soon,
    scrolling,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from datetime import date

    from PySide6.QtGui import QResizeEvent

    from desktop.services.context import Hall
    from desktop.services.self_service import KioskProgress
    from ui.kiosk.camera import CameraView

RATINGS = ("满意", "基本满意", "不满意")
#: Longer input is cut here (a scanner's text fits; a 5,000-character paste does not).
FIELD_MAX = 600


def _lookup(hall: Hall, ctx: WorkContext, number: str, code: str, scanned: bool) -> KioskProgress:
    from desktop.services.self_service import kiosk_progress
    from desktop.sync.lookup import server_lookup

    return kiosk_progress(hall, ctx.actor, number, code, remote=server_lookup(hall), scanned=scanned)


def _rate(hall: Hall, ctx: WorkContext, number: str, code: str, rating: str, reason: str) -> KioskProgress:
    from desktop.services.self_service import rate_case

    return rate_case(hall, ctx.actor, number, code, rating, reason)


class Summary(QScrollArea):
    """The progress (state, deadline, what the citizen can do now) in a frameless scroll area.

    Standing up (``fit``) it is as tall as its text at its width, up to :attr:`SHARE` of the page, so
    the history below takes the rest; side by side it fills its half like any scroll area.
    """

    #: The most of the result page's height the summary takes standing up (longer text scrolls).
    SHARE = 0.6
    #: The room between the summary's lines, and how close they may come lying down before its text scrolls.
    SPACING, TIGHT = 16, 6

    def __init__(self, content: QWidget, page: QWidget) -> None:
        super().__init__()
        self.fit = False
        self.page = page
        self.content = content
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)
        page.installEventFilter(self)
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() == QEvent.Type.Resize and self.fit:
            self.updateGeometry()  # the most it takes follows the page's height (its layout keeps the old)
        if watched is self.content and event.type() == QEvent.Type.LayoutRequest:
            self._space_lines()  # another case's text
        return super().eventFilter(watched, event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._space_lines()

    def _space_lines(self) -> None:
        """Lying down (beside the history) the lines come closer where the text would otherwise scroll: with 大字, a
        deadline's 节假日 caveat and two things the citizen can do overflowed by a few pixels, and the scroll bar that
        came took the width of a few characters and wrapped one more line. How close is decided from the height the
        text takes at the usual spacing beside a scroll bar, so the choice never swings back with its own result."""
        layout = self.content.layout()
        if layout is None or not self.content.hasHeightForWidth():
            return
        spacing = self.SPACING
        if not self.fit:
            frame = 2 * self.frameWidth()
            narrowed = self.width() - frame - self.verticalScrollBar().sizeHint().width()
            items = (layout.itemAt(index) for index in range(layout.count()))
            gaps = len([item for item in items if item is not None and not item.isEmpty()]) - 1
            usual = self.content.heightForWidth(narrowed) + (self.SPACING - layout.spacing()) * max(gaps, 0)
            over = usual - (self.height() - frame)  # as little closer as the text needs, down to TIGHT
            spacing = max(self.TIGHT, self.SPACING - math.ceil(over / max(gaps, 1))) if over > 0 else self.SPACING
        if layout.spacing() != spacing:
            layout.setSpacing(spacing)

    def set_fit(self, fit: bool) -> None:
        self.fit = fit
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return self.fit

    def heightForWidth(self, width: int) -> int:
        content = self.content
        frame = 2 * self.frameWidth()
        # the height the text takes beside a scroll bar: at the full width it then needs none (asked at the
        # full width, the bar, once shown, would narrow the text into one more line and stay)
        narrowed = width - frame - self.verticalScrollBar().sizeHint().width()
        whole = content.heightForWidth(narrowed) if content.hasHeightForWidth() else content.sizeHint().height()
        return min(whole + frame, int(self.page.height() * self.SHARE))


class ProgressFlow(QWidget):
    """Kiosk: the receipt's codes in (typed or scanned), the masked progress and the rating out."""

    finished = Signal()

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None, number: str = "", code: str = "") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = ctx.actor
        self.tasks = ctx.group(self)
        self.devices = ctx.group(self)
        self.setObjectName("page")
        self.progress: KioskProgress | None = None
        self._code = ""

        # -- screen 1: the two numbers
        self.number = QLineEdit()
        self.number.setMaxLength(FIELD_MAX)
        self.number.setPlaceholderText("例如 XF-20261124-K01-00012-9")
        self.number.setAccessibleName("案件编号")
        # letters and digits: no pinyin (the keyboard would take X and F for a syllable)
        self.number.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase | Qt.InputMethodHint.ImhLatinOnly
                                        | Qt.InputMethodHint.ImhNoPredictiveText)
        self.code = QLineEdit()
        self.code.setMaxLength(FIELD_MAX)
        self.code.setPlaceholderText("8位数字")
        self.code.setAccessibleName("查询码")
        self.code.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.submit = QPushButton("查询")
        self.error = message_label()
        self.message = self.error  # the shell takes a flow's message off as soon as the citizen edits a field
        entry, form = panel(spacing=16)
        form.addWidget(label(Phrases("案件编号|（回执上|“案件编号”|一栏）"), "subtitle"))
        form.addWidget(self.number)
        form.addWidget(label(Phrases("查询码|（回执上的|8位数字）"), "subtitle"))
        #: The query code's row: 查询 stands at its right while the keyboard is up lying down (:meth:`_compact`).
        self.code_row = QHBoxLayout()
        self.code_row.setSpacing(16)
        self.code_row.addWidget(self.code, 1)
        form.addLayout(self.code_row)
        form.addWidget(self.error)
        form.addWidget(self.submit)
        self.form = form
        self.entry_page = QWidget()
        column = QVBoxLayout(self.entry_page)
        column.setContentsMargins(48, 24, 48, 24)
        column.setSpacing(24)
        column.addWidget(label(Phrases("查询|办理进度"), "title", centred=True))
        # A camera, where the kiosk has one, reads the receipt's QR code held up to it (ui/kiosk/camera.py).
        self.camera: CameraView | None = None
        if camera_present(ctx):
            from ui.kiosk.camera import CameraView

            self.camera = CameraView(ctx)
            self.camera.scanned.connect(self.take_scan)
        #: The receipts this flow has opened from the camera: one left lying under it is not opened again and
        #: again (查询其他事项 would only bring it back).
        self._seen: set[str] = set()
        self.entry_lead = label(self._lead(camera=self.camera is not None), "subtitle", centred=True)
        column.addWidget(self.entry_lead)
        if self.camera is not None:  # a camera that turns out not to work: the scanner and the fields, as without
            self.camera.unavailable.connect(lambda _why: self.entry_lead.setText(self._lead(camera=False)))
        self.entry_row = QHBoxLayout()
        self.entry_row.setSpacing(32)
        self.entry_row.addStretch(1)
        entry.setMaximumWidth(1200)
        self.entry_row.addWidget(entry, 8)
        self.entry_row.addStretch(1)
        self.entry_column = column
        column.addLayout(self.entry_row)
        column.addStretch(1)

        # -- screen 2: the progress
        self.heading = label("", "subtitle")
        self.state = bold_label("", "big")
        self.next_step = label("", "subtitle")
        self.due = label("", "subtitle")
        # a wrapped item's next line under its text, not under its bullet
        self.can_do = HangingRows()
        self.timeline = label("")
        self.timeline.setTextFormat(Qt.TextFormat.PlainText)
        self.rate_button = QPushButton("评价办理结果")
        self.done_button = secondary_button("完成，返回首页")
        self.again_button = secondary_button("查询其他事项")
        summary, left = panel(spacing=Summary.SPACING)
        left.addWidget(self.heading)
        left.addWidget(label(Phrases("当前|状态"), "hint"))
        left.addWidget(self.state)
        left.addWidget(self.next_step)
        left.addWidget(self.due)
        left.addWidget(label(Phrases("接下来"), "hint"))  # its lines say what the citizen can do or has done
        left.addWidget(self.can_do)
        left.addStretch(1)
        self.history, right = panel(spacing=16)
        right.addWidget(label(Phrases("办理|经过"), "subtitle"))
        self.timeline_scroll = scrolling(self.timeline)
        self.timeline.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        right.addWidget(self.timeline_scroll, 1)
        self.result_page = QWidget()
        self.summary = Summary(summary, self.result_page)
        self.result_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.result_box.setSpacing(24)
        self.result_box.addWidget(self.summary, 3)
        self.result_box.addWidget(self.history, 2)
        result = QVBoxLayout(self.result_page)
        result.setContentsMargins(48, 24, 48, 24)
        result.setSpacing(24)
        result.addLayout(self.result_box, 1)
        self.result_buttons = QGridLayout()
        self.result_buttons.setSpacing(20)
        self._place_buttons(portrait=False)
        result.addLayout(self.result_buttons)

        # -- screen 3: the rating
        from desktop.services.self_service import MAX_REASON

        self.choices = QButtonGroup(self)
        choice_row = QHBoxLayout()
        choice_row.setSpacing(24)
        self.choice_buttons: dict[str, QPushButton] = {}
        for rating in RATINGS:
            button = QPushButton(rating)
            button.setObjectName("choice")
            button.setCheckable(True)
            self.choices.addButton(button)
            self.choice_buttons[rating] = button
            choice_row.addWidget(button, 1)
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(f"可以不填。如有意见，请简要写下（不超过{MAX_REASON}字）")
        self.reason.setAccessibleName("评价理由")
        # the room the screen leaves it (standing up some 600 px were left empty under a box of 260), not a height
        # of its own: a layout counts that whole, and with 大字, the keyboard up and the count's row over the box the
        # screen scrolled beside the box's scroll bar
        self.reason.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.send_rating = QPushButton("提交评价")
        self.rating_error = message_label()
        self.rating_back = secondary_button("返回")
        rate_panel, rate = panel(spacing=16)
        self.rate = rate
        self.question = label(Phrases("您对这件事项的|办理结果|是否满意？"), "title")
        self.question.setProperty("keepsRoom", True)  # in view while the keyboard is up (see _compact)
        rate.addWidget(self.question)
        # the choices above the reason; beside it, the question over them, while the keyboard is up lying down
        # (see _compact)
        self.rate_body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.rate_body.setSpacing(16)
        self.ask = QVBoxLayout()
        self.ask.setSpacing(16)
        self.ask.addLayout(choice_row)
        self.ask.addStretch(1)
        self.rate_body.addLayout(self.ask)
        reason_column = QVBoxLayout()
        reason_column.setSpacing(16)
        self.reason_column = reason_column
        self.reason_caption = label(Phrases("意见|（可不填）"), "subtitle")
        # 已写N字，最多500字 as the citizen writes, at the right of the caption as 人民建议's and 诉求's counts: the
        # placeholder said the limit only until the first character, and 提交评价 refused it after the writing;
        # under 清空重写 its three lines past the limit were taller than the box over the keyboard lying down, and
        # the page scrolled as a whole beside the box's own scroll bar
        self.reason_count = length_count(self.reason, MAX_REASON)
        self.reason_head = caption_row(self.reason_caption, self.reason_count)
        reason_column.addLayout(self.reason_head)
        self.reason_beside = Beside(self.reason)  # 清空重写 beside it, as beside every long text box
        # while the keyboard is up lying down the caption stands over 清空重写 and the count's row is not there (the
        # box needs its height): past the limit 请删去N字 takes the caption's place, in red (see _count_shown)
        self.reason_over = label("", "hint")
        self.reason_over.setProperty("over", True)
        self.reason_over.hide()
        self._beside = False  # the keyboard up lying down (see _compact)
        self.reason.textChanged.connect(self._count_shown)
        reason_column.addLayout(self.reason_beside, 1)
        self.rate_body.addLayout(reason_column, 1)
        rate.addLayout(self.rate_body, 1)  # the box takes the height left
        rate_buttons = QHBoxLayout()
        rate_buttons.addWidget(self.rating_back)
        rate_buttons.addStretch(1)
        rate_buttons.addWidget(self.send_rating)
        self.rating_page = QWidget()
        rating_layout = QVBoxLayout(self.rating_page)
        rating_layout.setContentsMargins(48, 24, 48, 24)
        # the panel scrolls by itself, the message and the buttons stay under it (beside it, lying down, while
        # the on-screen keyboard is up: the reason, what it asks for and 提交评价 all above the keyboard)
        self.rating_layout = rating_layout
        rating_layout.addLayout(ButtonsBeside(scrolling(rate_panel), self.rating_error, rate_buttons,
                                              on_beside=self._compact), 1)

        # -- screen 4: thanks
        self.thanks = label("", "title", centred=True)
        self.thanks_text = label("", "subtitle", centred=True)
        self.thanks_receipt = label("", "subtitle", centred=True)
        self.thanks_done = QPushButton("完成，返回首页")
        self.thanks_page = QWidget()
        thanks = QVBoxLayout(self.thanks_page)
        thanks.setContentsMargins(96, 48, 96, 48)
        thanks.addStretch(1)
        thanks.addWidget(self.thanks)
        thanks.addWidget(self.thanks_text)
        thanks.addWidget(self.thanks_receipt)
        thanks.addSpacing(32)
        thanks.addWidget(self.thanks_done, 0, Qt.AlignmentFlag.AlignHCenter)
        thanks.addStretch(2)

        self.pages = Screens()
        self._holders: dict[int, QWidget] = {}
        for page in (self.entry_page, self.result_page, self.rating_page, self.thanks_page):
            holder = page if page in (self.result_page, self.rating_page) else scrolling(page)
            self._holders[id(page)] = holder
            self.pages.addWidget(holder)
        # over the keyboard the number's field showed cut through above the query code typed in
        entry_area = self._holders[id(self.entry_page)]
        assert isinstance(entry_area, QScrollArea)
        self.whole_rows = WholeRows(entry_area)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

        self.submit.clicked.connect(lambda: self.query_progress())  # typed (clicked passes a bool)
        self.number.returnPressed.connect(self.code.setFocus)
        self.code.returnPressed.connect(lambda: self.query_progress())
        self.again_button.clicked.connect(self.ask_again)
        self.done_button.clicked.connect(self.finished)
        self.thanks_done.clicked.connect(self.finished)
        self.rate_button.clicked.connect(self.open_rating)
        self.rating_back.clicked.connect(lambda: self._go(self.result_page))
        self.send_rating.clicked.connect(self.submit_rating)
        self.tasks.busy_changed.connect(self.submit.setDisabled)
        self.tasks.busy_changed.connect(self.send_rating.setDisabled)
        self._keyboard_beside = False  # the on-screen keyboard up lying down (see _compact)
        self._portrait = False
        self._placing = False
        self._under_height = self.submit.sizeHint().height()
        self.entry_page.installEventFilter(self)  # a refusal shown or gone, 大字 on or off, another size
        self.number.setFocus()
        if number and code:
            self.number.setText(number)
            self.code.setText(code)
            self.query_progress(scanned=True)  # opened by the shell from a receipt's QR code

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.entry_page and event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self._refit_submit_soon()
        return super().eventFilter(watched, event)

    def _go(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(self._holders[id(page)])

    @property
    def current_page(self) -> QWidget:
        """The screen shown (entry, result, rating or thanks)."""
        shown = self.pages.currentWidget()
        return next(page for page in (self.entry_page, self.result_page, self.rating_page, self.thanks_page)
                    if self._holders[id(page)] is shown)

    def set_portrait(self, portrait: bool) -> None:
        """Standing up: the progress above its history, the buttons one under the other."""
        direction = QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        self.result_box.setDirection(direction)
        # one above the other: the progress as tall as its text, the history takes the rest; side by
        # side the progress, in longer lines, is the wider (the history's lines are short)
        self.summary.set_fit(portrait)
        self._portrait = portrait
        self._refit_submit_soon()
        # the fields the whole width: a case number in large text fits a field 4/5 of it no more
        for side in (0, self.entry_row.count() - 1):
            self.entry_row.setStretch(side, 0 if portrait else 1)
        if self.camera is not None:  # the camera's view above the fields standing up, beside them lying down
            self.entry_row.removeWidget(self.camera)
            self.entry_column.removeWidget(self.camera)
            if portrait:
                self.entry_column.insertWidget(2, self.camera, 1)  # under the title and what to do
            else:
                self.entry_row.insertWidget(1, self.camera, 6)
        self.result_box.setStretch(0, 0 if portrait else 3)
        self.result_box.setStretch(1, 1 if portrait else 2)
        self._place_buttons(portrait)

    def _place_buttons(self, portrait: bool) -> None:
        """Side by side: 查询其他事项 left, 评价 and 完成 right. Standing up: 评价 across the page, the
        other two under it side by side (three rows of buttons took the history's room)."""
        grid = self.result_buttons
        buttons = (self.again_button, self.rate_button, self.done_button)
        for button in buttons:
            grid.removeWidget(button)
        for column in range(4):
            grid.setColumnStretch(column, 0)
        if portrait:
            grid.addWidget(self.rate_button, 0, 0, 1, 2)
            grid.addWidget(self.again_button, 1, 0)
            grid.addWidget(self.done_button, 1, 1)
            grid.setColumnStretch(0, 1)
            grid.setColumnStretch(1, 1)
        else:
            grid.addWidget(self.again_button, 0, 0)
            grid.addWidget(self.rate_button, 0, 2)
            grid.addWidget(self.done_button, 0, 3)
            grid.setColumnStretch(1, 1)

    # -- screen 1 → 2

    @staticmethod
    def _lead(*, camera: bool) -> Phrases:
        where = "对准摄像头或扫描口" if camera else "对准扫描口"
        return Phrases(f"把登记回执上的二维码|{where}，|或在下面输入|案件编号和查询码")

    def take_scan(self, text: str) -> None:
        """A code the camera read: a receipt's is looked up at once (once in this flow); another code is said to
        be none."""
        from desktop.domain.errors import ValidationError
        from desktop.domain.qrpayload import parse_payload

        if self.tasks.busy or self.current_page is not self.entry_page or text in self._seen:
            return
        try:
            number, code = parse_payload(text, self.ctx.settings.public_lookup_url)
        except ValidationError as refusal:
            set_tone(self.error, "error", refusal.message)
            return
        if self.take_receipt(number, code):
            self._seen.add(text)

    def take_receipt(self, number: str, code: str) -> bool:
        """A receipt's codes, scanned while its two fields are on screen: looked up at once, over whatever was typed
        in them — the scan is what this page asks for (要放弃已填写的内容？ over a mistyped code only puzzled). False
        on the other screens (a rating's reason is the citizen's own: the shell asks before it goes)."""
        if self.tasks.busy or self.current_page is not self.entry_page:
            return False
        self.number.setText(number)
        self.code.setText(code)
        self.query_progress(scanned=True)
        return True

    def query_progress(self, *, scanned: bool = False) -> None:
        """Look the two fields up; ``scanned``: they were read from a receipt's QR code, not typed."""
        if self.tasks.busy:
            return
        ctx, number, code = self.ctx, self.number.text(), self.code.text()
        # Typing is done: the on-screen keyboard goes away with the focus, so the answer below is seen.
        self.submit.setFocus()
        set_tone(self.error, "notice", "正在查询，请稍候……")
        self.tasks.run(lambda hall: _lookup(hall, ctx, number, code, scanned), self._show, self._refused)

    def _refused(self, error: Exception) -> None:
        self._go(self.entry_page)
        # broken at its punctuation only: 这件事项还可以再试3次 read 再 / 试3次
        set_tone(self.error, "error", Phrases.clauses(user_message(error, "查询")))

    def _show(self, progress: KioskProgress) -> None:
        from ui.kiosk.leave import DONE

        self.progress = progress
        self._code = self.code.text()
        for edit in (self.number, self.code):  # looked up: not what 返回首页 asks before throwing away
            edit.setProperty(DONE, True)
        set_tone(self.error, "", "")
        self.heading.setText(f"案件编号 {progress.case_number}\n信访人 {progress.petitioner}，"
                             f"{_day(progress.received_on)}登记")
        self.state.setText(Phrases.clauses(progress.state))
        self.next_step.setText(Phrases.clauses(progress.next_step))
        self.next_step.setVisible(bool(progress.next_step))
        self.due.setText(Phrases.clauses(progress.due_words or (f"下一个办理期限：{_day(progress.next_due)}"
                                                                if progress.next_due else "")))
        self.due.setVisible(progress.next_due is not None)
        self.can_do.set_items(progress.can_do or ["请耐心等待办理结果"])
        steps = "\n\n".join(f"{_day(step.on)}\n{step.text}" for step in progress.steps)
        self.timeline.setText(Phrases.paragraph(steps))  # its lines broken between words
        self.rate_button.setVisible(progress.can_rate)
        self.summary.updateGeometry()  # standing up, its height follows the text
        self._go(self.result_page)

    def ask_again(self) -> None:
        from ui.kiosk.leave import DONE

        self.progress, self._code = None, ""
        for edit in (self.number, self.code):
            edit.clear()
            edit.setText("")
            edit.setProperty(DONE, False)
        self._go(self.entry_page)
        self.number.setFocus()

    # -- screen 3: the rating

    def _compact(self, on: bool) -> None:
        """While the on-screen keyboard is up lying down (its buttons beside the screen), the question and the
        choices under it stand at the left of the reason, the choices without their padding, the reason's caption
        over 清空重写 at its right, and the page loses its margins above and below: with 大字 and the keyboard's
        candidates some 260 px are left above it, too little for the question over the choices over the caption
        over a box of three lines (the question went, and the box showed two lines).

        On the first screen 查询 stands at the right of the query code's field, seen with it (it was under the
        keyboard), no taller than the field (without its padding; still a finger's target)."""
        self._keyboard_beside = on
        self._place_submit()
        if on and self.rate.indexOf(self.question) >= 0:
            self.rate.removeWidget(self.question)
            self.ask.insertWidget(0, self.question)
        elif not on and self.ask.indexOf(self.question) >= 0:
            self.ask.removeWidget(self.question)
            self.rate.insertWidget(0, self.question)
        # the question in a caption's size there (a title's took three lines of 大字 over the choices)
        self.question.setObjectName("subtitle" if on else "title")
        self.question.style().unpolish(self.question)
        self.question.style().polish(self.question)
        self.ask.setSpacing(8 if on else 16)
        self.rate.setContentsMargins(32, 8 if on else 24, 32, 8 if on else 24)
        # the reason's caption over 清空重写 at the box's right, where it takes no height from the box
        beside = self.reason_beside.itemAt(1)
        column = beside.layout() if beside is not None else None
        # the caption over 清空重写; the count stays over the box, shown there only past the limit (_count_shown)
        if isinstance(column, QBoxLayout) and on and self.reason_head.indexOf(self.reason_caption) >= 0:
            self.reason_head.removeWidget(self.reason_caption)
            column.insertWidget(0, self.reason_caption)
            column.insertWidget(1, self.reason_over)
        elif isinstance(column, QBoxLayout) and not on and column.indexOf(self.reason_caption) >= 0:
            column.removeWidget(self.reason_caption)
            column.removeWidget(self.reason_over)
            self.reason_head.insertWidget(0, self.reason_caption, 1)
        self.rate_body.setDirection(QBoxLayout.Direction.LeftToRight if on else QBoxLayout.Direction.TopToBottom)
        self.rate_body.setSpacing(32 if on else 16)
        self.rate_body.setStretch(0, 0)
        self.rate_body.setStretch(1, 1)  # the box takes the width (lying down) or the height the choices leave
        self.reason_beside.narrow = 0 if on else Beside.NARROW  # 清空重写 stays beside it, not above
        self._beside = on
        self._count_shown()
        margins = self.rating_layout.contentsMargins()
        self.rating_layout.setContentsMargins(margins.left(), 0 if on else 24, margins.right(), 0 if on else 24)
        for button in self.choice_buttons.values():
            button.setProperty("beside", on)
            style = button.style()
            style.unpolish(button)
            style.polish(button)
            button.updateGeometry()

    def _place_submit(self) -> None:
        """查询 at the right of the query code while the keyboard is up lying down, and lying down wherever the first
        screen's rows would not fit its height with 查询 under them: with 大字 and 高对比 a refusal of two lines under
        the fields (three, for 这台自助终端刚才输错…) made the page scroll, and its scroll bar moved the panel, centred,
        some 40 px to the left under the citizen's eyes. Otherwise 查询 stands under the fields, the whole width."""
        self._placing = False
        beside = self._keyboard_beside or (not self._portrait and self._rows_overflow())
        if (self.code_row.indexOf(self.submit) >= 0) == beside:
            return
        (self.form if beside else self.code_row).removeWidget(self.submit)
        (self.code_row if beside else self.form).addWidget(self.submit)
        self.submit.setProperty("beside", beside)
        self.submit.style().unpolish(self.submit)
        self.submit.style().polish(self.submit)
        self.submit.updateGeometry()
        refit_soon(self)

    def _rows_overflow(self) -> bool:
        """Whether the first screen, 查询 under its fields, is taller than the room its scroll area has."""
        area = self._holders[id(self.entry_page)]
        page = self.entry_page
        frame = 2 * area.frameWidth() if isinstance(area, QFrame) else 0
        if area is page or area.height() <= frame:
            return False
        under = self.code_row.indexOf(self.submit) < 0
        if under:
            self._under_height = self.submit.sizeHint().height()
        width = area.width() - frame
        need = page.heightForWidth(width) if page.hasHeightForWidth() else page.minimumSizeHint().height()
        if not under:  # what its own row under the fields would add
            need += self._under_height + self.form.spacing()
        return need > area.height() - frame

    def _refit_submit_soon(self) -> None:
        if not self._placing:
            self._placing = True
            later(self, 0, self._place_submit)

    def _count_shown(self) -> None:
        """已写N字，最多500字 at the caption's right; while the keyboard is up lying down (the caption over 清空重写,
        the box all the height there is: a row over it took the box's third line, and with the count's three lines
        under 清空重写 the page scrolled) only 请删去N字 once the opinion is too long, in the caption's place."""
        from desktop.domain.texts import length_words
        from desktop.services.self_service import MAX_REASON

        words, over = length_words(self.reason.toPlainText(), MAX_REASON)
        self.reason_count.setHidden(self._beside)
        self.reason_over.setText(words[-1] if over else "")
        self.reason_over.setVisible(self._beside and over)
        self.reason_caption.setHidden(self._beside and over)

    def open_rating(self) -> None:
        set_tone(self.rating_error, "", "")
        self._go(self.rating_page)

    def submit_rating(self) -> None:
        if self.tasks.busy or self.progress is None:
            return
        checked = self.choices.checkedButton()
        if checked is None:
            set_tone(self.rating_error, "error", "请先点选“满意”“基本满意”或“不满意”")
            return
        ctx, number, code = self.ctx, self.progress.case_number, self._code
        rating, reason = checked.text(), self.reason.toPlainText()
        # said at once: a refusal the same as the last one would otherwise look like a tap not taken
        set_tone(self.rating_error, "notice", "正在提交评价，请稍候……")
        self.tasks.run(lambda hall: _rate(hall, ctx, number, code, rating, reason), self._rated, self._rating_refused)

    def _rating_refused(self, error: Exception) -> None:
        set_tone(self.rating_error, "error", user_message(error, "评价"))

    def _rated(self, progress: KioskProgress) -> None:
        self.progress = progress
        if progress.rating == "不满意":
            self.thanks.setText(Phrases("您的评价|已记录"))
            from desktop.domain.indicators import DISSATISFIED_WORDS

            self.thanks_text.setText(Phrases.clauses(
                DISSATISFIED_WORDS + (f"\n{progress.review}。" if progress.review else "")))
        else:
            self.thanks.setText(Phrases("感谢|您的评价"))
            self.thanks_text.setText(Phrases.clauses(f"您的评价“{progress.rating}”已记录。"))
        self._go(self.thanks_page)
        self.print_rating_receipt(progress.case_number)

    def print_rating_receipt(self, number: str) -> None:
        """The 评价回执 on the receipt printer (the query code proves the case is the citizen's)."""
        actor, settings, code = self.ctx.actor, self.ctx.settings, self._code

        def print_receipt(hall: Hall) -> tuple[bool, str]:
            from desktop.documents.model import DocumentKind
            from desktop.printing.factory import printer_for
            from desktop.services import documents, printing

            doc = documents.rating_receipt(hall, actor, number, query_code=code)
            printer = printer_for(DocumentKind.RATING_RECEIPT, settings, media=doc.media)
            outcome = printing.print_document(hall, actor, doc, None, printer)
            return outcome.printed, outcome.message

        self.thanks_receipt.setText(Phrases("正在|打印|评价回执……"))
        self.devices.run(print_receipt, self._receipt_printed,
                         lambda error: self._receipt_printed((False, user_message(error, "打印"))),
                         executor=Executor.DEVICES)

    def _receipt_printed(self, printed: tuple[bool, str]) -> None:
        if printed[0]:
            self.thanks_receipt.setText(Phrases("评价回执|已打印，|请取走回执。"))
        else:
            self.thanks_receipt.setText(Phrases.clauses(f"评价回执没有打印出来（{printed[1]}），您的评价已经记录，不影响办理。"))


def _day(day: date) -> str:
    """2026年12月6日, as a citizen writes a date (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
