"""Settings: defaults, the settings file, environment overrides, and plain refusals."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.config import Settings, SettingsError, describe, load_settings, settings_file, settings_in_force


def _write(values: dict[str, object]) -> Path:
    path = settings_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return path


def test_defaults_and_first_start_writes_a_device_id() -> None:
    settings = load_settings()
    assert settings.device_code == "K01" and settings.day_counting == "calendar"
    assert settings.idle_lock_minutes == 10 and settings.printer_by_kind == {}
    stored = json.loads(settings_file().read_text(encoding="utf-8"))
    assert len(stored["device_id"]) == 12 and load_settings().device_id == stored["device_id"]


def test_the_settings_in_force_show_an_unset_one_in_words() -> None:
    shown = {name: value for name, value, _ in settings_in_force(load_settings())}
    assert shown["database"] == "（未设置）" and "None" not in shown.values()


def test_file_values_under_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    _write({"device_id": "abc", "device_code": "c02", "idle_lock_minutes": 30, "document_header_red": False,
            "database": "/srv/hall/hall.db", "printer_by_kind": {"受理告知书": "system:HP"}})
    settings = load_settings()
    assert settings.device_code == "C02"  # upper-cased
    assert settings.idle_lock_minutes == 30 and settings.document_header_red is False
    assert settings.database_path == Path("/srv/hall/hall.db")
    assert settings.printer_by_kind == {"受理告知书": "system:HP"}
    monkeypatch.setenv("PH_IDLE_LOCK_MINUTES", "5")
    monkeypatch.setenv("PH_DOCUMENT_HEADER_RED", "yes")
    monkeypatch.setenv("PH_REPEAT_SIMILARITY", "80.5")
    monkeypatch.setenv("PH_DATABASE", "")
    settings = load_settings()
    assert settings.idle_lock_minutes == 5 and settings.document_header_red is True
    assert settings.repeat_similarity == 80.5 and settings.database is None


@pytest.mark.parametrize(("values", "named", "why"), [
    ({"device_code": "K1234"}, "device_code", "格式不符"),
    ({"idle_lock_minutes": 0}, "idle_lock_minutes", "不能小于 1"),
    ({"lockout_failures": "很多"}, "lockout_failures", "须为整数"),
    ({"lockout_minutes": True}, "lockout_minutes", "须为整数"),
    ({"repeat_similarity": 101}, "repeat_similarity", "不能大于 100"),
    ({"day_counting": "lunar"}, "day_counting", "calendar、working"),
    ({"key_store": "cloud"}, "key_store", "auto、keyring、file"),
    ({"document_header_red": "maybe"}, "document_header_red", "true 或 false"),
    ({"hall_name": 12}, "hall_name", "须为文字"),
    ({"printer_by_kind": ["system:"]}, "printer_by_kind", "对象"),
    ({"database": 5}, "database", "文件路径"),
    ({"camera": "webcam"}, "camera", "摄像头设置"),
    ({"camera": "qt:"}, "camera", "缺少摄像头名称"),
])
def test_a_wrong_value_is_refused_naming_the_setting(values: dict[str, object], named: str, why: str) -> None:
    _write({"device_id": "abc", **values})
    with pytest.raises(SettingsError) as refused:
        load_settings()
    message = str(refused.value)
    assert f"设置项 {named} " in message and why in message and f"PH_{named.upper()}" in message


def test_malformed_json_in_the_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PH_PRINTER_BY_KIND", "{受理告知书: HP}")
    with pytest.raises(SettingsError, match=r"printer_by_kind.*JSON"):
        load_settings(write_first_start=False)


def test_unknown_keys_in_the_file_are_ignored() -> None:
    _write({"device_id": "abc", "colour": "blue"})
    assert not hasattr(load_settings(), "colour")


def test_describe_lists_every_setting_with_its_default() -> None:
    rows = {name: (default, text) for name, default, text in describe()}
    assert set(rows) == set(Settings.names())
    assert rows["printer_by_kind"][0] == "{}" and rows["device_code"][0] == "'K01'"
    assert all(text for _default, text in rows.values())


@given(st.integers(min_value=-10_000, max_value=10_000))
def test_integer_limits_hold_for_any_value(minutes: int) -> None:
    if 1 <= minutes <= 120:
        assert Settings(idle_lock_minutes=minutes).idle_lock_minutes == minutes
    else:
        with pytest.raises(SettingsError):
            Settings(idle_lock_minutes=minutes)


def test_the_command_line_prints_a_bad_setting_without_a_traceback(tmp_path: Path) -> None:
    path = _write({"device_id": "abc", "idle_lock_minutes": "十"})
    done = subprocess.run([sys.executable, "-m", "desktop", "doctor", "--db", str(tmp_path / "hall.db")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert "设置项 idle_lock_minutes" in done.stderr and str(path) in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG rule is worked out by hand on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/own-xdg"])
def test_user_folders_follow_the_xdg_rule_as_platformdirs_does(monkeypatch: pytest.MonkeyPatch,
                                                               xdg: str | None) -> None:
    import platformdirs

    from desktop.config import APP_NAME, config_dir, data_dir

    monkeypatch.delenv("PH_CONFIG_DIR", raising=False)
    monkeypatch.delenv("PH_DATA_DIR", raising=False)
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert config_dir() == platformdirs.user_config_path(APP_NAME, appauthor=False)
    assert data_dir() == platformdirs.user_data_path(APP_NAME, appauthor=False)
