"""Deadlines the hall is waiting on: what is due soon, what is overdue, what needs a supervisor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from db.models import CaseRow
from desktop.domain.access import Permission
from desktop.domain.case import route_late_in_words
from desktop.domain.deadlines import DUE_SOON_DAYS
from desktop.domain.identity import mask_name
from desktop.services.audit import guard
from desktop.services.context import Actor, Hall
from desktop.services.due import due_soon, overdue, overdue_or_due_soon
from desktop.services.self_service import Dissatisfied, dissatisfied_cases

#: How many cases rated 不满意 the supervisors' list shows (the newest ratings).
DISSATISFIED_LISTED = 500


@dataclass(frozen=True)
class DueCase:
    case_number: str
    petitioner_name: str
    state: str
    next_due: date
    next_due_rule: str
    leader: str
    days_left: int
    verified: bool = True  # False: counted over weekends only, the year's holiday schedule not imported
    route_late: str = ""  # the bureau transferred or assigned it late (转送逾期3天), said while the unit's limit runs

    @property
    def basis(self) -> str:
        """The rule of the deadline, and the bureau's late transfer when there was one."""
        return f"{self.next_due_rule}（{self.route_late}）" if self.route_late else self.next_due_rule


@dataclass(frozen=True)
class Backlog:
    open_cases: int
    overdue: int
    due_within_week: int
    flagged: int


#: What the backlog's counts mean, for the people who read them (screen tips).
BACKLOG_TIP = ("在办：尚有期限在走的事项；已超期：当前期限已过；7日内到期：当前期限在今天起7日内"
               "（第7日遇节假日、休息日顺延至其后第一个工作日）；"
               "待督办核查：办理记录中有按规定不能发生的步骤（如两台电脑同步后相互冲突），需督查人员核对的事项")
#: How many of the overdue and due-soon cases the deadline board lists (the most urgent).
DUE_LISTED = 200


@dataclass(frozen=True)
class DeadlineBoard:
    """The deadline board: the backlog's counts and the most urgent of its overdue and due-soon cases."""

    backlog: Backlog
    due: list[DueCase]

    @property
    def not_listed(self) -> int:
        """Overdue or due-within-a-week cases beyond the list (the counts say more than the rows show)."""
        return max(0, self.backlog.overdue + self.backlog.due_within_week - len(self.due))


def deadline_board(hall: Hall, actor: Actor, *, limit: int = DUE_LISTED) -> DeadlineBoard:
    return DeadlineBoard(backlog(hall, actor), upcoming_deadlines(hall, actor, limit=limit))


def upcoming_deadlines(hall: Hall, actor: Actor, *, within_days: int = DUE_SOON_DAYS,
                       limit: int = DUE_LISTED) -> list[DueCase]:
    """Open cases whose current deadline has passed or falls within ``within_days`` (the last of them
    moved past rest days, see :func:`due_soon_until`), soonest first."""
    guard(hall, actor, Permission.VIEW_CASE, "查看期限提醒")
    today = hall.today()
    with hall.sessions() as session:
        rows = session.execute(
            select(CaseRow.case_number, CaseRow.petitioner_name, CaseRow.state, CaseRow.next_due,
                   CaseRow.next_due_rule, CaseRow.leader, CaseRow.deadlines_verified, CaseRow.route_due,
                   CaseRow.routed_on)
            .where(overdue_or_due_soon(today, hall.policy.calendar, within_days))
            .order_by(CaseRow.next_due, CaseRow.case_number).limit(limit)
        ).all()
    return [DueCase(r.case_number, mask_name(r.petitioner_name), r.state, r.next_due, r.next_due_rule,
                    r.leader, (r.next_due - today).days, r.deadlines_verified,
                    route_late_in_words(r.state, r.route_due, r.routed_on))
            for r in rows]


def backlog(hall: Hall, actor: Actor) -> Backlog:
    guard(hall, actor, Permission.VIEW_CASE, "查看积案统计")
    today = hall.today()
    with hall.sessions() as session:
        open_cases = session.scalar(select(func.count()).where(CaseRow.next_due.is_not(None))) or 0
        late = session.scalar(select(func.count()).where(overdue(today))) or 0
        week = session.scalar(select(func.count()).where(due_soon(today, hall.policy.calendar))) or 0
        flagged = session.scalar(select(func.count()).where(CaseRow.needs_supervisor)) or 0
    return Backlog(open_cases, late, week, flagged)


@dataclass(frozen=True)
class DissatisfiedList:
    """The cases rated 不满意: how many there are, and the newest ratings' cases listed."""

    total: int
    listed: list[Dissatisfied]

    @property
    def not_listed(self) -> int:
        return max(0, self.total - len(self.listed))


def dissatisfied_list(hall: Hall, actor: Actor, *, limit: int = DISSATISFIED_LISTED) -> DissatisfiedList:
    """The supervisors' 不满意评价 tab: every case whose rating stands at 不满意 is counted, the newest listed."""
    listed = dissatisfied_cases(hall, actor, limit=limit)  # checks the supervisor's permission
    with hall.sessions() as session:
        total = session.scalar(select(func.count()).where(CaseRow.rating == "不满意")) or 0
    return DissatisfiedList(max(total, len(listed)), listed)
