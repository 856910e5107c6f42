"""Materials handed in with a petition: stored once by their hash, named by the case, read back intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from db.models import AttachmentRow
from desktop.domain.access import Actor
from desktop.domain.errors import ValidationError
from desktop.services import attachments, cases
from desktop.services.context import Hall
from desktop.services.registration import register_visit
from tests.helpers import form

PNG = b"\x89PNG\r\n\x1a\n" + bytes(200)


def _count(hall: Hall) -> int:
    with hall.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(AttachmentRow)) or 0)


def test_a_file_is_stored_once_and_named_by_the_case(hall: Hall, clerk: Actor, tmp_path: Path) -> None:
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(PNG)
    letter = tmp_path / "来信.pdf"
    letter.write_bytes(b"%PDF-1.4 letter")
    first = attachments.store_file(hall, clerk, photo)
    again = attachments.store_file(hall, clerk, photo)  # the same file added twice: kept once
    pdf = attachments.store_file(hall, clerk, letter)
    assert first == again and first.mime == "image/png" and first.is_image and pdf.mime == "application/pdf"
    assert _count(hall) == 2
    result = register_visit(hall, clerk, form(attachments=(first.as_payload(), pdf.as_payload())))
    detail = cases.load_case(hall, clerk, result.case_number)
    assert [(a.name, a.size) for a in detail.attachments] == [("现场照片.png", len(PNG)), ("来信.pdf", 15)]
    assert attachments.attachment_data(hall, clerk, first.sha256) == PNG


def test_a_registration_never_names_a_file_this_pc_does_not_hold(hall: Hall, clerk: Actor) -> None:
    ghost = {"sha256": "a" * 64, "name": "丢失.pdf", "size": 10, "mime": "application/pdf"}
    with pytest.raises(ValidationError, match=r"丢失\.pdf") as refused:
        register_visit(hall, clerk, form(attachments=(ghost,)))
    assert refused.value.field == "attachments"
    with pytest.raises(ValidationError, match="校验值"):
        register_visit(hall, clerk, form(attachments=({"sha256": "xyz", "name": "a"},)))


def test_a_damaged_file_is_said_to_be_damaged(hall: Hall, clerk: Actor) -> None:
    ref = attachments.store_bytes(hall, clerk, "扫描件.png", PNG)
    with hall.transaction() as session:
        session.execute(update(AttachmentRow).values(data=PNG[:-1] + b"\x01"))
    with pytest.raises(ValidationError, match="损坏"):
        attachments.attachment_data(hall, clerk, ref.sha256)


def test_empty_and_oversized_files_are_refused(hall: Hall, clerk: Actor, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError, match="空的"):
        attachments.store_bytes(hall, clerk, "空.txt", b"")
    monkeypatch.setattr(attachments, "MAX_BYTES", 100)
    big = tmp_path / "大文件.pdf"
    big.write_bytes(b"%PDF" + bytes(200))
    with pytest.raises(ValidationError, match="过大"):
        attachments.store_file(hall, clerk, big)
    with pytest.raises(ValidationError, match="无法读取"):
        attachments.store_file(hall, clerk, tmp_path / "不存在.pdf")
    assert _count(hall) == 0


def test_an_accusations_materials_are_withheld_with_its_content(hall: Hall, clerk: Actor) -> None:
    ref = attachments.store_bytes(hall, clerk, "举报材料.pdf", b"%PDF secret")
    result = register_visit(hall, clerk, form(nature="检举控告类", attachments=(ref.as_payload(),)))
    assert cases.load_case(hall, clerk, result.case_number).attachments == ()  # clerks may not read accusations
