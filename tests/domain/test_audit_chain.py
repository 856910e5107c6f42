"""The audit log's keyed hash chain: every edit, deletion, swap or truncation is reported."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.audit import GENESIS, Anchor, AuditEntry, seal, verify_chain

KEY = bytes(range(32))


def _chain(n: int, key: bytes = KEY) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        entry = seal(key, AuditEntry(seq, f"2026-11-24T09:{seq % 60:02d}:00", "K01", "staff:w", "王丽",
                                     "查看完整个人信息", f"XF-{seq}", {"n": seq}, prev))
        entries.append(entry)
        prev = entry.entry_hash
    return entries


def test_untouched_chain_verifies() -> None:
    chain = _chain(20)
    report = verify_chain(chain, KEY, Anchor(20, chain[-1].entry_hash))
    assert report.ok and report.checked == 20 and report.last_seq == 20
    assert "完整" in report.summary()
    # the newest entry's time as people write it (as the log's list shows it), no ISO form left
    assert chain[-1].at == "2026-11-24T09:20:00"
    assert "最近一条 2026年11月24日 09:20:00）" in report.summary() and "2026-" not in report.summary()


def test_empty_log() -> None:
    assert verify_chain([], KEY).ok and verify_chain([], KEY).summary() == "审计日志为空"


@given(st.integers(0, 19), st.sampled_from(["actor_name", "action", "target", "at", "detail"]))
def test_any_edit_is_found(index: int, field: str) -> None:
    chain = _chain(20)
    value: object = {"n": -1} if field == "detail" else "改过的内容"
    chain[index] = replace(chain[index], **{field: value})  # type: ignore[arg-type]
    report = verify_chain(chain, KEY)
    assert not report.ok and any(f"第{index + 1}条" in p and "修改" in p for p in report.problems)


@given(st.integers(0, 18))
def test_any_deletion_inside_is_found(index: int) -> None:
    chain = _chain(20)
    del chain[index]
    report = verify_chain(chain, KEY)
    assert not report.ok and any("删除" in p for p in report.problems)


def test_deleting_the_newest_entries_is_caught_by_the_anchor() -> None:
    chain = _chain(20)
    anchor = Anchor(20, chain[-1].entry_hash)
    report = verify_chain(chain[:17], KEY, anchor)
    assert not report.ok and any("末尾" in p for p in report.problems)
    assert verify_chain(chain[:17], KEY).ok  # without the anchor a truncation looks complete


def test_rehashing_without_the_key_does_not_hide_an_edit() -> None:
    chain = _chain(5)
    forged = seal(b"x" * 32, replace(chain[2], target="XF-伪造"))
    chain[2] = forged
    chain[3] = seal(b"x" * 32, replace(chain[3], prev_hash=forged.entry_hash))
    report = verify_chain(chain, KEY)
    assert not report.ok and any("第3条" in p for p in report.problems)


def test_swapped_entries_are_found() -> None:
    chain = _chain(6)
    chain[2], chain[3] = chain[3], chain[2]
    assert not verify_chain(chain, KEY).ok


def test_wrong_key_fails_everything() -> None:
    report = verify_chain(_chain(3), b"k" * 32)
    assert len(report.problems) == 3


def test_problem_list_is_bounded() -> None:
    chain = [replace(e, target="x") for e in _chain(200)]
    report = verify_chain(chain, KEY)
    assert len(report.problems) == 51 and "另有" in report.problems[-1]
