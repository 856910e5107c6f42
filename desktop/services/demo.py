"""Realistic generated data for demonstrations, training and benchmarks.

Names and addresses come from Faker's zh_CN provider, ID numbers are valid
GB 11643 numbers whose region and birth date agree with the person, and each
case is a plausible event history over the last three years: routed (to the
organisation the directory finds competent for the topic where the problem is,
when a directory is given), accepted, answered (a few after the time limit),
rated, sometimes extended, reviewed or re-reviewed, with repeat visitors and
group visits. Events go through the same fold as live cases, so
the projections are exactly what a rebuild would produce.

Speed matters (1,000,000 cases on two cores): people and texts are drawn from
pools made once, and rows are inserted in large batches.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import Connection, insert, update
from stdnum.cn import ric

from db.models import CounterRow, EventRow
from desktop.domain.case import CaseView, DeadlinePolicy, project
from desktop.domain.chinatime import epoch_ms
from desktop.domain.classification import Channel, Nature, TopicTaxonomy
from desktop.domain.events import Event, EventType
from desktop.domain.numbering import hash_query_code, make_case_number
from desktop.domain.regions import RegionDirectory
from desktop.domain.routing import OrganisationDirectory
from desktop.services.store import bulk_write_projections, event_to_row

DEVICE_CODES = ("C01", "C02", "C03", "C04", "K01", "K02")
#: The demo database's leader account (see ``desktop.services.accounts.DEMO_ACCOUNTS``).
LEADER_AUTHOR = "staff:lingdao1"
LATE_ANSWERS = 0.04  # share of answers given after the time limit (not extended)
CLERKS = ("staff:wangli", "staff:zhaomin", "staff:chenjie", "staff:liuyang", "staff:sunhong")
#: The county's leaders; the first is the demo's leader account (lingdao1, 周建华（演示）).
LEADERS = ("县长 周建华", "副县长 吴晓东", "副县长 郑丽", "县委副书记 冯立新")


def make_id_number(rng: random.Random, region6: str, birth: date) -> str:
    body = f"{region6}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + ric.calc_check_digit(body + "0")  # the function ignores the last character


def make_mobile(rng: random.Random) -> str:
    prefix = rng.choice(("130", "131", "133", "135", "136", "137", "138", "139", "150", "151",
                         "152", "155", "157", "158", "159", "177", "180", "181", "186", "187",
                         "188", "189", "191", "199"))
    return f"{prefix}{rng.randrange(0, 10**8):08d}"


_FRAGMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # top-level topic name keyword: (situations, demands)
    "城乡": (("房屋征收补偿款至今未足额发放", "小区物业长期不履行维修义务，电梯多次困人",
              "安置房交付延期两年仍未交房", "违章搭建影响采光和通行", "商品房漏水开发商拒绝维修"),
             ("要求按协议足额支付补偿", "要求尽快维修并公开维修资金使用情况",
              "要求明确交房时间并赔偿过渡费", "要求依法拆除违章建筑", "要求开发商承担维修责任")),
    "劳动": (("在工地务工八个月，包工头拖欠工资三万余元", "公司未为本人缴纳社会保险",
              "被单位无故辞退且未支付经济补偿", "工伤认定后单位拒不支付工伤待遇"),
             ("要求尽快追讨被拖欠的工资", "要求补缴社会保险", "要求依法支付经济补偿",
              "要求落实工伤保险待遇")),
    "农村": (("村集体土地流转收益分配不公开", "耕地承包经营权被他人侵占",
              "惠农补贴多年未领到", "村务账目长期不公开"),
             ("要求公开分配方案和账目", "要求确认承包经营权", "要求补发补贴",
              "要求镇里督促村委会公开村务")),
    "自然": (("邻居在承包地上建房占用耕地", "采石场越界开采造成山体滑坡隐患"),
             ("要求依法查处", "要求停止开采并治理隐患")),
    "生态": (("附近工厂夜间排放刺鼻废气", "养殖场污水直排河道", "夜间施工噪声扰民"),
             ("要求环保部门查处", "要求整改并恢复河道水质", "要求限制夜间施工时间")),
    "卫生": (("在医院手术后出现并发症，对处理结果不认可", "医保报销比例与政策不符"),
             ("要求重新鉴定并赔偿", "要求按政策重新核定报销金额")),
    "教育": (("孩子就近入学申请未获批准", "民办学校退费纠纷"),
             ("要求按学区政策安排入学", "要求学校按规定退还费用")),
    "交通": (("村道损毁严重多年未修", "客运班线取消后出行困难"),
             ("要求尽快修复道路", "要求恢复班线")),
    "市场": (("购买的食品过期变质，商家拒绝退换", "装修公司收取定金后失联"),
             ("要求查处并退款", "要求追回定金")),
    "民政": (("家庭困难申请低保未获批准", "高龄补贴停发"),
             ("要求重新审核低保申请", "要求恢复发放高龄补贴")),
    "政法": (("对法院判决不服，认为认定事实错误", "报警后派出所迟迟不予立案"),
             ("要求重新审理", "要求公安机关依法立案")),
    "纪检": (("村干部在低保评定中优亲厚友", "某站所工作人员办事索要好处费"),
             ("要求调查处理", "要求依纪依法查处")),
    "退役": (("退役后安置待遇未落实",), ("要求落实安置政策",)),
}
_GENERIC = (("相关问题长期得不到解决", "多次反映无果"), ("要求有关部门依法处理", "要求给予答复"))


_Step = Callable[..., bool]


@dataclass
class _Person:
    name: str
    id_number: str
    phone: str
    address: str


class DemoGenerator:
    """Generates consistent case histories from a seed; same seed, same data."""

    def __init__(self, *, seed: int, today: date, taxonomy: TopicTaxonomy,
                 regions: RegionDirectory, pepper: bytes, years: int = 3,
                 device_id: str = "demo", directory: OrganisationDirectory | None = None) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.start = today - timedelta(days=365 * years)
        self.pepper = pepper
        self.device_id = device_id
        faker = Faker("zh_CN")
        faker.seed_instance(seed)
        self.names = [faker.name() for _ in range(4000)]
        # a number on the street (Faker's zh_CN building numbers are "K座", which read 曾路K座号)
        self.streets = [f"{faker.street_name()}{faker.random_int(1, 399)}号" for _ in range(800)]
        self.villages = [faker.city_name()[:2] + s for s in ("村", "社区", "小区")
                         for _ in range(1)]
        self.topics = [t for t in taxonomy.all() if not taxonomy.children(t.code)]
        self.top_names = {t.code: taxonomy.path(t.code)[0].name for t in self.topics}
        self.taxonomy = taxonomy
        towns = [r for r in regions.all() if len(r.code) == 9]
        self.towns = towns or list(regions.all())
        self.region_names = {r.code: r.name for r in regions.all()}
        self.persons: list[_Person] = []
        self.serials: dict[tuple[str, int], int] = {}
        self.case_pool: list[tuple[str, _Person, str, str]] = []  # case_id, person, topic, request
        # a repeat's earlier cases of the same matter, all of them (as registration links a repeat to each earlier
        # case of the matter it matches): the 积案 rule counts a matter's visits from them
        self.earlier_of: dict[str, list[str]] = {}
        self.final_matters: set[tuple[str, str]] = set()  # (id_number, topic) through 复核
        # 转送/交办 go to an organisation competent for the topic where the problem is (none without a directory)
        self.directory = directory
        self._competent: dict[tuple[str, str], tuple[str, ...]] = {}

    # -- people and texts -----------------------------------------------------------------
    def _person(self) -> _Person:
        rng = self.rng
        town = rng.choice(self.towns)
        birth = date(rng.randint(1945, 2003), rng.randint(1, 12), rng.randint(1, 28))
        person = _Person(
            name=rng.choice(self.names),
            id_number=make_id_number(rng, town.code[:6], birth),
            phone=make_mobile(rng) if rng.random() > 0.04 else "",
            address=f"浙江省金华市{self.region_names.get(town.code[:6], '')}{town.name}"
                    f"{rng.choice(self.streets)}",
        )
        self.persons.append(person)
        return person

    def _request(self, topic_code: str) -> tuple[str, str, str]:
        rng = self.rng
        top = self.top_names.get(topic_code, "")
        situations, demands = next((v for k, v in _FRAGMENTS.items() if k in top), _GENERIC)
        town = rng.choice(self.towns).name
        leaf = self.taxonomy.get(topic_code).name
        situation = rng.choice(situations)
        demand = rng.choice(demands)
        request = f"反映{town}{situation}（{leaf}），{demand}。"
        facts = (f"{rng.randint(2015, self.today.year)}年{rng.randint(1, 12)}月起，"
                 f"{situation}，曾{rng.choice(('向村委会', '向镇政府', '向有关部门', '拨打12345'))}"
                 f"反映{rng.randint(1, 6)}次，未得到解决。")
        reasons = rng.choice(("认为有关单位未依法履职。", "认为处理结果不公平。",
                              "生活因此陷入困难。", "合法权益受到侵害。"))
        return request, facts, reasons

    # -- one case -------------------------------------------------------------------------
    def case_events(self, index: int, total: int) -> list[Event]:
        rng = self.rng
        span = (self.today - self.start).days
        # spread over the span, denser recently, in order of index
        offset = int(span * (index / max(total, 1)) ** 0.9)
        received = self.start + timedelta(days=min(offset, span))
        at = datetime.combine(received, time(8, 30)) + timedelta(minutes=rng.randint(0, 510))
        device = rng.choice(DEVICE_CODES)
        key = (device, received.year)
        self.serials[key] = serial = self.serials.get(key, 0) + 1
        case_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        author = rng.choice(CLERKS) if device[0] == "C" else f"kiosk:{device}"
        repeat_of: list[str] = []
        if self.case_pool and rng.random() < 0.15:
            earlier_id, person, topic_code, request = rng.choice(self.case_pool[-5000:])
            if (person.id_number, topic_code) in self.final_matters:
                person = self._person()
                topic_code = rng.choice(self.topics).code
                request, facts, reasons = self._request(topic_code)
            else:
                repeat_of = [*self.earlier_of.get(earlier_id, ()), earlier_id]
                facts, reasons = "此前已反映，问题仍未解决。", "认为未得到实质解决。"
        else:
            person = self._person() if not self.persons or rng.random() < 0.9 else rng.choice(
                self.persons)
            topic_code = rng.choice(self.topics).code
            request, facts, reasons = self._request(topic_code)
        group = rng.random() < 0.03
        persons_count = rng.randint(5, 60) if group else (1 if rng.random() < 0.85 else 2)
        reps = [self._person() for _ in range(rng.randint(1, 5))] if group else []
        region = rng.choice(self.towns).code
        topic = self.taxonomy.get(topic_code)
        nature = (topic.default_nature.value if topic.default_nature
                  else rng.choice((Nature.APPEAL.value,) * 8 + (Nature.SUGGESTION.value,)))
        channel = rng.choices([c.value for c in Channel], weights=(60, 10, 15, 8, 1, 6))[0]
        code = f"{rng.randrange(10**8):08d}"
        registered = {
            "case_number": make_case_number(received, device, serial),
            "channel": channel,
            "received_on": received.isoformat(),
            "received_at": at.isoformat(timespec="seconds"),
            "hall": "浦江县人民来访接待中心",
            "window": f"{rng.randint(1, 6)}号窗口" if device[0] == "C" else "",
            "queue_number": f"A{rng.randint(1, 120):03d}",
            "petitioner": {"name": person.name, "document_type": "居民身份证",
                           "id_number": person.id_number, "phone": person.phone},
            "representatives": [{"name": r.name, "document_type": "居民身份证",
                                 "id_number": r.id_number, "phone": r.phone} for r in reps],
            "agent": None,
            "address": person.address,
            "persons_count": persons_count,
            "region_code": region,
            "topic_code": topic_code,
            "purpose": "",
            "nature": "",
            "request": request,
            "facts": facts,
            "reasons": reasons,
            "public_ok": rng.random() < 0.3,
            "visit_kind": "重复访" if repeat_of else "初访",
            "repeat_of": repeat_of,
            "query_code_hash": hash_query_code(code, self.pepper, rng.randbytes(8)),
            "flags": ["多人走访"] if group else [],
        }
        steps: list[tuple[EventType, date, dict[str, Any]]] = []
        day = received

        def step(kind: EventType, after: int, payload: dict[str, Any],
                 date_key: str = "") -> bool:
            """Add a step ``after`` days after the previous one, unless that is in the future."""
            nonlocal day
            when = day + timedelta(days=after)
            if when > self.today:
                return False
            day = when
            if date_key:
                payload[date_key] = when.isoformat()
            steps.append((kind, when, payload))
            return True

        self.case_pool.append((case_id, person, topic_code, request))
        if repeat_of:
            self.earlier_of[case_id] = repeat_of
        step(EventType.CLASSIFIED, 0, {"nature": nature, "topic_code": topic_code,
                                        "legal_route": ""})
        r = rng.random()
        if r < 0.04:
            step(EventType.GUIDED, rng.randint(0, 3), {"route_kind": "导入法定途径",
                                                       "organisation_code": ""})
        elif r < 0.07:
            step(EventType.NOT_ACCEPTED, rng.randint(1, 10), {"reason": "已在法定期限内办理中"})
        else:
            self._handle(step, rng, nature, person, topic_code, r, self._organisation(topic_code, region))
        device_id = f"{self.device_id}{device}"
        events = [Event(str(uuid.UUID(int=rng.getrandbits(128), version=4)), case_id,
                        device_id, author, self._hlc(at, 0, device), EventType.REGISTERED,
                        registered)]
        for n, (kind, when, payload) in enumerate(steps, start=1):
            moment = max(datetime.combine(when, time(9, 0)), at) + timedelta(minutes=n)
            event_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            clerk = rng.choice(CLERKS)
            # a leader takes personal charge (包案 needs the leader's permission, as on every replica)
            events.append(Event(event_id, case_id, device_id, LEADER_AUTHOR if kind is EventType.LEADER_TAKEN
                                else clerk, self._hlc(moment, n, device), kind, payload))
        return events

    def _organisation(self, topic_code: str, region_code: str) -> str:
        """An organisation competent for the topic at the problem's place (属地管理), "" if none is known."""
        if self.directory is None:
            return ""
        key = (topic_code, region_code)
        codes = self._competent.get(key)
        if codes is None:
            codes = tuple(o.code for o in self.directory.competent_for(topic_code, region_code))
            self._competent[key] = codes
        return codes[len(self.case_pool) % len(codes)] if codes else ""

    def _handle(self, step: _Step, rng: random.Random, nature: str, person: _Person,
                topic_code: str, r: float, organisation: str) -> None:
        """Routing, acceptance, handling and answer, as far as today allows."""
        if r < 0.6:
            ok = step(EventType.TRANSFERRED, rng.randint(0, 10),
                      {"route_kind": "转送", "organisation_code": organisation}, "routed_on")
        elif r < 0.68:
            due = rng.choice((15, 30, 45))
            payload: dict[str, Any] = {"route_kind": "交办", "organisation_code": organisation,
                                       "leader": rng.choice(LEADERS)}
            ok = step(EventType.ASSIGNED, rng.randint(0, 5), payload, "routed_on")
            if ok:
                payload["due"] = (date.fromisoformat(payload["routed_on"])
                                  + timedelta(days=due)).isoformat()
        else:
            ok = True
        if not ok or not step(EventType.ACCEPTED, rng.randint(1, 14), {}, "accepted_on"):
            return
        if rng.random() < 0.05:  # on a reception day, with the deadline a 包案 always gets (访后限期办结, 30 days)
            # the demo's leader account (lingdao1) takes charge itself: the 包案 is in its name
            taken: dict[str, Any] = {"leader": LEADERS[0], "unit": "县信访联席办"}
            if step(EventType.LEADER_TAKEN, rng.randint(0, 5), taken, "reception_on"):
                taken["due"] = (date.fromisoformat(taken["reception_on"]) + timedelta(days=30)).isoformat()
        extended = rng.random() < 0.06
        if extended:
            step(EventType.EXTENDED, rng.randint(40, 55),
                 {"days": rng.choice((15, 30)), "reason": "案情复杂，需进一步调查核实",
                  "approved_by": "局长 何伟"}, "extended_on")
        if nature == Nature.APPEAL.value and rng.random() < 0.03:
            step(EventType.SETTLED, rng.randint(10, 40), {"kind": "调解"})
            return
        outcome = rng.choices(("予以支持", "解释说明", "不予支持"), weights=(45, 35, 20))[0]
        # Some units answer after the 60 days (按期办结率 below 100 %; late cases on the deadline board)
        late = not extended and rng.random() < LATE_ANSWERS
        if not step(EventType.ANSWERED, rng.randint(61, 85) if late else rng.randint(10, 20 if extended else 50),
                    {"outcome": outcome}, "answered_on"):
            return
        if not step(EventType.DELIVERED, rng.randint(0, 5), {}, "delivered_on"):
            return
        if rng.random() < 0.7:  # within a few days, so a review request stays inside 30 days
            step(EventType.RATED, rng.randint(0, 4),
                 {"rating": rng.choices(("满意", "基本满意", "不满意"), weights=(70, 20, 10))[0],
                  "target": "信访部门"})
        if rng.random() < 0.06:
            self._review(step, rng, person, topic_code)

    def _review(self, step: _Step, rng: random.Random, person: _Person, topic_code: str) -> None:
        if not (step(EventType.REVIEW_REQUESTED, rng.randint(3, 24), {}, "requested_on")
                and step(EventType.REVIEW_ANSWERED, rng.randint(10, 28),
                         {"outcome": rng.choice(("解释说明", "不予支持"))}, "answered_on")
                and step(EventType.DELIVERED, rng.randint(0, 3), {}, "delivered_on")):
            return
        if rng.random() < 0.4 and (
            step(EventType.REREVIEW_REQUESTED, rng.randint(3, 25), {}, "requested_on")
            and step(EventType.REREVIEW_ANSWERED, rng.randint(10, 28),
                     {"outcome": "不予支持"}, "answered_on")
        ):
            self.final_matters.add((person.id_number, topic_code))

    def _hlc(self, moment: datetime, counter: int, device: str) -> str:
        ms = epoch_ms(moment)
        return f"{ms:013d}-{counter:05d}-{self.device_id}{device}"

    def cases(self, total: int) -> Iterator[list[Event]]:
        for index in range(total):
            yield self.case_events(index, total)


@dataclass(frozen=True)
class DemoReport:
    cases: int
    events: int
    seconds: float


def write_demo(connection: Connection, generator: DemoGenerator, total: int,
               policy: DeadlinePolicy, *, batch: int = 2000,
               progress: Callable[[int, int], None] | None = None,
               local_device_code: str = "", commit_every: int = 0) -> tuple[int, int]:
    """Generate ``total`` cases into an empty or existing database, in batches.

    With ``commit_every`` (a number of cases) the work is committed in slices, so
    the write-ahead log is checkpointed as it goes instead of growing to the size
    of the database; slices of ~100,000 cases keep the checkpoints rare enough not
    to slow the build (committing every batch made it 40 % slower).
    """
    events_written = 0
    done = 0
    pending_events: list[dict[str, Any]] = []
    pending_views: list[CaseView] = []
    for case in generator.cases(total):
        pending_events.extend(event_to_row(e) for e in case)
        pending_views.append(project(case[0].case_id, case, policy))
        if len(pending_views) >= batch:
            events_written += _flush(connection, pending_events, pending_views)
            done += len(pending_views)
            if commit_every and done % commit_every < batch:
                connection.commit()
            pending_events, pending_views = [], []
            if progress:
                progress(done, total)
    events_written += _flush(connection, pending_events, pending_views)
    done += len(pending_views)
    if progress:
        progress(done, total)
    for (device, year), serial in generator.serials.items():
        if device == local_device_code:
            name = f"case_serial:{year}"
            hit = connection.execute(update(CounterRow).where(CounterRow.name == name)
                                     .values(value=serial))
            if not hit.rowcount:
                connection.execute(insert(CounterRow), [{"name": name, "value": serial}])
    return done, events_written


def _flush(connection: Connection, events: Sequence[dict[str, Any]],
           views: Sequence[CaseView]) -> int:
    if events:
        connection.execute(insert(EventRow), list(events))
    bulk_write_projections(connection, views)
    return len(events)


def demo_pepper() -> bytes:
    return secrets.token_bytes(32)
