"""Registration save and the repeat check while a clerk types, on a large database.

* ``register`` times ``register_visit`` (validation, repeat assessment against the person's
  earlier cases, the event, the case projection and the search keys, the audit entry, one
  commit) for new petitioners and for people already in the data, as a counter does.
* ``repeat_while_typing`` calls ``check_repeat`` the way the registration form does on each
  keystroke: ID number, name and phone entered, the request growing one character at a
  time, for people drawn from the database.

Registration writes: run it on a copy of the cached database (``bench.run`` does).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from bench.common import summary, timed_ms
from db.models import CaseRow
from desktop.domain.errors import RuleViolation
from desktop.services.context import Actor, Hall
from desktop.services.registration import PersonInput, RegistrationForm, check_repeat, register_visit

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "建国华明伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超霞平刚桂兰红玉文辉志新春海燕德福金荣"
PLACES = ("浦阳街道", "仙华街道", "黄宅镇", "郑宅镇", "岩头镇", "白马镇", "杭坪镇", "檀溪镇", "虞宅乡", "大畈乡")
ISSUES = ("某小区物业长期不履行电梯维修义务", "村道硬化工程拖欠工人工资", "企业排放废气影响周边居民生活",
          "征地补偿款至今未足额发放", "邻居违章搭建影响采光通风", "学校周边道路交通安全隐患突出",
          "农村宅基地审批长期没有答复", "医保报销比例与政策规定不符", "养老保险关系转移接续受阻",
          "小区地下车位被开发商擅自出售")
DEMANDS = ("要求尽快处理", "要求依法查处", "要求给予合理补偿", "要求相关部门书面答复", "要求恢复原状")


def valid_id(rng: random.Random, region: str = "330726") -> str:
    """A GB 11643 resident ID number with a correct check digit."""
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    body = f"{region}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def new_person(rng: random.Random) -> PersonInput:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    phone = f"1{rng.choice('3589')}{rng.randrange(0, 10**9):09d}"
    return PersonInput(name=name, document_number=valid_id(rng), phone=phone)


def new_request(rng: random.Random, n: int) -> str:
    return f"反映{rng.choice(PLACES)}{rng.choice(ISSUES)}（基准登记{n}），{rng.choice(DEMANDS)}"


def make_form(rng: random.Random, n: int, person: PersonInput | None = None, topic_code: str = "",
              window: str = "") -> RegistrationForm:
    return RegistrationForm(petitioner=person or new_person(rng), request=new_request(rng, n),
                            region_code="330726001", topic_code=topic_code, window=window)


def known_people(hall: Hall, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Petitioners drawn at random from the database: ID, name, phone, a topic and a request of theirs."""
    with hall.sessions() as session:
        total = session.scalar(select(func.max(CaseRow.id))) or 0
        ids = rng.sample(range(1, total + 1), min(total, count * 2))
        rows = session.execute(
            select(CaseRow.petitioner_id_number, CaseRow.petitioner_name, CaseRow.petitioner_phone,
                   CaseRow.topic_code, CaseRow.request).where(CaseRow.id.in_(ids))).all()
    people = [{"id_number": r.petitioner_id_number, "name": r.petitioner_name, "phone": r.petitioner_phone or "",
               "topic_code": r.topic_code or "", "request": r.request}
              for r in rows if r.petitioner_id_number and len(r.petitioner_id_number) == 18]
    rng.shuffle(people)
    return people[:count]


def forms(hall: Hall, count: int, rng: random.Random, *, returning_share: float = 0.2,
          window: str = "") -> list[RegistrationForm]:
    """``count`` forms: mostly new petitioners, ``returning_share`` of them people already in the data."""
    returning = known_people(hall, int(count * returning_share) + 1, rng)
    out = []
    for n in range(count):
        if returning and rng.random() < returning_share:
            p = returning.pop()
            person = PersonInput(name=p["name"], document_number=p["id_number"], phone=p["phone"])
            out.append(make_form(rng, n, person, p["topic_code"], window))
        else:
            out.append(make_form(rng, n, window=window))
    return out


def register(hall: Hall, actor: Actor, count: int, rng: random.Random,
             progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """Registration save times (ms) of ``count`` visits, after three untimed warm-up saves."""
    batch = forms(hall, count + 50, rng, window="01")
    times: list[float] = []
    refused = warm = 0
    for form in batch:
        if len(times) == count:
            break
        try:
            if warm < 3:
                register_visit(hall, actor, form)
                warm += 1
                continue
            times.append(timed_ms(functools.partial(register_visit, hall, actor, form)))
        except RuleViolation:
            refused += 1  # a matter through 复核 already: refused by the rules, not timed; the next form follows
            continue
        if progress and len(times) % 50 == 0:
            progress(len(times))
    return {**summary(times), "refused": refused, "times_ms": times}


def repeat_while_typing(hall: Hall, actor: Actor, people: int, rng: random.Random,
                        max_chars: int = 80) -> dict[str, Any]:
    """``check_repeat`` per keystroke while one of each person's requests is typed in again."""
    found = known_people(hall, people, rng)
    check_repeat(hall, actor, found[0]["id_number"], found[0]["name"], found[0]["phone"], "", "")  # warm
    times: list[float] = []
    for p in found:
        text = p["request"][:max_chars]
        for end in range(1, len(text) + 1):
            times.append(timed_ms(functools.partial(check_repeat, hall, actor, p["id_number"], p["name"],
                                                    p["phone"], text[:end], p["topic_code"])))
    return {**summary(times), "people": len(found), "keystrokes": len(times)}
