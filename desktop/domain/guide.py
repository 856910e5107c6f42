"""办事指南's time limits in plain words, built from the Regulations' rules as the hall counts them.

The kiosk's guide states each limit with the hall's own day counting (setting ``day_counting``):
“15日” where days are calendar days, “15个工作日” where local rules count working days — the same
rules and numbers the deadlines are computed with (``desktop.domain.deadlines``), never typed twice.
"""

from __future__ import annotations

from desktop.domain.deadlines import (
    EXTENSION_MAX,
    HANDLE,
    NOTIFY,
    REREVIEW_ANSWER,
    REREVIEW_REQUEST,
    REVIEW_ANSWER,
    REVIEW_REQUEST,
    ROUTE,
    UNIT_NOTIFY,
    DayCounting,
    DeadlineRule,
)


def limit_words(rule: DeadlineRule, counting: DayCounting) -> str:
    """15日 or 15个工作日: a rule's days as the hall counts them (a rule with its own counting keeps it)."""
    counted = rule.fixed_counting or counting
    return f"{rule.days}个工作日" if counted is DayCounting.WORKING else f"{rule.days}日"


def counting_note(counting: DayCounting) -> str:
    if counting is DayCounting.WORKING:
        return "以上期限按工作日计算：周末和法定节假日不计入，调休上班日计入；从收到、受理或答复的第二天起算。"
    return ("以上期限按自然日计算，从收到、受理或答复的第二天起算；期限的最后一天是周末或法定节假日的，"
            "顺延到节假日后的第一个工作日。")


def time_limits(counting: DayCounting) -> str:
    """The guide's 办理时限 page, one paragraph a step."""
    def days(rule: DeadlineRule) -> str:
        return limit_words(rule, counting)

    return "\n\n".join((
        "登记：来访当场登记，当场给您登记回执，回执上有案件编号和查询码。",
        f"告知：有权处理的机关能当场告知的当场告知；不能当场告知的，{days(NOTIFY)}内书面告知是否受理。",
        f"转送、交办：应由其他机关、单位处理的，信访部门收到之日起{days(ROUTE)}内转送、交办；接收的机关、单位"
        f"收到之日起{days(UNIT_NOTIFY)}内决定是否受理，并书面告知您（可凭回执在本机查询转送到了哪里）。",
        f"办理：受理之日起{days(HANDLE)}内办结；情况复杂的可以延长，最多再延长{days(EXTENSION_MAX)}，"
        "并告诉您延期理由。",
        f"复查：对处理意见不服的，收到书面意见之日起{days(REVIEW_REQUEST)}内可以请求上一级机关复查；"
        f"复查机关{days(REVIEW_ANSWER)}内答复。",
        f"复核：对复查意见不服的，收到复查意见之日起{days(REREVIEW_REQUEST)}内可以请求复核；"
        f"复核机关{days(REREVIEW_ANSWER)}内答复。",
        counting_note(counting),
    ))
