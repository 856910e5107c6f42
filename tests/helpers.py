"""Builders for test data: valid ID numbers for any region and birth date, forms."""

from __future__ import annotations

from datetime import date

from desktop.services.registration import PersonInput, RegistrationForm

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def valid_id(region: str = "330726", birth: date = date(1968, 3, 12), seq: int = 123) -> str:
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def form(name: str = "张建国", id_number: str | None = None, phone: str = "13857912345",
         request: str = "反映浦阳街道某小区物业长期不履行电梯维修义务，要求尽快维修",
         topic_code: str = "", **kwargs: object) -> RegistrationForm:
    person = PersonInput(name=name, document_number=id_number or valid_id(), phone=phone)
    return RegistrationForm(petitioner=person, request=request, region_code="330726001",
                            topic_code=topic_code, **kwargs)  # type: ignore[arg-type]
