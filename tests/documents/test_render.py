"""Rendering every kind for real: PDF → text, fonts, images and the QR code read back."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.documents.layout import MM
from desktop.documents.model import DocumentKind as K
from desktop.documents.model import Media, RenderedDocument
from desktop.documents.render import render
from desktop.documents.templates import SECRET_KEYS, TEMPLATES, TEXTS
from desktop.documents.text import break_lines, chinese_date
from desktop.domain.errors import ValidationError
from desktop.domain.qrpayload import parse_payload
from tests.documents.conftest import CASE_NUMBER, ID_NUMBER, SAMPLES, pdf_fonts, pdf_images, pdf_text

COPY = "补打（第1次）"


@pytest.fixture(scope="module")
def rendered() -> dict[K, RenderedDocument]:
    return {kind: render(kind, data) for kind, data in SAMPLES.items()}


@pytest.fixture(scope="module")
def copies() -> dict[K, RenderedDocument]:
    return {kind: render(kind, SAMPLES[kind], copy_label=COPY)
            for kind in (K.REGISTRATION_RECEIPT, K.OPINION)}


def test_every_kind_has_a_template_and_renders(rendered: dict[K, RenderedDocument]) -> None:
    assert set(TEMPLATES) == set(K) == set(rendered)
    for kind, doc in rendered.items():
        assert doc.kind is kind and doc.pdf.startswith(b"%PDF") and doc.pages >= 1
        assert doc.media is TEMPLATES[kind].media
        assert doc.data == SAMPLES[kind]


#: Papers handed to the citizen; the forms sent to the handling units (转送单, 交办单) keep the office's 事项编号.
TO_THE_CITIZEN = (K.REGISTRATION_RECEIPT, K.RATING_RECEIPT, K.ACCEPTANCE_NOTICE, K.NON_ACCEPTANCE_NOTICE,
                  K.EXTENSION_NOTICE, K.OPINION, K.REVIEW_RECEIPT, K.REREVIEW_RECEIPT, K.APPOINTMENT_SLIP)


def test_the_citizens_papers_call_the_number_as_the_receipt_and_the_kiosk_do(
        rendered: dict[K, RenderedDocument], text_of: Callable[[bytes], str]) -> None:
    """受理告知书 said 凭事项编号和查询码…在自助终端查询: the kiosk asks for the 案件编号 of the receipt."""
    for kind in TO_THE_CITIZEN:
        text = "".join(text_of(rendered[kind].pdf).split())
        assert "事项编号" not in text, kind
        assert f"案件编号{CASE_NUMBER}" in text or f"案件编号：{CASE_NUMBER}" in text, kind


def test_page_sizes_are_a4_and_80_mm(rendered: dict[K, RenderedDocument]) -> None:
    for doc in rendered.values():
        pdf = pdfium.PdfDocument(doc.pdf)
        try:
            width, height = (v / MM for v in pdf[0].get_size())
            assert len(pdf) == doc.pages
        finally:
            pdf.close()
        if doc.media is Media.A4:
            assert (round(width), round(height)) == (210, 297) == (doc.page_width_mm, doc.page_height_mm)
        else:
            assert round(width, 1) == 80.0 == doc.page_width_mm
            assert 50 < height < 250 and abs(height - doc.page_height_mm) < 0.01


def test_same_inputs_give_the_same_bytes_even_through_json(rendered: dict[K, RenderedDocument]) -> None:
    for kind, data in SAMPLES.items():
        again = render(kind, json.loads(json.dumps(data, ensure_ascii=False)))
        assert again.pdf == rendered[kind].pdf, kind


def test_the_font_is_embedded_and_nothing_else_is_needed(rendered: dict[K, RenderedDocument], tmp_path: Path,
                                                         poppler: None) -> None:
    for kind in (K.REGISTRATION_RECEIPT, K.TRANSFER_FORM, K.RIGHTS_NOTICE):
        pdf = rendered[kind].pdf
        assert b"/FontFile2" in pdf
        rows = pdf_fonts(pdf, tmp_path)
        assert rows and all(row[0].endswith(tuple(f"WenQuanYiMicroHei-{i}" for i in range(9))) for row in rows)
        assert all(row[-5:-3] == ["yes", "yes"] for row in rows), rows  # emb, sub


def test_the_receipt_shows_masked_data_only(rendered: dict[K, RenderedDocument],
                                            text_of: Callable[[bytes], str]) -> None:
    text = text_of(rendered[K.REGISTRATION_RECEIPT].pdf)
    assert CASE_NUMBER in text and "0471 8253" in text
    assert ID_NUMBER not in text and "330726********1236" in text
    assert "张建国" not in text and "张**" in text
    assert "2026年10月8日前告知您" in text and "2026年9月16日 09:30" in text
    assert "浦江县某某路10号" in text and "0579-00000005" in text


@pytest.fixture(scope="module")
def receipt_scan(rendered: dict[K, RenderedDocument], tmp_path_factory: pytest.TempPathFactory,
                 ) -> list[zxingcpp.Barcode]:
    import shutil

    if shutil.which("pdftoppm") is None:
        pytest.skip("缺少 pdftoppm")
    (page,) = pdf_images(rendered[K.REGISTRATION_RECEIPT].pdf, tmp_path_factory.mktemp("scan"), 203)
    return list(zxingcpp.read_barcodes(page))


def test_the_qr_code_scans_back_to_the_case_and_code(receipt_scan: list[zxingcpp.Barcode], poppler: None) -> None:
    (code,) = receipt_scan
    assert code.format == zxingcpp.BarcodeFormat.QRCode
    assert parse_payload(code.text, "xf.example.gov.cn") == (CASE_NUMBER, "04718253")


@pytest.mark.parametrize("dpi", [150, 203, 300])
def test_zbar_reads_the_same_qr_code_at_every_printer_resolution(rendered: dict[K, RenderedDocument], dpi: int,
                                                                 tmp_path: Path, poppler: None) -> None:
    """A second decoder, independent of zxing (ZBar, as in many handheld scanners and phone apps)."""
    import shutil
    import subprocess

    if shutil.which("zbarimg") is None:
        message = "缺少 zbarimg：apt-get install zbar-tools"
        if os.environ.get("CI"):
            pytest.fail(f"CI 中必须安装 zbar-tools — {message}")
        pytest.skip(message)
    (page,) = pdf_images(rendered[K.REGISTRATION_RECEIPT].pdf, tmp_path, dpi)
    page.save(tmp_path / "receipt.png")
    read = subprocess.run(["zbarimg", "--quiet", "--raw", str(tmp_path / "receipt.png")],
                          capture_output=True, text=True, check=False).stdout.split()
    assert len(read) == 1 and parse_payload(read[0], "xf.example.gov.cn") == (CASE_NUMBER, "04718253")


def test_the_qr_code_is_at_least_25_mm_wide(receipt_scan: list[zxingcpp.Barcode], poppler: None) -> None:
    (code,) = receipt_scan
    xs = [p.x for p in (code.position.top_left, code.position.top_right, code.position.bottom_left,
                        code.position.bottom_right)]
    assert (max(xs) - min(xs)) / 203 * 25.4 >= 25


def test_an_a4_notice_reads_as_a_notice(rendered: dict[K, RenderedDocument],
                                        text_of: Callable[[bytes], str]) -> None:
    text = "".join(text_of(rendered[K.ACCEPTANCE_NOTICE].pdf).split())  # justified lines come out spaced
    for words in ("浦江县信访局", "浦江信访〔2026〕受字第12号", "信访事项受理告知书", "张*国：", CASE_NUMBER,
                  "二〇二六年十一月二十四日", "（印章）", "2026年11月19日", "第三十四条"):
        assert words in text, words


def test_the_rights_notice_lists_the_six_prohibited_behaviours(rendered: dict[K, RenderedDocument],
                                                               text_of: Callable[[bytes], str]) -> None:
    text = "".join(text_of(rendered[K.RIGHTS_NOTICE].pdf).split())
    prohibited = TEXTS["rights.prohibited"].split("\n")
    assert len(prohibited) == 6
    for n, item in zip("一二三四五六", prohibited, strict=True):
        assert f"（{n}）{item}" in text
    assert "第二十六条" in text and "信访人（签名）" in text


def test_copies_carry_their_label_and_differ_only_by_it(rendered: dict[K, RenderedDocument],
                                                        copies: dict[K, RenderedDocument],
                                                        text_of: Callable[[bytes], str]) -> None:
    for kind, copy in copies.items():
        assert copy.copy_label == COPY and copy.pdf != rendered[kind].pdf
        text = text_of(copy.pdf)
        assert text.count("补打") >= copy.pages, kind
        assert "补打" not in text_of(rendered[kind].pdf)


def test_a_reprint_from_the_logged_data_has_no_code_and_no_qr(tmp_path: Path, poppler: None,
                                                              text_of: Callable[[bytes], str]) -> None:
    logged = {k: v for k, v in SAMPLES[K.REGISTRATION_RECEIPT].items() if k not in SECRET_KEYS}
    reprint = render(K.REGISTRATION_RECEIPT, logged, copy_label=COPY)
    text = text_of(reprint.pdf)
    assert "04718253" not in text and "0471 8253" not in text and "不含查询码" in text
    (page,) = pdf_images(reprint.pdf, tmp_path, 203)
    assert list(zxingcpp.read_barcodes(page)) == []


def test_a_long_opinion_breaks_into_numbered_pages(text_of: Callable[[bytes], str]) -> None:
    data = {**SAMPLES[K.OPINION], "opinion": "\n".join(["经查，" + "有关单位已依法履行职责。" * 12] * 8)}
    doc = render(K.OPINION, data)
    assert doc.pages >= 2
    text = "".join(text_of(doc.pdf).split())
    assert "—1—" in text and f"—{doc.pages}—" in text and "二〇二六年十一月二十四日" in text


def test_a_huge_request_in_a_form_continues_on_the_next_page(text_of: Callable[[bytes], str]) -> None:
    data = {**SAMPLES[K.TRANSFER_FORM], "request": "要求尽快维修电梯并公开维修资金使用情况。" * 120}
    doc = render(K.TRANSFER_FORM, data)
    assert doc.pages >= 2 and "（续）" in text_of(doc.pdf)


def test_wording_can_be_overridden_through_the_data(text_of: Callable[[bytes], str]) -> None:
    data: dict[str, Any] = {**SAMPLES[K.QUEUE_TICKET], "texts": {"queue.note": "请到二楼等候区休息。"}}
    assert "请到二楼等候区休息。" in text_of(render(K.QUEUE_TICKET, data).pdf)


def test_a_black_letterhead_when_red_is_turned_off() -> None:
    red = render(K.ACCEPTANCE_NOTICE, SAMPLES[K.ACCEPTANCE_NOTICE]).pdf
    black = render(K.ACCEPTANCE_NOTICE, {**SAMPLES[K.ACCEPTANCE_NOTICE], "header_red": False}).pdf
    assert red != black


@pytest.mark.parametrize(("change", "words"), [
    ({"accepted_on": None}, "受理日期"),
    ({"accepted_on": "2026-02-30"}, "不是有效的日期"),
    ({"texts": {"acceptance.body": "{no_such_key}"}}, "no_such_key"),
])
def test_missing_or_malformed_data_is_named(change: dict[str, Any], words: str) -> None:
    data = {k: v for k, v in {**SAMPLES[K.ACCEPTANCE_NOTICE], **change}.items() if v is not None}
    with pytest.raises(ValidationError, match=words):
        render(K.ACCEPTANCE_NOTICE, data)


def test_dates_in_chinese_numerals() -> None:
    assert chinese_date(date(2026, 11, 24)) == "二〇二六年十一月二十四日"
    assert chinese_date(date(2030, 1, 10)) == "二〇三〇年一月十日"
    assert chinese_date(date(2026, 10, 31)) == "二〇二六年十月三十一日"


def test_line_breaking_keeps_punctuation_off_the_line_start() -> None:
    lines = break_lines("一二三四五六七八九十（第三十条）。后面还有", lambda s: float(len(s)), 11)
    assert all(line.text[0] not in "，。）》" for line in lines)
    assert all(not line.text.endswith(("（", "《")) for line in lines)
    assert "".join(line.text for line in lines) == "一二三四五六七八九十（第三十条）。后面还有"


@settings(max_examples=25, deadline=None)
@given(name=st.text(max_size=30), request=st.text(max_size=400), label=st.text(max_size=12))
def test_any_text_renders_or_is_refused_in_words(name: str, request: str, label: str) -> None:
    """Whatever a person typed, a document comes out (missing glyphs print as boxes), never a crash."""
    receipt = render(K.REGISTRATION_RECEIPT, {**SAMPLES[K.REGISTRATION_RECEIPT], "petitioner_name": name},
                     copy_label=label)
    form = render(K.TRANSFER_FORM, {**SAMPLES[K.TRANSFER_FORM], "request": request, "petitioner_name": name})
    assert receipt.pdf.startswith(b"%PDF") and form.pages >= 1


def test_a_rare_character_the_main_font_lacks_is_set_in_the_fallback_font(tmp_path: Path, poppler: None) -> None:
    """䶮 and 㛃 (CJK Extension A, in people's names and places) print as themselves, not as empty boxes."""
    from desktop.documents import fonts

    if fonts.fallback_copy(fonts.FALLBACKS[0][1]) is None:
        if os.environ.get("CI"):
            pytest.fail("CI 中必须安装 fonts-wqy-zenhei（scripts/setup.sh 会安装）")
        pytest.skip("没有后备字体：apt-get install fonts-wqy-zenhei")
    data = {**SAMPLES[K.TRANSFER_FORM], "petitioner_name": "刘䶮",
            "request": "反映王㛃家门前道路积水，要求疏通排水沟。"}
    doc = render(K.TRANSFER_FORM, data)
    text = pdf_text(doc.pdf, tmp_path)
    assert "刘䶮" in text and "王㛃家门前" in text
    rows = pdf_fonts(doc.pdf, tmp_path)
    faces = {row[0].split("+")[-1].rsplit("-", 1)[0] for row in rows}  # the font's own name, less the subset
    assert len(faces) == 2 and fonts.FONT_NAME in faces, rows  # the rare characters only, in a second font
    assert all(row[-5:-3] == ["yes", "yes"] for row in rows), rows  # both embedded as subsets
    plain = render(K.TRANSFER_FORM, SAMPLES[K.TRANSFER_FORM])
    assert {row[0].split("+")[-1].rsplit("-", 1)[0] for row in pdf_fonts(plain.pdf, tmp_path)} == {fonts.FONT_NAME}
    assert fonts.string_width("刘䶮", 10) == fonts.string_width("刘", 10) + fonts.string_width("䶮", 10) > 0


def test_a_character_beyond_the_basic_plane_is_set_in_the_second_fallback_font(tmp_path: Path, poppler: None) -> None:
    """𫖯 (赵孟𫖯) and 𬭎 are in the national standard list of characters and in people's names, but in CJK
    Extensions B and E, which neither Micro Hei nor Zen Hei has: they print from BabelStone Han, each face
    carrying only its own characters, and extract as typed."""
    from desktop.documents import fonts

    if fonts.fallback_copy(fonts.FALLBACKS[1][1]) is None:
        if os.environ.get("CI"):
            pytest.fail("CI 中必须安装 fonts-babelstone-han（scripts/setup.sh 会安装）")
        pytest.skip("没有扩展B区后备字体：apt-get install fonts-babelstone-han")
    data = {**SAMPLES[K.TRANSFER_FORM], "petitioner_name": "赵孟𫖯",
            "request": "反映王𬭎与刘䶮的宅基地纠纷。"}
    doc = render(K.TRANSFER_FORM, data)
    text = pdf_text(doc.pdf, tmp_path)
    assert "赵孟𫖯" in text and "王𬭎与刘䶮" in text
    faces = {row[0].split("+")[-1].rsplit("-", 1)[0] for row in pdf_fonts(doc.pdf, tmp_path)}
    assert len(faces) == 3 and fonts.FONT_NAME in faces, faces  # Micro Hei, Zen Hei, BabelStone Han
    assert fonts.runs("王𬭎与刘䶮") == [(fonts.FONT_NAME, "王"), ("FallbackCJKExt", "𬭎"), (fonts.FONT_NAME, "与刘"),
                                      ("FallbackCJK", "䶮")]


def test_the_appointment_slip_asks_for_a_call_only_with_the_number_to_call(tmp_path: Path, poppler: None) -> None:
    """不能按时到达的，请提前电话告知 was printed with no phone number anywhere on the slip."""
    with_phone = pdf_text(render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "hall_phone": "0579-84100000",
                                                      "hall_address": "浦江县和平路10号"}).pdf, tmp_path)
    flat = "".join(with_phone.split())
    assert "不能按时到达的，请提前拨打0579-84100000告知" in flat and "电话：0579-84100000" in flat
    assert "浦江县和平路10号" in flat
    without = "".join(pdf_text(render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "hall_phone": "",
                                                          "hall_address": ""}).pdf, tmp_path).split())
    assert "提前15分钟到接待大厅" in without and "电话" not in without and "不能按时到达" not in without


def test_a_case_number_a_phone_number_or_a_date_is_never_broken_across_lines() -> None:
    """受理告知书 read "XF-" at a line's end and "20261207…" on the next, and "2027年2月5" above "日"."""
    whole = ("XF-20261207-C01-00001-2", "2027年2月5日", "12月6日", "二〇二六年十一月二十四日", "0579-00000014")
    for text in whole:
        for before in range(0, 30):  # wherever the line's end falls on it
            paragraph = "信" * before + text + "，特此告知。"
            lines = break_lines(paragraph, lambda s: float(len(s)), 28)
            assert any(text in line.text for line in lines), (before, [line.text for line in lines])
            assert "".join(line.text for line in lines) == paragraph


def test_the_acceptance_notice_keeps_its_case_number_and_dates_on_one_line(text_of: Callable[[bytes], str]) -> None:
    """Rendered and read back (pdftotext): wherever a line ends, no case number or date is split by it."""
    number = "XF-20261207-C01-00001-2"
    for before in range(0, 28, 3):
        data: dict[str, Any] = {
            **SAMPLES[K.ACCEPTANCE_NOTICE], "case_number": number, "received_on": "2026-12-07",
            "accepted_on": "2026-12-07", "handling_due": "2027-02-05",
            "texts": {"acceptance.body": "信" * before + TEXTS["acceptance.body"],
                      "acceptance.deadline": "信" * before + TEXTS["acceptance.deadline"]}}
        lines = ["".join(line.split()) for line in text_of(render(K.ACCEPTANCE_NOTICE, data).pdf).splitlines()]
        for text in (number, "2026年12月7日", "2027年2月5日"):
            assert any(text in line for line in lines), (before, text, lines)


def test_a_line_ended_early_for_a_case_number_is_ragged_not_spaced_out() -> None:
    """“你 于 2 0 2 6 年…”: the line before a case number kept whole was justified, its characters far apart."""
    from desktop.documents.fonts import string_width
    from desktop.documents.layout import TextLine, paragraph

    size = 16.0
    width = string_width("信" * 28, size)
    early = [item for item in paragraph("你于2026年12月7日提出的信访事项（案件编号：XF-20261207-K01-00021-F），经审查，"
                                        + "信" * 40, size, size * 1.8, width, indent_chars=2)
             if isinstance(item, TextLine)]
    assert early[0].text.endswith("编号：") and early[0].align == "left"
    assert early[1].text.startswith("XF-20261207-K01-00021-F") and early[1].align == "justify"
    full = [item for item in paragraph("信" * 100, size, size * 1.8, width) if isinstance(item, TextLine)]
    assert [line.align for line in full] == ["justify"] * (len(full) - 1) + ["left"]


def test_a_waiting_lists_slip_does_not_ask_its_visitor_to_make_room_for_the_waiting_list(
        tmp_path: Path, poppler: None) -> None:
    """A 候补 visitor's slip said 不能按时到达的，请提前拨打…告知，以便安排候补人员: the visitor is the waiting list,
    and has no time yet to be late for. It asks to be told when the place is no longer needed; a booked visitor's
    slip keeps 不能按时到达的."""
    slip = render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "slot": "候补第2位", "waiting": True,
                                       "arrival_note": "", "hall_phone": "0579-84100000"})
    flat = "".join(pdf_text(slip.pdf, tmp_path).split())
    assert "您已登记为候补" in flat and "如不再需要候补，请拨打0579-84100000告知" in flat
    assert "候补人员" not in flat and "不能按时到达" not in flat
    booked = render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "hall_phone": "0579-84100000"})
    flat = "".join(pdf_text(booked.pdf, tmp_path).split())
    assert "不能按时到达的，请提前拨打0579-84100000告知" in flat and "不再需要候补" not in flat
    unknown = render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "waiting": True, "hall_phone": ""})
    assert "拨打" not in "".join(pdf_text(unknown.pdf, tmp_path).split())  # no number: no call asked for


def test_a_paragraphs_last_line_is_never_one_character_and_its_marks() -> None:
    """登记回执's closing paragraph ended on a line of 人。 alone, 人民建议回执's anonymous note on 问）: the character
    before comes along, wherever the line's end falls."""
    for ending in ("。", "）。", "", "”。"):
        for length in range(4, 40):
            paragraph = "".join("信访事项办理工作人员"[i % 10] for i in range(length)) + ending
            for width in range(6, 16):  # a receipt's line holds 15 characters and more
                lines = break_lines(paragraph, lambda s: float(len(s)), width)
                assert "".join(line.text for line in lines) == paragraph
                assert all(line.width <= width for line in lines), (paragraph, width)
                if len(lines) > 1:
                    words = [ch for ch in lines[-1].text if ch not in "。）”"]
                    assert len(words) >= 2, (paragraph, width, [line.text for line in lines])


def test_the_appointment_slip_gives_the_day_of_the_week_as_the_kiosk_said_it(tmp_path: Path, poppler: None) -> None:
    """The kiosk's result said 12月15日（星期二） and the slip taken home only 2026年12月15日: the weekday is what an
    elderly visitor keeps in mind. Whole on its line (its size fitted to the roll), from the date itself, so a
    slip printed again from an older print log's data has it too."""
    for day, week in (("2026-12-15", "星期二"), ("2027-01-17", "星期日"), ("2026-10-15", "星期四")):
        text = pdf_text(render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "reception_on": day}).pdf,
                        tmp_path)
        year, month, date_ = (int(part) for part in day.split("-"))
        assert any(f"{year}年{month}月{date_}日（{week}）" in line.replace(" ", "") for line in text.splitlines())


def test_a_waiting_lists_slip_does_not_call_its_place_a_time_slot(tmp_path: Path, poppler: None) -> None:
    """接访时段 over 候补第1位 on the slip of a place on the waiting list (the kiosk's screen said 候补日期 and
    候补第1位): now 候补日期 and 候补顺序; a booked slot's slip keeps 接访日期 and 接访时段."""
    waiting = "".join(pdf_text(render(K.APPOINTMENT_SLIP, {**SAMPLES[K.APPOINTMENT_SLIP], "waiting": True,
                                                          "slot": "候补第1位"}).pdf, tmp_path).split())
    assert "候补日期" in waiting and "候补顺序候补第1位" in waiting
    assert "接访时段" not in waiting and "接访日期" not in waiting
    booked = "".join(pdf_text(render(K.APPOINTMENT_SLIP, SAMPLES[K.APPOINTMENT_SLIP]).pdf, tmp_path).split())
    assert "接访日期" in booked and "接访时段09:00–10:30" in booked and "候补" not in booked
