"""The case view says where the problem is (问题属地, in words) and where the petitioner lives (住址)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from pytestqt.qtbot import QtBot

from desktop.services import cases
from desktop.services.context import Actor, Hall
from desktop.services.reference import load_regions
from desktop.services.registration import register_visit
from tests.helpers import form
from ui.cases.search import CaseSearchPanel
from ui.shell.context import WorkContext

MakeContext = Callable[..., WorkContext]


def _shown(qtbot: QtBot, ctx: WorkContext, case_number: str) -> str:
    panel = CaseSearchPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.detail_shown, timeout=10_000):
        panel.open_number(case_number)
    return panel.detail.toPlainText()


def test_the_problem_location_is_named_and_the_address_shown(qtbot: QtBot, work_context: MakeContext,
                                                             sqlite_hall: Hall, clerk: Actor) -> None:
    region = next(r for r in load_regions().children("330726") if r.name.endswith("镇"))
    case = register_visit(sqlite_hall, clerk,
                          replace(form(address="浙江省金华市浦江县白马镇夏张村12号"), region_code=region.code))
    text = _shown(qtbot, work_context(clerk), case.case_number)
    assert f"问题属地 {load_regions().full_name(region.code)}" in text
    assert region.code not in text  # the code is never shown where the list names it
    assert "住址 浙江省金华市浦江县****" in text  # masked as everywhere (夏张村12号 hidden)
    assert "夏张村" not in text

    detail = cases.load_case(sqlite_hall, clerk, case.case_number)
    assert detail.region_name == load_regions().full_name(region.code)


def test_a_case_without_an_address_says_only_its_location(qtbot: QtBot, work_context: MakeContext,
                                                          sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    text = _shown(qtbot, work_context(clerk), case.case_number)
    assert "住址" not in text and f"问题属地 {load_regions().full_name('330726001')}" in text
