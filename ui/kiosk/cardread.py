"""A card read at the kiosk, told to the citizen in the state it is in.

While the reader waits, the words beside its button say where to lay the card and how many seconds are
left (请把身份证放在感应区……（正在读取，还有6秒）), and the button waits too. When the read ends without a card
the words say so and what to do now: lay it down again and tap the button once more, or go on without it
(:func:`desktop.devices.idcard.citizen_words`). A reader that does not work (unplugged, no driver) is told in
a citizen's words, 读卡器暂时不能用; its technical reason goes to the log for staff, and the administrator's 设备管理
shows the reader as not working from then until a read works again (``desktop.services.peripherals``). A card
read is handed on with ``card_read``; an expired one is still handed on, with the holder told to renew it.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.domain.chinatime import china_today
from ui.common.widgets import Phrases, set_tone
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QPushButton

    from desktop.config import Settings
    from ui.shell.tasks import TaskGroup

log = logging.getLogger(__name__)

#: How long a read waits for the card (seconds).
READ_SECONDS = 8


class KioskCardRead(QObject):
    """Runs the reads of ``button`` and says their state in ``state`` (a message label near the button).

    ``instead`` is the way on without the card (直接填写), said after a read that gave none; ``read_words``
    what is said once a card is read."""

    card_read = Signal(object)  # the IdCard

    def __init__(self, button: QPushButton, state: QLabel, group: TaskGroup, settings: Settings, *,
                 instead: str, again: str = "", read_words: str = "已读取身份证",
                 seconds: int = READ_SECONDS) -> None:
        super().__init__(button)
        self.button, self.state, self.group, self.settings = button, state, group, settings
        self.again = again or button.text()
        self.instead = instead
        self.read_words = read_words
        self.seconds = seconds
        self.left = 0
        self.reading = False
        self.ticker = QTimer(self)
        self.ticker.setInterval(1000)
        self.ticker.timeout.connect(self._tick)
        button.clicked.connect(self.start)

    def start(self) -> None:
        from ui.shell.idcard import read_id_card

        if self.reading:
            return
        self.reading = True
        self.left = self.seconds
        self.button.setEnabled(False)
        self._say_reading()
        self.ticker.start()
        read_id_card(self.button, self.group, self.settings, seconds=float(self.seconds), no_reader="",
                     done=self._done, failed=self._failed)

    def _say_reading(self) -> None:
        set_tone(self.state, "notice", Phrases(f"请把身份证|放在感应区……|（正在读取，|还有{max(self.left, 1)}秒）"))

    def _tick(self) -> None:
        self.left -= 1
        if self.reading:
            self._say_reading()

    def _ended(self) -> None:
        self.reading = False
        self.ticker.stop()
        self.button.setEnabled(True)

    def _done(self, card: Any) -> None:
        from desktop.devices.idcard import expiry_notice

        self._ended()
        self._tell_admin("")
        expired = expiry_notice(card, china_today(), holder=True)
        if expired:
            # 您的身份证|已过有效期|（有效期至2022年1月1日），|请及时换领: never 有效 / 期 on two lines
            told = tuple(re.split(r"(?<=身份证)(?=已)|(?=（)|(?<=，)", expired))
            set_tone(self.state, "notice", Phrases.of((*Phrases.clauses(f"{self.read_words}。").phrases, *told)))
        else:
            set_tone(self.state, "ok", Phrases.clauses(self.read_words))
        self.card_read.emit(card)

    def _failed(self, error: Exception) -> None:
        from desktop.devices.idcard import ReaderError, ReaderProblem, citizen_words
        from desktop.domain.errors import RuleViolation

        self._ended()
        if isinstance(error, ReaderError):
            # a card not laid down is the citizen's; anything else (unplugged, driver, a card not read) staff's
            level = logging.INFO if error.problem is ReaderProblem.NO_CARD else logging.WARNING
            log.log(level, "身份证阅读器没有读出身份证（%s）：%s", error.problem.value, error.message)
            words = citizen_words(error.problem, again=self.again, instead=self.instead)
            self._tell_admin(error.problem.value)
        elif isinstance(error, RuleViolation) and error.code == "no_reader":
            log.warning("本机没有设置身份证阅读器（设置项 id_reader），自助终端上的读卡按钮不能用")
            words = citizen_words(None, again=self.again, instead=self.instead)
        else:
            words = user_message(error, "读取身份证")
        set_tone(self.state, "error", Phrases.clauses(words))

    def _tell_admin(self, problem: str) -> None:
        """The reader's state for the administrator's 设备管理 (unplugged, no driver; working again)."""
        from desktop.services.peripherals import reader_read

        self.group.run(lambda hall: reader_read(hall, problem), lambda _none: None,
                       lambda error: log.warning("未能记录身份证阅读器的状态：%s", error))

    def clear(self) -> None:
        """Nothing to say (the card set aside, the fields typed again)."""
        set_tone(self.state, "", "")
