"""The server's command line: TLS settings are checked before it starts; devices are managed from it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from server.__main__ import main, tls_problem


def test_tls_needs_both_files_and_they_must_exist(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("-", encoding="utf-8")
    assert "须同时指定" in tls_problem(str(cert), "")
    assert "私钥" in tls_problem(str(cert), str(key))
    key.write_text("-", encoding="utf-8")
    assert tls_problem(str(cert), str(key)) == "" and tls_problem("", "") == ""


def test_run_refuses_half_a_tls_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", "--db", f"sqlite:///{tmp_path / 'server.db'}", "--tls-key", str(tmp_path / "k")]) == 2
    assert "须同时指定" in capsys.readouterr().err


def test_codes_are_issued_listed_and_devices_revoked_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert main(["issue-code", "--db", db, "--role", "display", "--hours", "2"]) == 0
    said = capsys.readouterr()
    code = said.out.strip()
    assert len(code) == 19 and code.count("-") == 3
    # when it expires, as people write it (2026年12月6日 19:05), not 2026-12-06T19:05:00
    assert re.search(r"有效至 \d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d，", said.err), said.err
    assert main(["enrol-device", "--db", db, "--device-id", "devd", "--role", "display"]) == 0
    assert main(["revoke-device", "--db", db, "--device-id", "devd"]) == 0
    assert re.search(r"已停用（\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d）", capsys.readouterr().out)
    assert main(["list-devices", "--db", db]) == 0
    assert "devd\tdisplay" in capsys.readouterr().out
    assert main(["issue-code", "--db", db, "--role", "kiosk", "--hours", "0"]) == 2


def test_rotating_the_field_key_keeps_the_old_keys_for_reading(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    from server.hall import field_keys_file

    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert main(["rotate-field-key", "--db", db]) == 0
    assert main(["rotate-field-key", "--db", db]) == 0
    assert "k3" in capsys.readouterr().out
    ring = json.loads(field_keys_file().read_text(encoding="utf-8"))
    assert ring["current"] == "k3" and set(ring["keys"]) == {"k1", "k2", "k3"}
    assert oct(field_keys_file().stat().st_mode & 0o777) == "0o600"


def test_window_types_are_listed_and_edited_from_the_command_line(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'server.db'}"
    assert main(["window-types", "--db", db]) == 0
    assert "general\tA\t综合接待\t窗口 所有窗口\t可优先\t启用" in capsys.readouterr().out
    assert main(["window-type", "--db", db, "agent", "--name", "信访代理", "--prefix", "D", "--windows", "7,8",
                 "--priority", "no"]) == 0
    assert "agent\tD\t信访代理\t窗口 7、8\t不设优先\t启用" in capsys.readouterr().out
    assert main(["window-type", "--db", db, "leader", "--active", "no"]) == 0
    assert "leader\tL\t领导接访\t窗口 所有窗口\t不设优先\t停用" in capsys.readouterr().out
    assert main(["window-type", "--db", db, "other", "--name", "其他", "--prefix", "A"]) == 1
    assert "前缀 A 已用于“综合接待”" in capsys.readouterr().err


def test_the_directory_and_shared_settings_are_set_from_the_command_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop.services.database import open_database
    from desktop.services.reference import ORGANISATIONS_FILE, reference_dir, use_directory
    from desktop.services.reference_feed import Audience, documents_for
    from server.hall import server_hall

    db = f"sqlite:///{tmp_path / 'server.db'}"
    file = tmp_path / "机构目录.csv"
    file.write_text((reference_dir() / ORGANISATIONS_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        assert main(["import-directory", "--db", db, str(file)]) == 0
        assert "个机构" in capsys.readouterr().out
        assert main(["share-settings", "--db", db, "--hall", "PJ", "hall_phone=0579-84100000"]) == 0
        assert main(["share-settings", "--db", db, "day_counting=weekly"]) == 2
        assert "day_counting" in capsys.readouterr().err
        assert main(["share-settings", "--db", db, "hall_phone"]) == 2
        engine = open_database(db)
        try:
            shared = documents_for(server_hall(engine), Audience("counter", hall_code="PJ"))
        finally:
            engine.dispose()
        assert shared["settings"] == {"hall_phone": "0579-84100000"} and len(shared["organisations"]) >= 10
    finally:
        use_directory(None)


def test_a_wrong_pepper_or_a_damaged_key_file_is_said_in_words_not_a_traceback(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from server.hall import field_keys_file, server_secrets_file

    db = f"sqlite:///{tmp_path / 'server.db'}"
    monkeypatch.setenv("PH_QUERY_CODE_PEPPER", "not hex")
    assert main(["list-devices", "--db", db]) == 2
    assert "PH_QUERY_CODE_PEPPER 不是十六进制" in capsys.readouterr().err
    monkeypatch.setenv("PH_QUERY_CODE_PEPPER", "ab" * 32)

    assert main(["rotate-field-key", "--db", db]) == 0  # the server's key files exist from here on
    capsys.readouterr()
    field_keys_file().write_text("{", encoding="utf-8")
    assert main(["rotate-field-key", "--db", db]) == 2
    assert "字段加密密钥文件" in capsys.readouterr().err

    secrets = server_secrets_file().read_text(encoding="utf-8")
    server_secrets_file().write_text(secrets[: len(secrets) // 2], encoding="utf-8")
    assert main(["list-devices", "--db", db]) == 2
    said = capsys.readouterr().err
    assert "服务器密钥文件" in said and "备份" in said and "Traceback" not in said


def test_the_kiosks_pin_is_set_from_the_servers_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import getpass

    from desktop.domain.passwords import pin_matches
    from desktop.services.database import open_database
    from desktop.services.reference_feed import Audience, documents_for
    from server.hall import server_hall

    db = f"sqlite:///{tmp_path / 'server.db'}"
    answers = iter(["720415", "720416"])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    assert main(["set-kiosk-pin", "--db", db]) == 2 and "不一致，没有修改" in capsys.readouterr().err
    answers = iter(["720415", "720415"])
    assert main(["set-kiosk-pin", "--db", db, "--hall", "PJ"]) == 0
    assert "大厅 PJ 的自助终端退出密码" in capsys.readouterr().out
    engine = open_database(db)
    try:
        shared = documents_for(server_hall(engine), Audience("kiosk", hall_code="PJ"))["kiosk_pin"]["hash"]
    finally:
        engine.dispose()
    assert pin_matches(shared, "720415")


def test_the_device_list_says_each_kiosks_peripherals_in_the_words_of_the_devices_tab(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import timedelta

    from desktop.services.database import open_database
    from desktop.services.peripherals import store_report
    from server.hall import server_hall

    db = f"sqlite:///{tmp_path / 'server.db'}"
    for device_id, role, code in (("kiosk1", "kiosk", "K01"), ("kiosk2", "kiosk", "K02"), ("kiosk3", "kiosk", "K03"),
                                  ("devd", "display", "")):
        assert main(["enrol-device", "--db", db, "--device-id", device_id, "--role", role,
                     *(["--device-code", code] if code else [])]) == 0
    assert main(["revoke-device", "--db", db, "--device-id", "kiosk3"]) == 0
    engine = open_database(db)
    try:
        hall = server_hall(engine)
        today = hall.today()
        earlier = today - timedelta(days=400)
        store_report(hall, "kiosk1", [
            {"peripheral": "printer", "problem": "打印机缺纸", "since": f"{today.isoformat()}T10:32:00"},
            {"peripheral": "reader", "problem": "身份证阅读器未连接", "since": f"{earlier.isoformat()}T08:05:00"}])
    finally:
        engine.dispose()
    capsys.readouterr()
    assert main(["list-devices", "--db", db]) == 0
    lines = {line.split("\t")[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["kiosk1"].endswith(f"\t在用\t外设 打印机缺纸（10:32起）；身份证阅读器未连接"
                                    f"（{earlier.year}年{earlier.month}月{earlier.day}日 08:05起）")
    assert lines["kiosk2"].endswith("\t最后联系 从未\t在用\t外设 正常")
    assert re.search(r"\t已停用（\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d）\t外设 —$", lines["kiosk3"]), lines["kiosk3"]
    assert lines["devd"].endswith("\t外设 —")
