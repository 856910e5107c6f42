"""Fixtures for the document tests: poppler's command-line tools, sample data for every kind.

The PDF-to-image and PDF-to-text checks need poppler-utils (pdftoppm, pdftotext, pdffonts).
Outside CI a machine without them skips those tests with the reason; in CI their absence
is an error, so the rendering checks can never silently go untested.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from desktop.documents.model import DocumentKind as K
from desktop.domain.reception import Slot, arrival_words

POPPLER = ("pdftoppm", "pdftotext", "pdffonts")


@pytest.fixture(scope="session")
def poppler() -> None:
    missing = [tool for tool in POPPLER if shutil.which(tool) is None]
    if not missing:
        return
    message = f"缺少 poppler-utils（{'、'.join(missing)}）：apt-get install poppler-utils"
    if os.environ.get("CI"):
        pytest.fail(f"CI 中必须安装 poppler-utils — {message}")
    pytest.skip(message)


def pdf_text(pdf: bytes, tmp: Path) -> str:
    """The text of a PDF as pdftotext reads it (layout kept)."""
    path = tmp / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def pdf_fonts(pdf: bytes, tmp: Path) -> list[list[str]]:
    """pdffonts' table rows (name, type, encoding, emb, sub, uni, object, id)."""
    path = tmp / "fonts.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_images(pdf: bytes, tmp: Path, dpi: int) -> list[Image.Image]:
    """Each page as an image, the way a printer driver rasterises it (pdftoppm)."""
    folder = Path(tempfile.mkdtemp(dir=tmp))
    path = folder / "page.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(folder / "page")], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob("page*.png"))]


CASE_NUMBER = "XF-20260916-C01-00001-2"
ID_NUMBER = "330726196803121236"
PHONE = "13857912345"

_A4: dict[str, Any] = {
    "hall_name": "浦江县人民来访接待中心", "issuing_organisation": "浦江县信访局", "issued_on": "2026-11-24",
    "seal_text": "（印章）", "header_red": True, "case_number": CASE_NUMBER, "petitioner_name": "张*国",
    "received_on": "2026-09-16",
}

SAMPLES: dict[K, dict[str, Any]] = {
    K.REGISTRATION_RECEIPT: {
        "hall_name": "浦江县人民来访接待中心", "case_number": CASE_NUMBER, "query_code": "04718253",
        "lookup_url": "https://xf.example.gov.cn", "petitioner_name": "张建国", "id_number": ID_NUMBER,
        "received_at": "2026-09-16T09:30:00", "route_due": "2026-10-08", "route_due_unverified": False,
        "window": "3号窗口", "hall_address": "浦江县某某路10号", "hall_phone": "0579-00000005"},
    K.QUEUE_TICKET: {"hall_name": "浦江县人民来访接待中心", "ticket_number": "A012", "window_type": "综合接待",
                     "people_ahead": 3, "issued_at": "2026-09-16T09:12:00", "document_number": "A012"},
    K.RATING_RECEIPT: {"hall_name": "浦江县人民来访接待中心", "case_number": CASE_NUMBER, "petitioner_name": "张**",
                       "rating": "满意", "rated_at": "2026-12-05T10:02:00"},
    K.SUGGESTION_RECEIPT: {"hall_name": "浦江县人民来访接待中心", "suggestion_number": "JY-20261205-K01-0003",
                           "document_number": "JY-20261205-K01-0003", "theme": "优化营商环境",
                           "submitted_on": "2026-12-05", "anonymous": True, "hall_address": "浦江县某某路10号",
                           "hall_phone": "0579-00000005"},
    K.ACCEPTANCE_NOTICE: {**_A4, "document_number": "浦江信访〔2026〕受字第12号", "accepted_on": "2026-09-20",
                          "handling_due": "2026-11-19"},
    K.NON_ACCEPTANCE_NOTICE: {**_A4, "document_number": "浦江信访〔2026〕不受字第3号",
                              "reason": "你反映的问题已由浦江县住房和城乡建设局受理并正在办理，且仍在办理期限内",
                              "channel": "等待该局的办理结果，或凭案件编号向该局查询办理进度", "basis": "",
                              "channel_contact": "浦江县住房和城乡建设局来访接待室，电话：0579-00000015。"},
    K.TRANSFER_FORM: {**_A4, "document_number": "浦江信访〔2026〕转字第27号",
                      "recipient_name": "浦江县住房和城乡建设局",
                      "phone": "138****2345", "address": "浙江省金华市浦江县****", "channel": "走访",
                      "persons_count": 1, "request": "反映某小区物业长期不履行电梯维修义务，要求尽快维修。",
                      "facts_reasons": "", "remark": "", "accusation": False},
    K.ASSIGNMENT_FORM: {**_A4, "document_number": "浦江信访〔2026〕交字第8号", "recipient_name": "浦江县浦阳街道办事处",
                        "phone": "", "address": "", "channel": "走访", "persons_count": 6,
                        "request": "反映村道损毁多年未修，要求修复。", "facts_reasons": "", "due": "2026-11-30",
                        "requirement": "请实地核查，依法依规处理。", "accusation": False},
    K.LEADER_ASSIGNMENT_FORM: {**_A4, "document_number": "浦江信访〔2026〕接访交字第5号",
                               "recipient_name": "浦江县人力资源和社会保障局", "leader": "李县长",
                               "reception_on": "2026-10-15", "phone": "139****0001", "address": "", "channel": "走访",
                               "persons_count": 1, "request": "反映某建筑工地拖欠农民工工资。",
                               "facts_reasons": "", "instruction": "请于一个月内督促企业足额支付欠薪。",
                               "due": "2026-11-15", "accusation": False},
    K.EXTENSION_NOTICE: {**_A4, "document_number": "浦江信访〔2026〕延字第2号", "accepted_on": "2026-09-20",
                         "reason": "需现场勘验", "extended_days": 30, "handling_due": "2026-12-21"},
    K.OPINION: {**_A4, "document_number": "浦江信访〔2026〕意字第15号", "stage": "处理", "outcome": "不予支持",
                "request": "要求物业公司赔偿损失5万元。", "facts_found": "电梯停运系主板老化所致，已修复。",
                "opinion": "信访人要求赔偿损失，缺乏事实根据。", "basis": "",
                "review_organisation": "浦江县人民政府"},
    K.REVIEW_RECEIPT: {**_A4, "document_number": "浦江信访〔2026〕复查收字第1号", "requested_on": "2026-12-20",
                       "answer_due": "2027-01-19"},
    K.REREVIEW_RECEIPT: {**_A4, "document_number": "浦江信访〔2027〕复核收字第1号", "requested_on": "2027-01-20",
                         "answer_due": "2027-02-19"},
    K.RIGHTS_NOTICE: {**_A4, "document_number": ""},
    K.APPOINTMENT_SLIP: {"hall_name": "浦江县人民来访接待中心", "reception_on": "2026-10-15", "slot": "09:00–10:30",
                         "waiting": False, "petitioner_name": "张建国", "persons_count": 1, "leaders": "县长 周建华",
                         "place": "领导接访室", "document_number": "", "case_number": CASE_NUMBER,
                         "arrival_note": arrival_words(Slot("09:00", "10:30", 4), None, slip=True)},
    K.RECEPTION_LIST: {**_A4, "document_number": "", "reception_on": "2026-10-15", "leaders": "县长 周建华",
                       "place": "领导接访室", "units": "浦江县人力资源和社会保障局", "topics": "劳动保障", "count": 2,
                       "waiting_count": 0,
                       "lines": "09:00–10:30　张建国　1人　欠薪\n10:30–12:00　李梅　2人　村道"},
    K.RECEPTION_BRIEF: {**_A4, "document_number": "", "reception_on": "2026-10-15", "slot": "09:00–10:30",
                        "persons_count": 1, "summary": "欠薪", "case_count": 1,
                        "cases_text": f"{CASE_NUMBER}（2026年9月16日登记，办理中）诉求：反映拖欠工资。",
                        "notes_text": "王丽（2026年9月17日 10:00）：已向镇里反映过两次"},
}


@pytest.fixture(scope="session")
def samples() -> dict[K, dict[str, Any]]:
    return SAMPLES


@pytest.fixture
def text_of(tmp_path: Path, poppler: None) -> Callable[[bytes], str]:
    return lambda pdf: pdf_text(pdf, tmp_path)
