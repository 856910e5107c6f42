"""The one error path: refusals as they are, faults plainly with a reference, and a log without personal data."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.domain.errors import RuleViolation
from ui.shell import errors


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    path = errors.setup_logging(tmp_path)
    assert path is not None
    yield path
    for handler in list(errors.log.handlers):
        errors.log.removeHandler(handler)
        handler.close()


def test_a_refusal_is_told_word_for_word_and_not_logged(log_file: Path) -> None:
    assert errors.user_message(RuleViolation("locked", "账户已锁定，请于09:45后再试")) == "账户已锁定，请于09:45后再试"
    assert log_file.read_text(encoding="utf-8") == ""


def test_a_fault_is_told_plainly_and_logged_without_personal_data(log_file: Path) -> None:
    told: list[str] = []
    errors.unexpected_hooks.append(lambda reference, _error: told.append(reference))
    try:
        raise ValueError("INSERT failed for 王芳 330726196803120123 13857912345 'secret value'")
    except ValueError as fault:
        text = errors.user_message(fault, "登记")
        again = errors.user_message(fault, "登记")
    finally:
        errors.unexpected_hooks.clear()
    assert text.startswith("登记时程序出现意外问题") and "参考号 E-" in text
    assert again == text and len(told) == 1  # one fault, one reference, one log entry
    for secret in ("王芳", "330726196803120123", "13857912345", "secret value", "INSERT failed for 王"):
        assert secret not in text
    logged = log_file.read_text(encoding="utf-8")
    assert told[0] in logged and "ValueError" in logged and "test_errors.py" in logged
    for secret in ("王芳", "330726196803120123", "13857912345", "secret value"):
        assert secret not in logged


def test_the_log_is_rotated(tmp_path: Path) -> None:
    path = errors.setup_logging(tmp_path)
    try:
        handler = next(h for h in errors.log.handlers if isinstance(h, logging.handlers.RotatingFileHandler))
        assert handler.maxBytes == 1_000_000 and handler.backupCount == 5
        assert path == tmp_path / "logs" / "petition-hall.log"
    finally:
        for h in list(errors.log.handlers):
            errors.log.removeHandler(h)
            h.close()


def test_scrub_keeps_the_shape_of_a_message() -> None:
    assert errors.scrub("no such table: cases") == "no such table: cases"
    assert errors.scrub("id 330726196803120123 for 张建国") == "id 33… for 〔…〕"


def test_qts_own_dialogs_speak_chinese(qapp: object) -> None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox, QPushButton

    from ui.shell.theme import install_translations

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translations(app)
    try:
        assert len(translators) == 2  # Qt's own file and what it leaves in English
        assert install_translations(app) is translators  # once: a second call installs nothing more
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
        box = QMessageBox(QMessageBox.Icon.Question, "确认", "继续？",
                          QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        assert sorted(b.text() for b in box.buttons()) == ["取消", "确定"]
        dialog = QFileDialog(None, "导入名单")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        labels = {w.objectName(): w.text() for w in dialog.findChildren(QLabel)}
        assert labels["lookInLabel"] == "查找范围(&L)：" and labels["fileTypeLabel"] == "文件类型(&T)："
        assert labels["fileNameLabel"] == "文件名称(&N)："
        assert {"打开(&O)", "取消"} <= {b.text() for b in dialog.findChildren(QPushButton)}
        box.deleteLater()
        dialog.deleteLater()
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        del app._chinese_translators  # type: ignore[attr-defined]


def test_the_extra_translations_are_compiled_from_their_source(tmp_path: Path) -> None:
    import subprocess
    import sys

    from ui.shell.theme import EXTRA_TRANSLATIONS

    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    compiled = tmp_path / "extra.qm"
    subprocess.run([str(lrelease), "-silent", str(EXTRA_TRANSLATIONS.with_suffix(".ts")), "-qm", str(compiled)],
                   check=True, timeout=60)
    assert compiled.read_bytes() == EXTRA_TRANSLATIONS.read_bytes()
