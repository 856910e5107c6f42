"""The audit log screen: the newest entries, and a check that none was edited, removed or swapped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton, QScrollArea, QTableWidgetItem, QVBoxLayout

from desktop.domain.access import ROLE_NAMES, Role
from desktop.domain.audit import AuditAction, AuditEntry, AuditReport
from desktop.domain.calendar import stamp_in_words
from desktop.services import audit
from desktop.services.audit import AuditQuery
from ui.common.widgets import RefreshingPanel, label, message_label, read_only_table, secondary_button, set_tone
from ui.printing.queue import printer_text
from ui.shell.context import WorkContext
from ui.shell.errors import user_message

if TYPE_CHECKING:
    from desktop.services.changes import Changes

_DETAIL_KEYS: Mapping[str, str] = {
    "reason": "原因", "idle": "无操作自动锁屏", "role": "角色", "org_code": "单位", "until": "锁定至",
    "extra_permissions": "附加权限", "disabled": "停用", "display_name": "姓名", "code": "代码",
    "message": "说明", "event": "步骤", "event_id": "事件", "accounts": "账户数",
    # an export, a print, a reveal, settings and data shared: "kind：一年统计；year：2026" read as code
    "kind": "种类", "year": "年份", "years": "年份", "region_code": "问题属地", "document": "文号",
    "copy": "补打", "printer": "打印机", "status": "结果", "error": "错误", "pages": "页数", "cases": "事项",
    "channel": "渠道", "visit_kind": "来访类型", "scope": "范围", "version": "版本", "source": "来源",
    "names": "名称", "hall_code": "大厅编码", "expires_at": "有效期至", "revoked": "停用", "device": "设备",
    "events": "事件数", "compared": "核对数", "same": "一致数", "from": "原为", "to": "改为",
    "reclassified_accusation": "改为检举控告类", "ahead_minutes": "时钟超前（分钟）", "latest_time": "最晚时间",
}
_DETAIL_VALUES: Mapping[str, str] = {
    "wrong_password": "密码错误", "no_account": "无此账户", "disabled": "账户已停用",
    "locked": "账户已锁定", "other_hall": "其他大厅的账户", "wrong_window": "不能使用本窗口的角色",
    "printed": "已打印", "pending": "待补打", "failed": "未打印",
}
#: a print's failure (``Problem``'s codes, kept for the log's readers as words: 错误：missing read as code)
_PRINT_ERRORS: Mapping[str, str] = {
    "missing": "找不到打印机", "offline": "打印机未连接或未开机", "out_of_paper": "缺纸", "paper_jam": "卡纸",
    "cover_open": "打印机盖未关好", "paused": "打印队列已暂停", "refused": "打印机未接受任务",
    "no_access": "无权使用打印机", "unsupported": "打印机不支持该纸张", "failed": "打印出错",
}
#: ids a reader cannot use (the print job's, a retried job's, the keys'): the entry's other words say what happened
_NEVER_SHOWN = frozenset({"job", "retry_of", "key_id", "old_key_id", "new_key_id", "appointment"})
ALARMING = frozenset({AuditAction.LOGIN_FAILED.value, AuditAction.ACCOUNT_LOCKED.value,
                      AuditAction.PERMISSION_DENIED.value})


#: shown in words already (说明, 步骤, 对象): the machine's code and the event's id add nothing a reader can use
_UNSHOWN_WITH: Mapping[str, str] = {"code": "message", "event_id": "event"}


def when_words(at: str) -> str:
    """An entry's time to the second, as people write it (2026年12月6日 13:40:05), not ISO."""
    return stamp_in_words(at, seconds=True)


#: details that are times (an account locked until, a code's expiry, the latest event's time): in words
_TIMES = frozenset({"until", "expires_at", "latest_time"})


def describe_detail(detail: Mapping[str, Any], units: Mapping[str, str] | None = None) -> str:
    """An entry's detail in words; ``units`` names the directory's units by code."""
    parts = []
    for key, value in detail.items():
        if value in ("", None, [], ()) or detail.get(_UNSHOWN_WITH.get(key, "")) or key in _NEVER_SHOWN:
            continue
        if key == "tries" and isinstance(value, int):  # an unknown login name's tries in a row (never the name)
            parts.append(f"同一登录名第{value}次尝试")
            continue
        if key == "copy":  # the print's copy: 0 (or no) the first print — 补打：0 read as a field — then 第1次补打…
            parts.append("补打：否" if not value else "补打：是" if value is True else f"第{value}次补打")
            continue
        if key == "role" and value in Role.__members__.values():
            shown = ROLE_NAMES[Role(value)]
        elif key == "org_code" and units and str(value) in units:
            shown = units[str(value)]
        elif key == "error" and str(value) in _PRINT_ERRORS:
            shown = _PRINT_ERRORS[str(value)]
        elif key == "printer" and isinstance(value, str):  # system: is the default printer, not a name to read
            shown = printer_text(value)
        elif key in _TIMES and isinstance(value, str):
            shown = when_words(value)
        elif isinstance(value, bool):
            shown = "是" if value else "否"
        elif isinstance(value, list | tuple):
            shown = "、".join(str(v) for v in value) or "无"
        else:
            shown = _DETAIL_VALUES.get(str(value), str(value))
        parts.append(f"{_DETAIL_KEYS.get(key, key)}：{shown}")
    return "；".join(parts)


#: what a setting or maintenance entry is about, in words (the 对象 column showed "reference:organisations")
_TARGETS: Mapping[str, str] = {
    "holiday_schedules": "节假日安排", "settings": "共享设置", "rebuild-projections": "重建事项列表",
    "sync": "同步账户",
    "reference:accounts": "共享数据：账户", "reference:holidays": "共享数据：节假日安排",
    "reference:organisations": "共享数据：机构目录", "reference:settings": "共享数据：设置",
    "reference:kiosk_pin": "共享数据：自助终端密码", "reference:device_places": "共享数据：设备位置",
}


#: A failed sign-in with a login name that has no account. Entries written before the typed name was left out
#: of the log carry it as ``unknown:NAME`` (operator and object): it may be a password typed into 登录名, so it is
#: never shown. The chain keeps those entries as they were written (it is append-only, and rewriting them would
#: break its hashes); only what the screen shows is masked.
UNKNOWN_PREFIX = "unknown:"
UNKNOWN_NAME = "未知账户"


def _unknown(actor_id: str) -> bool:
    return actor_id == "unknown" or actor_id.startswith(UNKNOWN_PREFIX)


def describe_target(target: str) -> str:
    """The entry's object as a reader names it: an account by its login, a setting in words."""
    if target.startswith(UNKNOWN_PREFIX):
        return ""  # the name typed at a failed sign-in (see UNKNOWN_PREFIX); 操作人 says 未知账户
    if target.startswith("reference:"):
        return _TARGETS.get(target, "共享数据")
    return _TARGETS.get(target, target.removeprefix("staff:"))


def describe_actor(entry: AuditEntry) -> str:
    """Who: a person by name and login; a kiosk's public, a screen or the command line by their name alone."""
    if _unknown(entry.actor_id):
        return UNKNOWN_NAME
    login = entry.actor_id.removeprefix("staff:")
    return f"{entry.actor_name}\u3000{login}" if login != entry.actor_id else entry.actor_name or login


def unit_names() -> dict[str, str]:
    from desktop.services.reference import load_directory

    return {org.code: org.name for org in load_directory().all()}


class AuditPanel(RefreshingPanel):
    """The newest audit entries, and a check that none was edited, removed or swapped."""

    COLUMNS = ("序号", "时间", "设备", "操作人", "操作", "对象", "详情")
    verified = Signal(object)  # AuditReport
    refreshed = Signal()

    def __init__(self, ctx: WorkContext, limit: int = 500) -> None:
        super().__init__()
        self.ctx, self.actor, self.limit = ctx, ctx.actor, limit
        self.tasks = ctx.group(self)
        self.entries: list[AuditEntry] = []
        self.refresh_button = secondary_button("刷新")
        self.verify_button = QPushButton("核验完整性")
        self.summary = label("", "subtitle")
        self.report = message_label()
        self.report_area = QScrollArea()
        self.report_area.setWidgetResizable(True)
        self.report_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.report_area.setWidget(self.report)
        self.report_area.hide()
        self.table = read_only_table(self.COLUMNS)
        tools = QHBoxLayout()
        tools.addWidget(self.verify_button)
        tools.addWidget(self.summary, 1)
        tools.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(tools)
        layout.addWidget(self.report_area)
        layout.addWidget(self.table, 1)
        self.refresh_button.clicked.connect(self.refresh)
        self.verify_button.clicked.connect(self.verify)
        self.keys_on_verify = False  # 核验完整性 pressed from the keyboard: the keys come back to it
        self.tasks.busy_changed.connect(self._busy)
        ctx.tasks.changed.connect(self._changed)
        self.refresh()

    def _changed(self, changes: Changes) -> None:
        """New entries appear at once while the log is on screen, else when it is shown next."""
        if changes.audit:
            self.refresh_when_seen()

    def refresh(self) -> None:
        self._stale = False
        actor, limit = self.actor, self.limit
        self.tasks.run(lambda hall: (audit.list_audit(hall, actor, AuditQuery(limit=limit)), unit_names()),
                       self._listed, lambda error: self._failed(error, "读取审计日志"))

    def _listed(self, listed: tuple[list[AuditEntry], dict[str, str]]) -> None:
        entries, units = listed
        self.entries = entries
        self.summary.setText(f"最新 {len(self.entries)} 条记录（最新的在前）")
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (str(entry.seq), when_words(entry.at), entry.device,
                      describe_actor(entry), entry.action,
                      describe_target(entry.target),
                      describe_detail(entry.detail, units))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if entry.action in ALARMING:
                    item.setForeground(QColor("#b3261e"))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(len(self.COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.refreshed.emit()

    def _failed(self, error: Exception, doing: str) -> None:
        self._show_report("error", user_message(error, doing))
        self.refreshed.emit()

    def verify(self) -> None:
        """Check the whole chain off the GUI thread (a long log takes a while)."""
        if self.tasks.busy:
            return
        actor = self.actor
        self._show_report("notice", "正在核验审计日志……")
        self.tasks.run(lambda hall: audit.verify_audit(hall, actor), self._verified, self._verify_refused)

    def _busy(self, busy: bool) -> None:
        """Disabled while it checks: the keys went on to 锁屏 in the window's header (Enter locked the screen)."""
        self.keys_on_verify = self.keys_on_verify or (busy and self.verify_button.hasFocus())
        self.verify_button.setDisabled(busy)
        if not busy and self.keys_on_verify:
            self.keys_on_verify = False
            self.verify_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _verified(self, report: AuditReport) -> None:
        self._show_report("ok" if report.ok else "error", report.summary())
        self.refresh()
        self.verified.emit(report)

    def _verify_refused(self, error: Exception) -> None:
        self._show_report("error", user_message(error, "核验审计日志"))

    def _show_report(self, tone: str, text: str) -> None:
        """The report as tall as its text, up to a few lines; a long list of problems scrolls."""
        set_tone(self.report, tone, text)
        self.report_area.setVisible(bool(text))
        width = max(self.width() - 30, 300)
        height = self.report.heightForWidth(width)
        self.report_area.setFixedHeight(min((height if height > 0 else self.report.sizeHint().height()) + 4, 200))
