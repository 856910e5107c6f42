"""The counter's print preview (pytest-qt, offscreen): pages, printer choice, print, save as PDF.

Every screen gets its services through a WorkContext: issuing a notice, asking the
system for its printers and printing run off the GUI thread, so the tests wait on
the screens' signals (``tasks.settled``, ``finished_printing``, ``opened``, ``issued``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.documents.model import DocumentKind, Media
from desktop.domain.access import Actor
from desktop.printing.base import PrinterError, Problem
from desktop.printing.pdf_file import PdfFilePrinter
from desktop.printing.simulated import SimulatedPrinter
from desktop.services import cases, printing
from desktop.services.audit import AuditQuery, list_audit
from desktop.services.context import Hall
from desktop.services.registration import register_visit
from tests.conftest import make_settings
from tests.helpers import form
from tests.printing.conftest import CASE_NUMBER, make_doc
from ui.printing.preview import CasePrintButton, PrintPreviewDialog, printer_choices, printer_choices_for
from ui.shell.context import WorkContext

MakeContext = Callable[..., WorkContext]


def _dialog(qtbot: QtBot, ctx: WorkContext, printer: SimulatedPrinter, **kwargs: object) -> PrintPreviewDialog:
    dialog = PrintPreviewDialog(ctx, make_doc(pages=3), {"case_number": CASE_NUMBER},
                                choices=[("模拟打印机", printer)], **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _settle(qtbot: QtBot, dialog: PrintPreviewDialog) -> None:
    """Until the dialog's work (the printer lookup, a print) has come back and been handled."""
    qtbot.waitUntil(lambda: not dialog.tasks.busy and not dialog.lookup.busy, timeout=10_000)


def test_preview_shows_every_page_at_the_view_width(qtbot: QtBot, work_context: MakeContext,
                                                    clerk: Actor) -> None:
    dialog = _dialog(qtbot, work_context(clerk), SimulatedPrinter())
    assert dialog.page_count == 3 and len(dialog.page_labels) == 3
    assert "共3页" in dialog.summary.text() and CASE_NUMBER in dialog.summary.text()
    dialog.fit_width()
    width = dialog.view.viewport().width()
    assert all(0 < label.pixmap().width() <= width for label in dialog.page_labels)
    first = dialog.page_labels[0].pixmap()
    assert first.height() / first.width() == pytest.approx(297 / 210, rel=0.02)
    assert not dialog.tasks.busy  # choices were handed in: nothing asked of the system
    assert dialog.print_button.isEnabled() and dialog.selected_printer() is not None


def test_failed_print_keeps_the_job_and_says_so(qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall,
                                                clerk: Actor) -> None:
    printer = SimulatedPrinter(fail_with=PrinterError(Problem.OFFLINE, "打印机未连接"), fail_times=1)
    dialog = _dialog(qtbot, work_context(clerk), printer)
    with qtbot.waitSignal(dialog.tasks.settled, timeout=10_000):
        dialog.print_button.click()
        # While the print is on its way (DEVICES executor) the dialog cannot print twice or close.
        assert dialog.tasks.busy and dialog.message.text().startswith("正在送往")
        assert not dialog.print_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.isVisible() and dialog.message.text() == "打印机未连接。文书已保存，可稍后补打"
    assert dialog.outcome is not None and not dialog.outcome.printed
    assert dialog.print_button.isEnabled() and dialog.cancel_button.isEnabled()
    assert [j.status for j in printing.pending_jobs(sqlite_hall, clerk)] == ["pending"]
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000) as printed:
        dialog.print_button.click()
    assert printed.args is not None and printed.args[0].printed and not dialog.isVisible()
    assert printing.pending_jobs(sqlite_hall, clerk) == [] and len(printer.printed) == 1


def test_save_as_pdf(qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor,
                     tmp_path: Path) -> None:
    printer = SimulatedPrinter()
    dialog = _dialog(qtbot, work_context(clerk), printer, save_as=lambda _parent, name: str(tmp_path / name))
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000):
        dialog.save_button.click()
    saved = list(tmp_path.glob("*.pdf"))
    assert [p.read_bytes() for p in saved] == [dialog.doc.pdf] and printer.printed == []
    # A saved file is not the paper original: it can still be printed.
    assert printing.print_document(sqlite_hall, clerk, dialog.doc, {}, printer).printed


def test_save_as_pdf_cancelled_does_nothing(qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall,
                                            clerk: Actor) -> None:
    dialog = _dialog(qtbot, work_context(clerk), SimulatedPrinter(), save_as=lambda _parent, _name: "")
    dialog.save_button.click()
    assert not dialog.tasks.busy and dialog.isVisible() and dialog.outcome is None
    assert printing.print_log(sqlite_hall, clerk) == []
    dialog.reject()


def test_printer_choices_start_with_the_configured_one(tmp_path: Path) -> None:
    settings = make_settings(printer_notices=f"pdf:{tmp_path}")
    choices = printer_choices(settings, make_doc())
    assert choices[0][0] == f"按设置：保存为PDF文件（{tmp_path}）" and isinstance(choices[0][1], PdfFilePrinter)
    assert all(text.startswith("系统打印机：") for text, _p in choices[1:])
    assert [text for text, _p in printer_choices_for(settings, DocumentKind.ACCEPTANCE_NOTICE, Media.A4)] == [
        text for text, _p in choices]
    text, broken = printer_choices(make_settings(printer_notices="HP-2F"), make_doc())[0]
    assert text.startswith("设置有误：设置项 printer_notices")
    with pytest.raises(PrinterError):
        broken.print_document(make_doc())


def test_without_choices_the_dialog_asks_for_the_printers_off_the_gui_thread(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor, tmp_path: Path) -> None:
    sqlite_hall.settings = make_settings(printer_notices=f"pdf:{tmp_path}")
    dialog = PrintPreviewDialog(work_context(clerk), make_doc())
    qtbot.addWidget(dialog)
    assert dialog.lookup.busy and dialog.selected_printer() is None and not dialog.print_button.isEnabled()
    assert dialog.printer.itemText(0) == "正在查找打印机……"
    assert dialog.cancel_button.isEnabled() and dialog.save_button.isEnabled()  # never stuck on a slow lookup
    dialog.print_selected()  # no printer yet: nothing happens
    _settle(qtbot, dialog)
    assert dialog.printer.itemText(0) == f"按设置：保存为PDF文件（{tmp_path}）"
    assert isinstance(dialog.selected_printer(), PdfFilePrinter) and dialog.print_button.isEnabled()
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000) as finished:
        dialog.print_button.click()
    assert finished.args is not None and finished.args[0].printed
    assert [p.read_bytes() for p in tmp_path.glob("*.pdf")] == [dialog.doc.pdf]


def test_case_print_button_issues_and_previews_a_notice(qtbot: QtBot, work_context: MakeContext,
                                                        sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form())
    notes: list[tuple[str, str]] = []
    button = CasePrintButton(work_context(clerk), lambda: case.case_id,
                             lambda text, tone: notes.append((text, tone)))
    qtbot.addWidget(button)
    button.refresh(False)
    assert not button.isEnabled()
    button.refresh(True)
    assert button.isEnabled()
    assert "信访人权利义务告知书" in [a.text() for a in button.kinds.actions()]
    with qtbot.waitSignal(button.opened, timeout=10_000) as opened, \
            qtbot.waitSignal(button.issued, timeout=10_000):
        button.preview(DocumentKind.RIGHTS_NOTICE, {})
        assert button.tasks.busy and button.dialog is None  # issued off the GUI thread: the preview opens later
        button.preview(DocumentKind.RIGHTS_NOTICE, {})  # a second click while issuing: ignored
    assert opened.args is not None
    dialog: PrintPreviewDialog = opened.args[0]
    assert button.dialog is dialog and dialog.isVisible()
    assert dialog.doc.kind is DocumentKind.RIGHTS_NOTICE and dialog.page_count == dialog.doc.pages >= 1
    _settle(qtbot, dialog)  # the system's printers, asked off the GUI thread
    assert dialog.printer.count() >= 1 and dialog.selected_printer() is not None
    dialog.reject()
    assert notes == []

    button.choose(DocumentKind.NON_ACCEPTANCE_NOTICE)  # needs a reason: the clerk is asked first
    assert button.form is not None and button.form.isVisible() and "reason" in button.form.inputs
    button.dialog = None
    with qtbot.waitSignal(button.issued, timeout=10_000):
        button.form.ok_button.click()  # nothing filled in: refused in the form, no preview
        assert not button.form.ok_button.isEnabled()  # while the service decides
    assert button.form.message.text() and button.form.isVisible() and button.form.ok_button.isEnabled()
    assert button.dialog is None and notes == []
    button.form.reject()


def test_a_notice_refused_without_a_form_is_told_beside_the_button(qtbot: QtBot, work_context: MakeContext,
                                                                   clerk: Actor) -> None:
    notes: list[tuple[str, str]] = []
    button = CasePrintButton(work_context(clerk), lambda: "XF-20260916-C01-99999-0",
                             lambda text, tone: notes.append((text, tone)))
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.issued, timeout=10_000):
        button.choose(DocumentKind.ACCEPTANCE_NOTICE)  # no such case: the service refuses
    assert button.dialog is None and len(notes) == 1
    text, tone = notes[0]
    assert tone == "error" and text and "参考号" not in text  # a refusal, told as it is


def test_no_case_on_screen_issues_nothing(qtbot: QtBot, work_context: MakeContext, clerk: Actor) -> None:
    button = CasePrintButton(work_context(clerk), lambda: None, lambda _text, _tone: None)
    qtbot.addWidget(button)
    button.choose(DocumentKind.RIGHTS_NOTICE)
    assert not button.tasks.busy and button.dialog is None


def test_case_print_button_without_the_documents_service(qtbot: QtBot, work_context: MakeContext, clerk: Actor,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "desktop.services.documents", None)  # import fails
    button = CasePrintButton(work_context(clerk), lambda: "case-1", lambda _text, _tone: None)
    qtbot.addWidget(button)
    button.refresh(True)
    assert not button.isEnabled() and "尚未安装" in button.toolTip()
    assert button.kinds.actions() == []
    button.preview(DocumentKind.RIGHTS_NOTICE, {})
    assert not button.tasks.busy and button.dialog is None


def test_a_notice_from_the_counter_names_the_petitioner_in_full_and_is_audited(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor) -> None:
    case = register_visit(sqlite_hall, clerk, form(name="欧阳建华"))
    cases.classify(sqlite_hall, clerk, case.case_number, nature="申诉求决类", topic_code="0101")
    cases.accept(sqlite_hall, clerk, case.case_number, accepted_on=case.received_on)
    notes: list[tuple[str, str]] = []
    button = CasePrintButton(work_context(clerk), lambda: case.case_id,
                             lambda text, tone: notes.append((text, tone)))
    qtbot.addWidget(button)
    with qtbot.waitSignal(button.opened, timeout=10_000) as opened:
        button.choose(DocumentKind.ACCEPTANCE_NOTICE)
    assert opened.args is not None
    dialog: PrintPreviewDialog = opened.args[0]
    # The service decided (the clerk may see the full name) and audited it, off the GUI thread.
    assert "欧阳建华" in repr(dialog.doc.data) and "欧阳建华" in repr(dialog.data)
    (entry,) = list_audit(sqlite_hall, Actor.system(), AuditQuery(action="查看完整个人信息"))
    assert entry.actor_id == clerk.actor_id and "受理告知书" in entry.detail["reason"]
    # Printing from the preview tells the outcome beside the button.
    _settle(qtbot, dialog)
    with qtbot.waitSignal(dialog.finished_printing, timeout=10_000):
        dialog.print_to(SimulatedPrinter())
    assert len(notes) == 1 and notes[0][1] == "ok" and not dialog.isVisible()
    (job,) = printing.print_log(sqlite_hall, clerk, case.case_number)
    assert (job.kind, job.status, job.copy) == (DocumentKind.ACCEPTANCE_NOTICE.value, "printed", 0)


def test_the_notice_form_says_which_notice_and_what_its_basis_and_channel_take(qtbot: QtBot) -> None:
    """No title shows where no window manager draws one, and 依据 had no hint at all."""
    from PySide6.QtWidgets import QLabel

    from desktop.documents.model import DocumentKind
    from desktop.services.documents import FIELD_NAMES, NOTICE_FIELDS, SHORT_FIELDS
    from ui.printing.preview import NoticeFieldsDialog

    kind = DocumentKind.NON_ACCEPTANCE_NOTICE
    dialog = NoticeFieldsDialog(kind, sorted(NOTICE_FIELDS[kind]), FIELD_NAMES, SHORT_FIELDS,
                                recorded=frozenset({"reason"}))
    qtbot.addWidget(dialog)
    assert any(label.text() == f"出具{kind.value}" for label in dialog.findChildren(QLabel))
    assert "条例" in dialog.inputs["basis"].placeholderText()
    assert "你可以" in dialog.inputs["channel"].placeholderText()
    assert dialog.inputs["reason"].placeholderText() == "不填即为办理该步骤时填写的内容"


def test_a_notice_the_cases_steps_do_not_allow_is_greyed_with_the_services_reason(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor) -> None:
    """受理告知书 was offered for a refused case and refused only after the click."""
    from desktop.domain.errors import RuleViolation
    from desktop.domain.events import EventType
    from desktop.services import documents

    case = register_visit(sqlite_hall, clerk, form())
    cases.record(sqlite_hall, clerk, case.case_number, EventType.NOT_ACCEPTED, {"reason": "属于诉讼途径"})
    detail = cases.load_case(sqlite_hall, clerk, case.case_number)
    button = CasePrintButton(work_context(clerk), lambda: case.case_id, lambda _text, _tone: None)
    qtbot.addWidget(button)
    button.refresh(True, detail.view, detail.events)
    accept = button.notice_actions[DocumentKind.ACCEPTANCE_NOTICE]
    with pytest.raises(RuleViolation) as refused:
        documents.notice(sqlite_hall, clerk, DocumentKind.ACCEPTANCE_NOTICE, case.case_number, {})
    assert not accept.isEnabled() and accept.toolTip() == refused.value.message
    assert accept.text().startswith("受理告知书 — ") and "缺少“受理”" in accept.text()
    assert not button.notice_actions[DocumentKind.OPINION].isEnabled()
    for kind in (DocumentKind.NON_ACCEPTANCE_NOTICE, DocumentKind.RIGHTS_NOTICE, DocumentKind.TRANSFER_FORM):
        assert button.notice_actions[kind].isEnabled() and button.notice_actions[kind].text() == kind.value
    button.refresh(False)  # no case on screen: nothing said of the last one
    assert accept.isEnabled() and accept.text() == "受理告知书" and not button.isEnabled()


def test_the_notice_form_asks_before_throwing_away_what_was_typed(qtbot: QtBot) -> None:
    """Esc closed the form and the typed 依据 and 机关 were gone without a word."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from desktop.services.documents import FIELD_NAMES, NOTICE_FIELDS, SHORT_FIELDS
    from ui.printing.preview import NoticeFieldsDialog

    kind = DocumentKind.NON_ACCEPTANCE_NOTICE
    dialog = NoticeFieldsDialog(kind, sorted(NOTICE_FIELDS[kind]), FIELD_NAMES, SHORT_FIELDS)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.inputs["basis"].setPlainText("《信访工作条例》第三十二条")  # type: ignore[union-attr]
    dialog.inputs["channel_organisation"].setText("金华市中级人民法院")  # type: ignore[union-attr]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    question = dialog.question
    assert question is not None and question.isVisible() and dialog.isVisible()
    assert "依据" in question.text() and "有权处理的机关" in question.text()
    stay = next(b for b in question.buttons() if question.buttonRole(b) == QMessageBox.ButtonRole.RejectRole)
    stay.click()
    assert dialog.isVisible() and dialog.values()["channel_organisation"] == "金华市中级人民法院"
    dialog.reject()  # 取消 and the window's close ask the same
    question = dialog.question
    assert question is not None and question.isVisible()
    go = next(b for b in question.buttons() if question.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole)
    go.click()
    assert not dialog.isVisible()
    empty = NoticeFieldsDialog(kind, sorted(NOTICE_FIELDS[kind]), FIELD_NAMES, SHORT_FIELDS)
    qtbot.addWidget(empty)
    empty.show()
    qtbot.keyClick(empty, Qt.Key.Key_Escape)  # nothing typed: nothing to ask
    assert not empty.isVisible() and empty.question is None


def test_the_organ_to_turn_to_is_offered_from_the_directory_as_the_clerk_types(
        qtbot: QtBot, work_context: MakeContext, sqlite_hall: Hall, clerk: Actor) -> None:
    """有权处理的机关 refused a typed name with “请从列表中选择” and showed no list."""
    from desktop.domain.events import EventType

    case = register_visit(sqlite_hall, clerk, form())
    cases.record(sqlite_hall, clerk, case.case_number, EventType.NOT_ACCEPTED, {"reason": "属于劳动争议"})
    button = CasePrintButton(work_context(clerk), lambda: case.case_id, lambda _text, _tone: None)
    qtbot.addWidget(button)
    button.choose(DocumentKind.NON_ACCEPTANCE_NOTICE)
    assert button.form is not None
    edit = button.form.inputs["channel_organisation"]
    qtbot.waitUntil(lambda: edit.completer() is not None, timeout=10_000)  # type: ignore[union-attr]
    completer = edit.completer()  # type: ignore[union-attr]
    completer.setCompletionPrefix("仲裁")
    offered = [completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())]
    assert "浦江县劳动人事争议仲裁院" in offered
    button.form.reject()
