"""Sync with the central server while the program runs, and say in the header how it went.

Every ``sync_interval_seconds`` (and once as soon as the database is open) the window
pushes this PC's new records and pulls the others', on a worker thread; the work never
waits for it. The header says whether the records have reached the server and how many
still wait, in words: 已同步 14:05 / 未同步：网络未连接，待上传 12 条. Without a
``server_url`` the PC works offline and nothing is shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel

from ui.shell.context import WindowContext
from ui.shell.errors import user_message
from ui.shell.tasks import Executor

if TYPE_CHECKING:
    from desktop.services.context import Hall
    from desktop.sync.client import SyncReport


class _NotSynced(NamedTuple):  # made before every window's first frame: no dataclass, whose 6 methods compile in 0.5 ms
    message: str  # why, in words
    pending: int  # events still waiting to go up


def _sync(hall: Hall, url: str) -> SyncReport | _NotSynced:
    """One sync (runs on the worker thread, as does counting what still waits after a failure)."""
    from desktop.sync.client import sync_status, sync_with_server
    from desktop.sync.credentials import load_token
    from server.protocol import SyncProblem

    try:
        token = load_token(hall.settings, Path(hall.engine.url.database or ""))
        if not token:
            raise SyncProblem("unauthorised", "设备未注册：本机还没有同步令牌，请系统管理员登记本机")
        return sync_with_server(hall, url, token, timeout=30.0)
    except SyncProblem as problem:
        return _NotSynced(problem.message, sync_status(hall).pending)


class SyncIndicator(QLabel):
    """The header's sync line; it also drives the periodic sync (hidden on citizens' screens)."""

    def __init__(self, ctx: WindowContext, *, interval_ms: int | None = None) -> None:
        super().__init__()
        self.setObjectName("user")
        self.source = ctx.source
        settings = ctx.settings
        self.url = settings.server_url.strip()
        self.tasks = ctx.group(self)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms if interval_ms is not None else settings.sync_interval_seconds * 1000)
        self.timer.timeout.connect(self.sync_now)
        self.last_report: SyncReport | None = None
        self.last_problem = ""
        if not self.url:
            self.hide()  # offline installation: nothing to say
            return
        self.setText("同步：等待数据库打开")
        self.source.when_ready(self._hall_opened)

    @property
    def enabled(self) -> bool:
        return bool(self.url)

    def _hall_opened(self, _hall: Hall) -> None:
        self.sync_now()
        self.timer.start()

    def sync_now(self) -> None:
        """Start a sync unless one is running (or there is no server or database yet)."""
        if not self.url or self.source.hall is None or self.tasks.busy:
            return
        url = self.url
        self.tasks.run(lambda hall: _sync(hall, url), self._synced, self._failed, executor=Executor.DEVICES)

    def _synced(self, report: SyncReport | _NotSynced) -> None:
        from desktop.domain.chinatime import china_now

        if isinstance(report, _NotSynced):
            self._not_synced(report.message, report.pending)
            return
        self.last_report, self.last_problem = report, ""
        waiting = f"，待上传 {report.pending:,} 条" if report.pending else ""
        self.setText(f"已同步 {china_now():%H:%M}{waiting}")
        self.setToolTip(f"上传 {report.pushed:,} 条，收到 {report.pulled:,} 条，服务器序号 {report.cursor:,}")

    def _not_synced(self, message: str, pending: int) -> None:
        self.last_problem = message
        reason = message.split("：")[0].split("，")[0]
        waiting = f"，待上传 {pending:,} 条" if pending else ""
        self.setText(f"未同步：{reason}{waiting}")
        self.setToolTip(message + "\n本机照常工作，记录保存在本机，恢复连接后自动上传。")

    def _failed(self, error: Exception) -> None:
        """Anything but a sync problem is a fault of this program: logged, and said plainly."""
        self._not_synced(user_message(error, "同步"), 0)

    def stop(self) -> None:
        self.timer.stop()
