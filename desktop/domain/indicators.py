"""The assessed figures of petition work (信访工作考核指标), defined over counts.

Each figure is a plain function of counts so that the desktop, the server and the tests
agree on one definition. A rate whose denominator is zero is ``None`` (shown as "—"):
"no case to judge" is neither 0 % nor 100 %.

Which cases count in which month (the statistics service groups by these dates):

* **Visits** (批次, 人次, 初访/重复访, 集体访, 受理, 不予受理, 及时受理率) count in the month the
  case was **received** (``received_on``).
* **Answers and ratings** (答复, 按期答复, 按期办结率, 参评, 满意, 群众参评率, 参评群众满意率)
  count in the month of the case's written answer (处理意见书, ``answered_on``).

The Regulations define none of these figures; where DOMAIN.md leaves a choice open the
docstring of the function says which common practice is followed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from types import MappingProxyType

__all__ = [
    "DEFINITIONS",
    "DISSATISFIED_WORDS",
    "GROUP_VISIT_MIN_PERSONS",
    "RATINGS",
    "SATISFIED_RATINGS",
    "IndicatorCounts",
    "answered_on_time",
    "decided_on_time",
    "format_rate",
    "is_group_visit",
    "is_satisfied",
    "on_time_answer_rate",
    "participation_rate",
    "rate",
    "repeat_visit_rate",
    "satisfaction_rate",
    "timely_acceptance_rate",
]

#: The rating levels petitioners choose from (DOMAIN.md: commonly 满意 / 基本满意 / 不满意).
RATINGS: tuple[str, ...] = ("满意", "基本满意", "不满意")
#: Said to a citizen who rated 不满意, on the screen and the 评价回执: in plain words, not the Regulations'
#: 复查 (a citizen reading “复查” took a review to be under way and let the 30 days to apply for one pass).
DISSATISFIED_WORDS = ("您评价为“不满意”，督查人员会核实这件事项的办理情况，并与您联系。"
                      "评价不等于申请复查。")
#: Ratings counted as satisfied in 参评群众满意率: 满意 and 基本满意, as assessments commonly do.
SATISFIED_RATINGS = frozenset({"满意", "基本满意"})
#: 集体访 is "5人以上" in petition statistics; the Regulations only cap representatives at 5 (art. 20).
GROUP_VISIT_MIN_PERSONS = 5


#: Each figure's rule in a line, for the people who read the tables (screen tips, the export).
DEFINITIONS: Mapping[str, str] = MappingProxyType({
    "批次": "当月登记的信访事项件数（按登记日期计）",
    "人次": "当月登记事项的来访人数之和",
    "初访": "登记为初访的事项件数",
    "重复访": "登记为重复访（同一人、同一事项再次来访）的事项件数",
    "重复访率": "重复访 ÷ 批次",
    "集体访": "来访人数5人及以上的事项件数",
    "受理": "当月登记、已作出受理决定的事项件数",
    "不予受理": "当月登记、已作出不予受理决定的事项件数",
    "及时受理率": "按期受理的事项 ÷（已受理 + 超过期限仍未作出受理决定的事项）；期限：本机关受理的，收到之日起15日；"
                "按期转送、交办的，接收单位收到之日起15日；逾期转送、交办的，不能再按期受理；"
                "不予受理（记录中无决定日期）和导入法定途径的事项不计入",
    "答复": "当月出具处理意见书的事项件数（按答复日期计；调解和解、已出具复查或复核意见的事项不计入）",
    "按期答复": "答复日期不晚于办理期限（受理之日起60日，经批准延期的加上延长期限）的事项件数",
    "按期办结率": "按期答复 ÷ 答复",
    "参评": "当月答复的事项中，信访人已作出评价的件数",
    "满意": "参评事项中评价为“满意”或“基本满意”的件数",
    "群众参评率": "参评 ÷ 答复",
    "参评群众满意率": "满意 ÷ 参评",
})


def rate(numerator: int, denominator: int) -> float | None:
    """``numerator / denominator`` in [0, 1]; ``None`` when there is nothing to judge."""
    if numerator < 0 or denominator < 0:
        raise ValueError("counts cannot be negative")
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} exceeds denominator {denominator}")
    if denominator == 0:
        return None
    return numerator / denominator


def format_rate(value: float | None) -> str:
    """A rate as shown and exported in words: ``93.5%``, or ``—`` when there is none."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


def is_group_visit(persons_count: int) -> bool:
    """集体访: a visit of 5 or more persons (common statistical practice; DOMAIN.md leaves it open)."""
    return persons_count >= GROUP_VISIT_MIN_PERSONS


def is_satisfied(rating: str) -> bool:
    return rating in SATISFIED_RATINGS


def repeat_visit_rate(repeat_visits: int, batches: int) -> float | None:
    """重复访率 = 重复访 / 批次 of the cases received in the month.

    A case is a repeat visit when it was registered as 重复访 (the same person and matter
    as an earlier case). Counted in 批次 (cases), not 人次.
    """
    return rate(repeat_visits, batches)


def decided_on_time(decided_on: date | None, decision_due: date | None) -> bool:
    """Whether a 受理/不予受理 decision was made by its statutory limit.

    The limit is the case's ``decision_due`` (:func:`desktop.domain.case.decision_limit`): 15 days
    from the hall's receipt for a case the bureau decides itself (arts. 22–23); for a case transferred
    or assigned within that time, the receiving unit's 15 days from the day it got it (art. 23); for
    one transferred or assigned late, the bureau's 15 days, already passed. Counted as the deployment
    counts days (calendar by default, the last day moved past rest days).
    """
    return decided_on is not None and decision_due is not None and decided_on <= decision_due


def timely_acceptance_rate(decided_on_time_count: int, decisions_due: int) -> float | None:
    """及时受理率 = acceptances made on time / acceptances due, for the cases received in the month.

    * **Due** (denominator): every case received in the month that was accepted (受理), plus
      every case still awaiting its 受理/不予受理 decision whose limit has already passed (it
      can no longer be on time). Cases still within the limit are left out until decided.
    * **On time** (numerator): accepted with ``accepted_on ≤ decision_due``
      (:func:`decided_on_time`).

    **The limit follows the case** (the decision this figure records): a case the bureau keeps is
    held to 15 days from the hall's receipt; a case it transferred or assigned within those 15 days
    is held to the receiving unit's own 15 days from the day of the transfer (art. 23 — the unit
    decides acceptance and tells the petitioner), so a unit that decides in its time is not counted
    late for days the matter spent at the bureau; a case transferred or assigned after the 15 days
    is late already on the bureau's step and stays late (counted due, never on time). A case is
    counted in the month it was received, whoever decides it.

    Left out, where DOMAIN.md leaves the choice open: refusals (不予受理), because the case
    record holds no date for that decision, and cases directed to a legal route
    (导入法定途径, art. 31), which get no 受理/不予受理 decision.
    """
    return rate(decided_on_time_count, decisions_due)


def answered_on_time(answered_on: date | None, handling_due: date | None) -> bool:
    """Whether the written answer came by the handling limit (60 days + an approved extension)."""
    return answered_on is not None and handling_due is not None and answered_on <= handling_due


def on_time_answer_rate(answered_on_time_count: int, answered: int) -> float | None:
    """按期办结率 (按期答复率) = answers given on time / answers given, by month of the answer.

    * **Answered** (denominator): cases whose written answer (处理意见书) is dated in the
      month.
    * **On time** (numerator): ``answered_on ≤ handling_due``, the 60-day limit of art. 34
      from acceptance, including an approved extension of at most 30 days
      (:func:`answered_on_time`).

    Common practice counts concluded cases (办结); here a case is concluded by its written
    answer. Left out: mediated or settled cases (调解/和解, art. 33), which end without a
    written answer and carry no date of conclusion, and cases that have since received a
    复查/复核 opinion, whose record keeps that opinion's date in place of the first
    answer's. Cases still open past their limit are not in this figure: the backlog shows
    them.
    """
    return rate(answered_on_time_count, answered)


def participation_rate(rated: int, answered: int) -> float | None:
    """群众参评率 = rated cases / cases that could be rated, by month of the answer.

    The cases that could be rated are those answered in the month (the answer is what the
    petitioner rates, art. 21); a case counts as rated once the petitioner has given any
    rating, whenever that was. Refused and redirected cases may be rated too but carry no
    date of conclusion, so they are left out of both numerator and denominator.
    """
    return rate(rated, answered)


def satisfaction_rate(satisfied: int, rated: int) -> float | None:
    """参评群众满意率 = (满意 + 基本满意) / rated cases, of the cases answered in the month.

    DOMAIN.md names the levels as settings with no national text; 基本满意 counts as
    satisfied, as provincial assessments commonly do.
    """
    return rate(satisfied, rated)


@dataclass(frozen=True)
class IndicatorCounts:
    """The counts of one month (or a year, a channel): every figure derives from these."""

    batches: int = 0  # 批次: cases received
    persons: int = 0  # 人次: persons on those cases
    first_visits: int = 0  # 初访
    repeat_visits: int = 0  # 重复访
    group_visits: int = 0  # 集体访 (5 or more persons)
    accepted: int = 0  # 受理
    refused: int = 0  # 不予受理
    decisions_due: int = 0  # denominator of 及时受理率
    decided_on_time: int = 0  # numerator of 及时受理率
    answered: int = 0  # written answers dated in the period
    answered_on_time: int = 0
    rated: int = 0
    satisfied: int = 0

    def __add__(self, other: IndicatorCounts) -> IndicatorCounts:
        return IndicatorCounts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                                  for f in fields(IndicatorCounts)})

    @property
    def repeat_visit_rate(self) -> float | None:
        return repeat_visit_rate(self.repeat_visits, self.batches)

    @property
    def timely_acceptance_rate(self) -> float | None:
        return timely_acceptance_rate(self.decided_on_time, self.decisions_due)

    @property
    def on_time_answer_rate(self) -> float | None:
        return on_time_answer_rate(self.answered_on_time, self.answered)

    @property
    def participation_rate(self) -> float | None:
        return participation_rate(self.rated, self.answered)

    @property
    def satisfaction_rate(self) -> float | None:
        return satisfaction_rate(self.satisfied, self.rated)
