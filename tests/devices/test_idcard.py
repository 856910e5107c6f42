"""The card, its errors, texts from readers, lines typed by keyboard readers, and the setting."""

from __future__ import annotations

import json
from datetime import date

import pytest

from desktop.config import Settings, SettingsError, load_settings, settings_file
from desktop.devices.factory import build_reader, reader_from_settings, reader_from_text
from desktop.devices.idcard import (
    LONG_TERM,
    IdCard,
    IdCardReader,
    ReaderError,
    ReaderProblem,
    card_from_texts,
    make_card,
    parse_card_date,
    parse_keyboard_line,
)
from desktop.devices.keyboard import KeyboardReader
from desktop.devices.simulated import SimulatedReader, tiny_bmp
from desktop.devices.spec import (
    DEFAULT_KEYBOARD_ORDER,
    ReaderSpec,
    ReaderSpecError,
    SdkTarget,
    SimOptions,
    parse_field_order,
    parse_reader_spec,
    parse_sdk_target,
    parse_sim_options,
)
from desktop.devices.termb import TermbReader
from desktop.domain.identity import DocumentType
from tests.helpers import valid_id

MAN = valid_id("330726", date(1980, 1, 1), 123)  # 17th digit 3: male
WOMAN = valid_id("330726", date(1992, 2, 29), 124)


def test_a_card_from_reader_texts_is_checked_and_completed() -> None:
    card = card_from_texts({"name": " 张 三 ", "sex": "男", "ethnicity": "汉族", "birth_date": "1980-01-01",
                            "address": "浙江省浦江县浦阳街道和平路1号 ", "id_number": MAN.lower().replace("x", "X"),
                            "issuer": "浦江县公安局", "valid_from": "20100101", "valid_to": "长期"},
                           photo=tiny_bmp(2, 2, (1, 2, 3)))
    assert (card.name, card.sex, card.ethnicity, card.birth_date) == ("张三", "男", "汉", date(1980, 1, 1))
    assert card.address == "浙江省浦江县浦阳街道和平路1号" and card.id_number == MAN
    assert (card.valid_from, card.valid_to) == (date(2010, 1, 1), LONG_TERM)
    assert card.validity_text() == "2010.01.01-长期" and not card.expired(date(2099, 1, 1))
    assert card.photo_format == "bmp" and card.document_type is DocumentType.RESIDENT_ID
    assert "张三" not in repr(card) and MAN not in repr(card)  # never personal data in logs


def test_birth_date_and_sex_come_from_the_id_number_when_the_reader_gives_none() -> None:
    card = card_from_texts({"name": "李四", "id_number": WOMAN})
    assert (card.birth_date, card.sex, card.valid_to, card.photo) == (date(1992, 2, 29), "女", None, None)
    coded = card_from_texts({"name": "王五", "id_number": MAN, "sex": "1", "ethnicity": "03"})
    assert (coded.sex, coded.ethnicity) == ("男", "回")
    assert card_from_texts({"name": "王五", "id_number": MAN, "sex": "0"}).sex == "男"


@pytest.mark.parametrize(("texts", "said"), [
    ({"name": "张三", "id_number": MAN[:-1] + ("0" if MAN[-1] != "0" else "1")}, "身份证号码不对"),
    ({"name": "张三", "id_number": ""}, "没有公民身份号码"),
    ({"name": "", "id_number": MAN}, "没有姓名"),
    ({"name": "张三", "id_number": MAN, "valid_to": "明年"}, "有效期截止日期“明年”无法识别"),
    ({"name": "张三", "id_number": MAN, "birth_date": "长期"}, "出生日期不能是“长期”"),
])
def test_bad_texts_are_a_failed_read_saying_which_field(texts: dict[str, str], said: str) -> None:
    with pytest.raises(ReaderError) as failed:
        card_from_texts(texts)
    assert failed.value.problem is ReaderProblem.READ_FAILED and said in failed.value.message
    assert failed.value.message.startswith("阅读器读出的")


def test_card_dates_and_documents() -> None:
    assert parse_card_date("1980年1月2日") == date(1980, 1, 2) == parse_card_date("1980.01.02")
    assert parse_card_date(" ") is None and parse_card_date("长期") == LONG_TERM
    with pytest.raises(ValueError):
        parse_card_date("1980-13-01")
    permit = make_card(name="陈大文", id_number=valid_id("810000", date(1975, 5, 6), 11))
    assert permit.document_type is DocumentType.HK_MACAO_TW_RESIDENCE
    expired = make_card(name="张三", id_number=MAN, valid_to=date(2020, 1, 1))
    assert expired.expired(date(2020, 1, 2)) and not expired.expired(date(2020, 1, 1))
    assert make_card(name="张三", id_number=MAN, photo=b"\xff\xd8\xff\xe0").photo_format == "jpeg"


def test_reader_errors_speak_chinese_by_default() -> None:
    assert str(ReaderError(ReaderProblem.NO_CARD)) == "请将身份证放在阅读器上"
    assert ReaderError(ReaderProblem.LIBRARY_MISSING).message.startswith("找不到身份证阅读器的驱动库")
    assert ReaderError(ReaderProblem.AUTH_FAILED, "认证失败").message == "认证失败"


FULL = ["张三", "男", "汉", "19800101", "浙江省浦江县浦阳街道和平路1号", MAN, "浦江县公安局", "20100101", "20300101"]


@pytest.mark.parametrize("separator", ["\t", "|", ",", "，", ";"])
def test_a_typed_line_in_the_default_order(separator: str) -> None:
    card = parse_keyboard_line(separator.join(FULL) + "\r\n")
    assert (card.name, card.sex, card.address, card.id_number) == ("张三", "男", FULL[4], MAN)
    assert (card.valid_from, card.valid_to) == (date(2010, 1, 1), date(2030, 1, 1))


def test_typed_lines_in_other_shapes() -> None:
    assert parse_keyboard_line(f"张三\t{MAN}").id_number == MAN  # two columns either way round
    assert parse_keyboard_line(f"{MAN}|张三").name == "张三"
    assert parse_keyboard_line(f"张三 {MAN}").birth_date == date(1980, 1, 1)  # spaces only
    labelled = parse_keyboard_line(f"公民身份号码:{MAN}|姓名：李四|有效期限:2010.01.01-长期|民族=回")
    assert (labelled.name, labelled.ethnicity, labelled.valid_to) == ("李四", "回", LONG_TERM)
    short = parse_keyboard_line("\t".join(FULL[:6]))  # trailing columns left out
    assert short.issuer == "" and short.valid_from is None
    order = parse_field_order("id_number,skip,姓名,validity")
    card = parse_keyboard_line(f"{MAN},X1,张三,20100101-20300101", order)
    assert (card.name, card.valid_to) == ("张三", date(2030, 1, 1))


@pytest.mark.parametrize(("line", "problem", "said"), [
    ("", ReaderProblem.NO_CARD, "没有收到"),
    ("张三\t330726", ReaderProblem.READ_FAILED, "应为18位"),
    ("\t".join([*FULL, "多余"]), ReaderProblem.READ_FAILED, "比设置的字段顺序（9项）多"),
    (f"{MAN}\t张三\t男", ReaderProblem.READ_FAILED, "刷卡输入的"),
])
def test_unreadable_typed_lines(line: str, problem: ReaderProblem, said: str) -> None:
    with pytest.raises(ReaderError) as failed:
        parse_keyboard_line(line)
    assert failed.value.problem is problem and said in failed.value.message


def test_the_keyboard_reader_hands_a_fed_line_to_a_waiting_read() -> None:
    reader = KeyboardReader(parse_field_order("name,id_number"))
    assert isinstance(reader, IdCardReader) and "姓名、公民身份号码" in reader.describe()
    with pytest.raises(ReaderError) as nothing:
        reader.read(timeout=0)
    assert nothing.value.problem is ReaderProblem.NO_CARD and nothing.value.message == "请将身份证放在阅读器上"
    reader.feed(f"张三,{MAN}")
    assert reader.read(timeout=0.5).id_number == MAN
    assert reader.parse(f"李四,{WOMAN}").sex == "女"


def test_reader_specs() -> None:
    assert parse_reader_spec("") == ReaderSpec("none") == parse_reader_spec(" NONE ")
    assert str(parse_reader_spec("sdk:/opt/cvr/libtermb.so:1001")) == "sdk:/opt/cvr/libtermb.so:1001"
    assert parse_sdk_target("") == SdkTarget("", None)
    assert parse_sdk_target("1001") == SdkTarget("", 1001)
    assert parse_sdk_target(r"C:\CVR\termb.dll") == SdkTarget(r"C:\CVR\termb.dll", None)
    assert parse_sdk_target(r"C:\CVR\termb.dll:3") == SdkTarget(r"C:\CVR\termb.dll", 3)
    assert parse_sim_options("seed=7, nocard") == SimOptions(seed=7, state="nocard")
    assert parse_sim_options("/srv/cards.json") == SimOptions(cards_file="/srv/cards.json")
    assert parse_sim_options("file=/srv/cards.txt,unplugged") == SimOptions(cards_file="/srv/cards.txt",
                                                                            state="unplugged")
    assert parse_field_order("") == DEFAULT_KEYBOARD_ORDER
    assert parse_field_order("姓名，身份证号") == ("name", "id_number")


@pytest.mark.parametrize(("text", "said"), [
    ("usb:1", "无法识别"),
    ("none:x", "none 后面"),
    ("sdk:libtermb.so:17", "端口 17 无效"),
    ("sim:seed=x", "seed 须为整数"),
    ("sim:fast", "模拟阅读器选项“fast”"),
    ("keyboard:name", "缺少：公民身份号码"),
    ("keyboard:name,id_number,name", "重复"),
    ("keyboard:name,id_number,colour", "“colour”无法识别"),
    ("keyboard:name,id_number,validity,valid_to", "只能用其一"),
])
def test_bad_reader_specs_say_what_is_expected(text: str, said: str) -> None:
    with pytest.raises(ReaderSpecError, match=said):
        parse_reader_spec(text)
    with pytest.raises(ReaderSpecError, match=f"设置项 id_reader：.*{said}"):
        reader_from_text(text)


def test_the_setting_builds_the_reader() -> None:
    assert Settings().id_reader == "none" and reader_from_settings(Settings()) is None
    assert isinstance(reader_from_settings(Settings(id_reader="sim:seed=3")), SimulatedReader)
    sdk = build_reader(parse_reader_spec("sdk:/opt/cvr/libtermb.so:1001"))
    assert isinstance(sdk, TermbReader)
    assert sdk.describe() == "身份证阅读器（厂商驱动 /opt/cvr/libtermb.so，USB 端口 1001）"
    keyboard = reader_from_text("keyboard:")
    assert isinstance(keyboard, KeyboardReader) and keyboard.order == DEFAULT_KEYBOARD_ORDER


def test_a_wrong_reader_setting_stops_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"device_id": "abc", "id_reader": "sdk:termb:99"}), encoding="utf-8")
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert "设置项 id_reader " in str(refused.value) and "端口 99 无效" in str(refused.value)
    monkeypatch.setenv("PH_ID_READER", " keyboard:name,id_number ")
    assert load_settings().id_reader == "keyboard:name,id_number"
    monkeypatch.setenv("PH_ID_READER", "")
    assert load_settings().id_reader == "none"


def test_cards_compare_by_their_data_not_their_photo() -> None:
    one = make_card(name="张三", id_number=MAN, photo=b"BM1")
    assert one == make_card(name="张三", id_number=MAN, photo=b"BM2") and isinstance(one, IdCard)


def test_an_expired_card_is_said_with_its_last_day_to_the_holder_and_to_the_clerk() -> None:
    from desktop.devices.idcard import expiry_notice

    card = make_card(name="李建国", id_number=MAN, valid_to=date(2022, 1, 1))
    assert expiry_notice(card, date(2022, 1, 1), holder=True) == ""  # valid through its last day
    said = expiry_notice(card, date(2026, 12, 6), holder=True)
    assert said == "您的身份证已过有效期（有效期至2022年1月1日），请及时换领"
    assert expiry_notice(card, date(2022, 1, 2), holder=False).startswith("此身份证已过有效期（有效期至2022年1月1日）")
    for lasting in (make_card(name="李建国", id_number=MAN, valid_to="长期"), make_card(name="李建国", id_number=MAN)):
        assert expiry_notice(lasting, date(2099, 1, 1), holder=True) == ""


@pytest.mark.parametrize(("problem", "said"), [
    (ReaderProblem.NO_CARD, "没有读到身份证。请把身份证放好后再点“读取身份证”，或者直接填写"),
    (ReaderProblem.NOT_CONNECTED, "读卡器暂时不能用，请直接填写；需要帮助请找工作人员"),
    (ReaderProblem.LIBRARY_MISSING, "读卡器暂时不能用，请直接填写；需要帮助请找工作人员"),
    (None, "读卡器暂时不能用，请直接填写；需要帮助请找工作人员"),
    (ReaderProblem.READ_FAILED, "没有读出这张身份证。请把身份证拿起来重新平放，再点“读取身份证”，或者直接填写"),
    (ReaderProblem.AUTH_FAILED, "没有读出这张身份证。请把身份证拿起来重新平放，再点“读取身份证”，或者直接填写"),
])
def test_a_read_without_a_card_is_told_to_a_citizen_without_the_devices_words(problem: ReaderProblem | None,
                                                                             said: str) -> None:
    from desktop.devices.idcard import citizen_words

    assert citizen_words(problem, again="读取身份证", instead="直接填写") == said
