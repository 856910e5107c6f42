"""人民建议 at the kiosk: a theme (or free), the suggestion, who you are or anonymous, the number.

Four screens, three taps besides the typing: 1 the open themes and 自由建议; 2 the suggestion;
3 name and phone, or 匿名提交; 4 the suggestion's number, also on a printed receipt (人民建议回执).
While no theme is open the first screen is passed over: the citizen writes a free suggestion at once.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.calendar import date_in_words
from ui.common.widgets import Phrases, label, message_label, secondary_button, set_tone
from ui.kiosk.bold import bold_label
from ui.kiosk.done import NumberLabel, SideBySide, centred
from ui.kiosk.screens import (
    Beside,
    ButtonsBeside,
    RoomForRefusal,
    Screens,
    WrappingButton,
    caption_row,
    into_view,
    length_count,
    panel,
    scrolling,
)
from ui.shell.context import WorkContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.services.suggestions import SuggestionReceipt, Theme

#: Each screen's title, what it asks for (the number's screen has none: its card says 感谢您的建议！).
SCREEN_TITLES = ("选择建议主题", "写下您的建议", "署名或匿名提交", "")

#: Characters a field takes: a pasted paragraph stays whole, to be refused with the reason, never cut unseen.
PASTE_MAX = 2000


class SuggestionFlow(QWidget):
    """Kiosk: a people's suggestion in four screens; ``finished`` at the end."""

    finished = Signal()
    ready = Signal()  # the themes are read: the first screen is the one the citizen will see

    def __init__(self, ctx: WorkContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.tasks = ctx.group(self)
        self.devices = ctx.group(self)
        self.setObjectName("page")
        self.theme_code = ""
        self.theme_title = "自由建议"
        self.receipt: SuggestionReceipt | None = None

        # what the screen shown asks for, as 自助登记's step, 预约's and 进度查询's titles say: the bar says 人民建议
        # already, and the page said it again over each screen
        self.title = label(SCREEN_TITLES[0], "title")
        self.message = message_label()
        self.pages = Screens()  # each screen scrolls by itself
        # the screens' buttons under them, the message between (beside them lying down while the on-screen
        # keyboard is up: the field typed in, what it asks for and 署名提交 all above the keyboard)
        self.nav = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 24, 48, 24)
        layout.setSpacing(16)
        layout.addWidget(self.title)
        self.nav_beside = ButtonsBeside(self.pages, self.message, self.nav, on_beside=self._compact)
        layout.addLayout(self.nav_beside, 1)
        self.panels: list[QVBoxLayout] = []

        # 1 theme
        self.themes_box = QVBoxLayout()
        self.themes_box.setSpacing(16)
        self.free_button = QPushButton("自由建议（不限主题）")
        self.free_button.setObjectName("choice")
        themes = self._panel(Phrases("您的建议是关于|哪个方面的？|轻触选择"))
        themes.addLayout(self.themes_box)
        themes.addWidget(self.free_button)
        themes.addStretch(1)

        # 2 content
        self.content = QPlainTextEdit()
        self.content.setPlaceholderText("请写下您的建议：存在什么问题、建议怎么做（至少10个字）")
        self.content.setAccessibleName("建议内容")
        self.chosen = label("", "subtitle")
        # the theme (or that none is open) gives its room while the keyboard is up, the bar saying it instead: lying
        # down with 大字 it stood half cut over the box, the screen scrolled beside it
        self.chosen.setProperty("givesRoom", True)
        self.to_who = QPushButton("下一步")
        write = self._panel("")
        from desktop.services.suggestions import MAX_CONTENT

        # 已写N字 / 最多3000字 as the citizen writes, at the right of the theme's row as 诉求's count is: under
        # 清空重写 its three lines past the limit (请删去N字) were taller than the box over the keyboard lying down,
        # and the whole screen scrolled beside the box's own scroll bar
        self.content_count = length_count(self.content, MAX_CONTENT)
        write.addLayout(caption_row(self.chosen, self.content_count))
        self.content_beside = Beside(self.content)
        self.room_for_refusal = RoomForRefusal(self, self.message, [self.content_count])
        write.addLayout(self.content_beside, 1)
        self.back_to_themes = secondary_button("上一步")
        self.back_to_themes.clicked.connect(lambda: self.pages.setCurrentIndex(0))

        # 3 who
        self.name = QLineEdit()
        # a paste is kept whole (no silent cut to the name's length): the service's rule refuses it at 提交, saying why
        self.name.setMaxLength(PASTE_MAX)
        self.name.setAccessibleName("姓名")
        self.phone = QLineEdit()
        self.phone.setMaxLength(40)
        self.phone.setAccessibleName("联系电话")
        self.phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.name.returnPressed.connect(self.phone.setFocus)  # Enter goes on to the next field
        self.send_named = QPushButton("署名提交")
        self.send_anonymous = secondary_button("匿名提交")
        who = self.who = self._panel("")
        self.who_lead = label(Phrases("留下姓名和电话，|采纳后|我们可以联系您、|给予奖励；|也可以匿名提交"), "subtitle")
        who.addWidget(self.who_lead)
        who.addWidget(label("姓名", "subtitle"))
        who.addWidget(self.name)
        who.addWidget(label(Phrases("联系电话|（可不填）"), "subtitle"))
        who.addWidget(self.phone)
        who.addStretch(1)
        self.back_to_content = secondary_button("上一步")
        self.back_to_content.clicked.connect(lambda: self.pages.setCurrentIndex(1))
        for button in (self.back_to_themes, self.back_to_content):
            self.nav.addWidget(button)
        self.nav.addStretch(1)
        # the two ways to send side by side, beside the screens too (three buttons one above the other are
        # taller than what a landscape screen has left above the keyboard)
        forward = QHBoxLayout()
        for button in (self.send_anonymous, self.to_who, self.send_named):
            forward.addWidget(button)
        self.nav.addLayout(forward)
        self._themes_open = True  # until the themes are read: none open, there is no screen to go back to
        self.pages.currentChanged.connect(self._buttons_for_screen)

        # 4 done
        # the number as large as the card's width allows, on one line; the theme and the receipt in words to read,
        # beside 完成 lying down (the height goes to the number), under it standing up
        self.done_number = NumberLabel("doneNumber")
        self.done_text = label("", "doneLine", centred=True)
        self.done_button = QPushButton("完成，返回首页")
        self.done_button.setObjectName("done")
        done = self._panel("", spacing=24)
        done.addStretch(1)
        done.addWidget(bold_label("感谢您的建议！", "big", centred=True))
        done.addStretch(1)
        done.addWidget(label(Phrases("建议|编号"), "title", centred=True))
        done.addWidget(self.done_number)
        done.addStretch(1)
        done.addLayout(SideBySide(self.done_text, centred(self.done_button), stretch=(3, 1)))
        done.addStretch(1)

        self.free_button.clicked.connect(lambda: self.choose("", "自由建议"))
        self.to_who.clicked.connect(self.check_content)
        self.send_named.clicked.connect(lambda: self.submit(anonymous=False))
        self.send_anonymous.clicked.connect(lambda: self.submit(anonymous=True))
        self.done_button.clicked.connect(self.finished)
        self.tasks.busy_changed.connect(self.send_named.setDisabled)
        self.tasks.busy_changed.connect(self.send_anonymous.setDisabled)
        self._buttons_for_screen()
        actor = ctx.actor
        self.tasks.run(lambda hall: _themes(hall, actor), self._show_themes, self._failed)

    def _panel(self, lead: str, spacing: int | None = 14) -> QVBoxLayout:
        page, layout = panel(lead, spacing=spacing)
        self.pages.addWidget(scrolling(page))
        self.panels.append(layout)
        return layout

    def _compact(self, on: bool) -> None:
        """While the on-screen keyboard is up lying down (the buttons beside the screens) the name's screen loses
        its lead and the panels their margins above and below: with 大字 and a refusal under the screen some 236 px
        are left above the keyboard, and the page scrolled as a whole beside the screen's own scroll bar, the
        field's caption cut."""
        for layout in self.panels:
            margins = layout.contentsMargins()
            layout.setContentsMargins(margins.left(), 4 if on else 24, margins.right(), 4 if on else 24)
        self.who.setSpacing(4 if on else 14)  # the caption close over its field
        self.who_lead.setHidden(on)
        self._buttons_for_screen()  # the title gives its room too (the bar says 人民建议)
        self.room_for_refusal.set_typing_beside(on)

    def _buttons_for_screen(self) -> None:
        """The buttons of the screen shown: 上一步 and 下一步 under the suggestion, 上一步, 匿名提交 and 署名提交
        under the name and phone; none on the themes (a tap on one goes on) nor on the number."""
        index = self.pages.currentIndex()
        # the bar says 人民建议: the number's screen has the height, and so has the screen over the keyboard lying
        # down (with 大字 a refusal under the suggestion's box left it no room: the page scrolled, 下一步 went under)
        self.title.setText(SCREEN_TITLES[index] if 0 <= index < len(SCREEN_TITLES) else "")
        self.title.setHidden(not self.title.text() or self.nav_beside.beside)
        # the suggestion's box needs the screen's width (清空重写 beside it): a refusal goes under it, as 诉求's
        self.nav_beside.set_message_under(index == 1)
        self.back_to_themes.setVisible(index == 1 and self._themes_open)
        self.to_who.setVisible(index == 1)
        for button in (self.back_to_content, self.send_anonymous, self.send_named):
            button.setVisible(index == 2)

    def _show_themes(self, read: tuple[list[Theme], date]) -> None:
        themes, today = read
        if not themes:  # nothing to choose: straight to writing, no step back to a page of one button
            self._themes_open = False
            self.back_to_themes.hide()
            if self.pages.currentIndex() == 0:
                self.choose("", "自由建议")
            self.chosen.setText(Phrases("现在没有|征集中的主题，|请直接写下|您的建议"))
            self.ready.emit()
            return
        for theme in themes:
            closes = theme.closes_on
            until = f"（征集至{date_in_words(closes, year=closes.year != today.year)}）" if closes else ""
            # a long theme wraps within the screen, its closing day whole on a line of its own where it must
            words = Phrases.of((*Phrases.clauses(theme.title).phrases, until))
            button = WrappingButton(words, "choice")
            button.setToolTip(theme.description)
            button.clicked.connect(lambda _=False, t=theme: self.choose(t.code, t.title))
            self.themes_box.addWidget(button)
        self.ready.emit()

    def _failed(self, error: Exception) -> None:
        set_tone(self.message, "error", user_message(error, "提交建议"))
        self.ready.emit()

    def choose(self, code: str, title: str) -> None:
        self.theme_code, self.theme_title = code, title
        # beside the count on its row: broken after 主题： and between the theme's clauses, not inside its name
        # (standing up with 大字 主题：城区老旧小区加装 / 电梯)
        self.chosen.setText(Phrases.of(("主题：", *Phrases.clauses(title).phrases)))
        set_tone(self.message, "", "")
        self.pages.setCurrentIndex(1)
        self.content.setFocus()

    def check_content(self) -> None:
        from desktop.domain.errors import ValidationError
        from desktop.services.suggestions import check_content

        try:  # the service's rule (ten words, not ten emoji), here rather than after the name is typed
            check_content(self.content.toPlainText())
        except ValidationError as problem:
            set_tone(self.message, "error", problem.message)
            return
        set_tone(self.message, "", "")
        self.pages.setCurrentIndex(2)
        # the name takes the keys, as each screen's first field does (a keyboard's keys typed next went nowhere);
        # the on-screen keyboard still comes only with a tap, or stays up where it was
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    def submit(self, *, anonymous: bool) -> None:
        if self.tasks.busy:
            return
        actor, code, content = self.ctx.actor, self.theme_code, self.content.toPlainText()
        name, phone = ("", "") if anonymous else (self.name.text(), self.phone.text())

        def send(hall: Hall) -> SuggestionReceipt:
            from desktop.services.suggestions import submit_suggestion

            return submit_suggestion(hall, actor, content=content, theme_code=code, anonymous=anonymous,
                                     name=name, phone=phone)

        set_tone(self.message, "notice", "正在提交……")
        self.tasks.run(send, self._sent, self._refused)

    def _refused(self, error: Exception) -> None:
        field = getattr(error, "field", "")
        if field == "建议内容":
            self.pages.setCurrentIndex(1)
        set_tone(self.message, "error", Phrases.clauses(user_message(error, "提交建议") + "。您写的内容都还在"))
        # the field at fault takes the focus, its text chosen (typed over at once); it, the message and 署名提交
        # are scrolled into view above the keyboard — the refusal had gone under it, the focus left in the phone
        at_fault = {"name": self.name, "phone": self.phone, "mobile": self.phone, "landline": self.phone,
                    "建议内容": self.content}.get(str(field))
        if at_fault is not None:
            from ui.kiosk.shell import at_fault as focus_at_fault

            focus_at_fault(at_fault)  # kept after the tap, an empty field too
            into_view(at_fault, self.send_named, self.message)

    def _sent(self, receipt: SuggestionReceipt) -> None:
        self.receipt = receipt
        set_tone(self.message, "", "")
        self.done_number.setText(receipt.number)
        self._show_printed(receipt, None)
        self.pages.setCurrentIndex(3)
        actor, settings, number = self.ctx.actor, self.ctx.settings, receipt.number

        def print_receipt(hall: Hall) -> tuple[bool, str]:
            from desktop.documents.model import DocumentKind
            from desktop.printing.factory import printer_for
            from desktop.services import documents, printing

            doc = documents.suggestion_receipt(hall, actor, number)
            printer = printer_for(DocumentKind.SUGGESTION_RECEIPT, settings, media=doc.media)
            outcome = printing.print_document(hall, actor, doc, None, printer)
            return outcome.printed, outcome.message

        self.devices.run(print_receipt, lambda done: self._show_printed(receipt, done),
                         lambda error: self._show_printed(receipt, (False, user_message(error, "打印"))),
                         executor=Executor.DEVICES)

    def _show_printed(self, receipt: SuggestionReceipt, printed: tuple[bool, str] | None) -> None:
        """The theme and what became of the receipt: printing, printed, or why not."""
        theme = f"主题：{receipt.theme}\n"  # a line each: the theme, the receipt, what the number is for
        if printed is None:
            self.done_text.setText(Phrases.clauses(theme + "正在打印回执……"))
        elif printed[0]:
            self.done_text.setText(Phrases.clauses(
                theme + "回执已打印，请取走回执。\n凭编号可到窗口了解办理和采纳情况。"))
        else:
            self.done_text.setText(Phrases.clauses(theme + f"回执没有打印出来（{printed[1]}）。\n"
                                                   "请记下上面的建议编号，\n凭编号可到窗口了解办理和采纳情况。"))


def _themes(hall: Hall, actor: object) -> tuple[list[Theme], date]:
    """The open themes, and the hall's today (a closing day of another year is said with its year)."""
    from desktop.domain.access import Actor
    from desktop.services.suggestions import open_themes

    assert isinstance(actor, Actor)
    return open_themes(hall, actor), hall.today()
