"""First or repeat visit (初访/重复访), and the finality of a matter after 复核.

The same person is recognised by ID number, or by name and phone together;
the same matter by topic and the similarity of the request text. A request
that already went through re-review (复核) on the same facts and reasons is
not accepted again (条例第三十六条); the clerk is told so, with the case.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.domain.case import CONCLUDED_STATES
from desktop.domain.errors import RuleViolation

#: Similarity (0–100) of two request texts above which they are one matter.
SAME_MATTER_SCORE = 72.0


class VisitKind(StrEnum):
    FIRST = "初访"
    REPEAT = "重复访"


@dataclass(frozen=True)
class EarlierCase:
    case_id: str
    case_number: str
    received_on: date
    topic_code: str
    request: str
    state: str
    concluded_by_rereview: bool


@dataclass(frozen=True)
class RepeatAssessment:
    kind: VisitKind
    matches: tuple[tuple[EarlierCase, float], ...]
    final_case: EarlierCase | None
    message: str
    #: False while there is no request to compare: no verdict yet, ``message`` says what is known.
    decided: bool = True

    @property
    def refused(self) -> bool:
        return self.final_case is not None

    @property
    def linked_case_ids(self) -> tuple[str, ...]:
        return tuple(c.case_id for c, _ in self.matches)


def matter_similarity(a: str, b: str) -> float:
    """How alike two request texts are, 0–100, robust to word order and padding."""
    a, b = _squash(a), _squash(b)
    if not a or not b:
        return 0.0
    # Loaded when two requests are first compared (a person with earlier cases): some 2 MB a kiosk that
    # never meets one does not carry.
    from rapidfuzz import fuzz

    return max(fuzz.ratio(a, b), fuzz.token_set_ratio(" ".join(a), " ".join(b)))


def _squash(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def assess_repeat(request: str, topic_code: str, earlier: Iterable[EarlierCase],
                  threshold: float = SAME_MATTER_SCORE) -> RepeatAssessment:
    """Compare a new matter with the same person's earlier cases (threshold: a setting).

    Without a request there is nothing to compare: no verdict (``decided`` False) while the person has earlier
    cases, only what is known of them (:func:`earlier_in_words`); with none it is a first visit whatever is typed.
    """
    earlier = tuple(earlier)
    if earlier and not _squash(request):
        return RepeatAssessment(VisitKind.FIRST, (), None, earlier_in_words(topic_code, earlier), decided=False)
    matches: list[tuple[EarlierCase, float]] = []
    for case in earlier:
        score = matter_similarity(request, case.request)
        same_topic = bool(topic_code) and case.topic_code == topic_code
        if score >= threshold or (same_topic and score >= threshold - 15):
            matches.append((case, score))
    matches.sort(key=lambda m: (-m[1], m[0].received_on, m[0].case_id))
    final = next((c for c, _ in matches if c.concluded_by_rereview), None)
    if final is not None:
        message = (f"该信访人就同一事实和理由提出的请求已于事项{final.case_number}中经复核终结，"
                   "依照《信访工作条例》第三十六条不再受理")
        return RepeatAssessment(VisitKind.REPEAT, tuple(matches), final, message)
    if matches:
        numbers = "、".join(c.case_number for c, _ in matches[:3])
        return RepeatAssessment(VisitKind.REPEAT, tuple(matches), None,
                                f"重复访：与此前事项{numbers}为同一事项")
    return RepeatAssessment(VisitKind.FIRST, (), None, "初访")


def _open(case: EarlierCase) -> bool:
    return case.state not in {s.value for s in CONCLUDED_STATES}


def earlier_in_words(topic_code: str, earlier: Sequence[EarlierCase]) -> str:
    """What is known of a person's earlier cases before the request is typed, and that the verdict waits on it.

    此人此前有 3 件事项，其中 1 件同类且仍在办理中；填写诉求后判断是否同一事项
    """
    head = f"此人此前有 {len(earlier)} 件事项"
    if not topic_code:
        still = sum(1 for c in earlier if _open(c))
        return f"{head}{f'（{still} 件仍在办理中）' if still else ''}；选择内容分类、填写诉求后判断是否同一事项"
    alike = [c for c in earlier if c.topic_code == topic_code]
    still = sum(1 for c in alike if _open(c))
    if not alike:
        known = "，没有同类事项"
    elif still == len(alike):
        known = f"，其中 {len(alike)} 件同类且仍在办理中"
    elif still:
        known = f"，其中 {len(alike)} 件同类，{still} 件仍在办理中"
    else:
        known = f"，其中 {len(alike)} 件同类，均已办结"
    return f"{head}{known}；填写诉求后判断是否同一事项"


def refuse_if_final(assessment: RepeatAssessment) -> None:
    """Raise the art. 36 refusal when the matter is through 复核."""
    if assessment.final_case is not None:
        raise RuleViolation("final_after_rereview", assessment.message)
