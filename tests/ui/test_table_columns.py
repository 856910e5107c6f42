"""A list read again keeps filling its width: the stretched last column is not left at its words' width."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from ui.common.widgets import fill_table, read_only_table


def test_a_list_filled_again_still_fills_its_width(qtbot: QtBot) -> None:
    table = read_only_table(("接访日", "来源", "说明"))
    qtbot.addWidget(table)
    table.resize(900, 300)
    table.show()
    qtbot.waitExposed(table)
    fill_table(table, [("2026年12月15日（星期二）", "按规则生成", "—")])
    qtbot.waitUntil(lambda: sum(table.columnWidth(c) for c in range(3)) >= table.viewport().width())
    fill_table(table, [("2026年12月15日（星期二）", "手工添加", "—"), ("2027年1月15日（星期五）", "按规则生成", "—")])
    assert sum(table.columnWidth(c) for c in range(3)) >= table.viewport().width()
    assert table.columnWidth(0) >= table.fontMetrics().horizontalAdvance("2026年12月15日（星期二）")
