"""The counter's print preview (pytest-qt, offscreen): pages, printer choice, print, save as PDF."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind
from desktop.domain.access import Actor
from desktop.printing.base import PrinterError, Problem
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import printing
from desktop.services.context import Hall
from desktop.services.registration import register_visit
from tests.conftest import make_settings
from tests.helpers import form
from tests.printing.conftest import CASE_NUMBER, make_doc
from ui.printing import CasePrintButton, PrintPreviewDialog, printer_choices


def _dialog(qtbot: QtBot, hall: Hall, clerk: Actor, printer: SimulatedPrinter, **kwargs: object) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(hall, clerk, make_doc(pages=3), {"case_number": CASE_NUMBER},
                                choices=[("模拟打印机", printer)], **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_preview_shows_every_page_at_the_view_width(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    dialog = _dialog(qtbot, sqlite_hall, clerk, SimulatedPrinter())
    assert dialog.page_count == 3 and len(dialog.page_labels) == 3
    assert "共3页" in dialog.summary.text() and CASE_NUMBER in dialog.summary.text()
    dialog.fit_width()
    width = dialog.view.viewport().width()
    assert all(0 < label.pixmap().width() <= width for label in dialog.page_labels)
    first = dialog.page_labels[0].pixmap()
    assert first.height() / first.width() == pytest.approx(297 / 210, rel=0.02)


def test_failed_print_keeps_the_job_and_says_so(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OFFLINE, "打印机未连接"), fail_times=1)
    dialog = _dialog(qtbot, sqlite_hall, clerk, printer)
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.print_button.click()
    assert dialog.isVisible() and dialog.message.text() == "打印机未连接。文书已保存，可稍后补打"
    assert [j.status for j in printing.pending_jobs(sqlite_hall, clerk)] == ["pending"]
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000) as printed:
        dialog.print_button.click()
    assert printed.args is not None and printed.args[0].printed and not dialog.isVisible()
    assert printing.pending_jobs(sqlite_hall, clerk) == [] and len(printer.printed) == 1


def test_save_as_pdf(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor, tmp_path: Path) -> None:
    printer = SimulatedPrinter()
    dialog = _dialog(qtbot, sqlite_hall, clerk, printer, save_as=lambda _parent, name: str(tmp_path / name))
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000):
        dialog.save_button.click()
    saved = list(tmp_path.glob("*.pdf"))
    assert [p.read_bytes() for p in saved] == [dialog.doc.pdf] and printer.printed == []
    # A saved file is not the paper original: it can still be printed.
    assert printing.print_document(sqlite_hall, clerk, dialog.doc, {}, printer).printed


def test_printer_choices_start_with_the_configured_one(sqlite_hall: Hall, tmp_path: Path) -> None:
    sqlite_hall.settings = make_settings(printer_notices=f"pdf:{tmp_path}")
    choices = printer_choices(sqlite_hall, make_doc())
    assert choices[0][0] == f"按设置：保存为PDF文件（{tmp_path}）"
    assert all(text.startswith("系统打印机：") for text, _p in choices[1:])
    sqlite_hall.settings = make_settings(printer_notices="HP-2F")
    text, broken = printer_choices(sqlite_hall, make_doc())[0]
    assert text.startswith("设置有误：设置项 printer_notices")
    with pytest.raises(PrinterError):
        broken.print_document(make_doc())


def test_case_print_button_issues_and_previews_a_notice(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    notes: list[tuple[str, str]] = []
    button = CasePrintButton(sqlite_hall, clerk, lambda: case.case_id, lambda text, tone: notes.append((text, tone)))
    qtbot.addWidget(button)
    button.refresh(True)
    assert button.isEnabled()
    assert "信访人权利义务告知书" in [a.text() for a in button.kinds.actions()]
    with qtbot.waitSignal(button.opened, timeout=10_000) as opened:
        button.choose(DocumentKind.RIGHTS_NOTICE)
    assert opened.args is not None
    dialog: PrintPreviewDialog = opened.args[0]
    assert dialog.doc.kind is DocumentKind.RIGHTS_NOTICE and dialog.page_count == dialog.doc.pages >= 1
    dialog.reject()

    button.choose(DocumentKind.NON_ACCEPTANCE_NOTICE)  # needs a reason: the clerk is asked first
    assert button.form is not None and button.form.isVisible() and "reason" in button.form.inputs
    button.dialog = None
    button.form.ok_button.click()  # nothing filled in: refused in the form, no preview
    assert button.form.message.text() and button.dialog is None and notes == []
    button.form.reject()


def test_case_print_button_without_the_documents_service(qtbot: QtBot, sqlite_hall: Hall, clerk: Actor,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "desktop.services.documents", None)  # import fails
    button = CasePrintButton(sqlite_hall, clerk, lambda: "case-1", lambda _text, _tone: None)
    qtbot.addWidget(button)
    button.refresh(True)
    assert not button.isEnabled() and "尚未安装" in button.toolTip()


def test_a_notice_from_the_counter_names_the_petitioner_in_full_and_is_audited(
        qtbot: QtBot, sqlite_hall: Hall, clerk: Actor) -> None:
    from desktop.services import cases
    from desktop.services.audit import AuditQuery, list_audit

    case = register_visit(sqlite_hall, clerk, form(name="欧阳建华"))
    cases.classify(sqlite_hall, clerk, case.case_number, nature="申诉求决类", topic_code="0101")
    cases.accept(sqlite_hall, clerk, case.case_number, accepted_on=case.received_on)
    button = CasePrintButton(sqlite_hall, clerk, lambda: case.case_id, lambda _text, _tone: None)
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.opened, timeout=10_000) as opened:
        button.choose(DocumentKind.ACCEPTANCE_NOTICE)
    assert opened.args is not None
    dialog: PrintPreviewDialog = opened.args[0]
    assert "欧阳建华" in repr(dialog.doc.data)
    (entry,) = list_audit(sqlite_hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.actor_id == clerk.actor_id and "受理告知书" in entry.detail["reason"]
    dialog.reject()
