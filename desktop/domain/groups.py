"""Group visits (多人走访): representatives, at most five (条例第二十条)."""

from __future__ import annotations

from collections.abc import Sequence

from desktop.domain.errors import ValidationError

MAX_REPRESENTATIVES = 5


def check_group(persons_count: int, representatives: Sequence[tuple[str, str]]) -> None:
    """Validate a visit's head count and its representatives (name, document number).

    One batch (批次) of N persons (人次); five or more people raising a common
    matter choose representatives, each identified.
    """
    if persons_count < 1:
        raise ValidationError("bad_persons_count", "来访人数至少为1人", "persons_count")
    if persons_count > 10_000:
        raise ValidationError("bad_persons_count", "来访人数过大，请核对", "persons_count")
    if len(representatives) > MAX_REPRESENTATIVES:
        raise ValidationError(
            "too_many_representatives",
            f"多人走访推选的代表不得超过{MAX_REPRESENTATIVES}人（《信访工作条例》第二十条），"
            f"现填写了{len(representatives)}人",
            "representatives",
        )
    if len(representatives) > persons_count:
        raise ValidationError("representatives_exceed_group",
                              "代表人数不能多于来访人数", "representatives")
    seen: set[str] = set()
    for index, (name, number) in enumerate(representatives, start=1):
        if not name.strip():
            raise ValidationError("representative_unnamed", f"第{index}位代表未填写姓名",
                                  "representatives")
        if not number.strip():
            raise ValidationError("representative_unidentified",
                                  f"第{index}位代表（{name}）未填写证件号码", "representatives")
        if number in seen:
            raise ValidationError("representative_duplicate",
                                  f"第{index}位代表（{name}）的证件号码与他人重复", "representatives")
        seen.add(number)
    if persons_count >= 5 and not representatives:
        raise ValidationError("group_without_representatives",
                              "5人以上多人走访须推选代表（不超过5人）并登记代表身份",
                              "representatives")
