"""The registration form's content without a window: kept as a draft, handed to the service as its form."""

from __future__ import annotations

from ui.registration.model import blank, to_form, worth_keeping


def test_a_fresh_form_is_not_worth_a_draft_until_something_is_typed() -> None:
    defaults = {**blank(), "region_code": "330726", "channel": "走访", "window": "C01"}
    assert not worth_keeping(defaults, defaults)
    assert not worth_keeping({**defaults, "region_code": "330726001"}, defaults)  # a default picked, nothing typed
    assert worth_keeping({**defaults, "name": "王芳"}, defaults)
    assert worth_keeping({**defaults, "representatives": [{"name": "代表1", "id_number": ""}]}, defaults)


def test_the_service_form_carries_every_field() -> None:
    values = {**blank(), "name": "王芳", "id_number": "330726196803120123", "phone": "13857912345",
              "request": "反映噪音", "persons_count": 6, "has_agent": True, "agent_name": "李律师",
              "representatives": [{"name": "代表1", "id_number": "1"}, {"name": "", "id_number": ""}],
              "attachments": [{"sha256": "a" * 64, "name": "来信.pdf", "size": 3, "mime": "application/pdf"}],
              "public_ok": True, "region_code": "330726001", "topic_code": "0101"}
    form = to_form(values)
    assert form.petitioner.name == "王芳" and form.petitioner.document_number == "330726196803120123"
    assert form.persons_count == 6 and [r.name for r in form.representatives] == ["代表1"]  # blank rows dropped
    assert form.agent is not None and form.agent.name == "李律师"
    assert form.public_ok and form.region_code == "330726001" and form.topic_code == "0101"
    assert form.attachments[0]["name"] == "来信.pdf"
    assert to_form({**values, "has_agent": False}).agent is None
