"""Classification of petition items (依法分类处理).

Channel (art. 17), the three natures (arts. 29–31), the petitioner's purpose
(信访目的), the six legal routes for 申诉求决 matters (art. 31) and the coded
content taxonomy (内容分类) with keyword-based topic suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

from desktop.domain.errors import ValidationError


class Channel(StrEnum):
    """How the petition reached the organisation (art. 17 plus the hall's kiosk)."""

    VISIT = "走访"
    LETTER = "书信"
    ONLINE = "信息网络"
    PHONE = "电话"
    FAX = "传真"
    KIOSK = "自助终端"

    @property
    def is_written(self) -> bool:
        """True for channels that deliver a written item (letter, online, fax)."""
        return self in WRITTEN_CHANNELS


WRITTEN_CHANNELS: frozenset[Channel] = frozenset({Channel.LETTER, Channel.ONLINE, Channel.FAX})
"""Channels whose 涉法涉诉 items are transferred to the 政法部门 rather than explained."""


class Nature(StrEnum):
    """The three classes of art. 29–31."""

    SUGGESTION = "建议意见类"
    ACCUSATION = "检举控告类"
    APPEAL = "申诉求决类"


class Purpose(StrEnum):
    """信访目的 as recorded at registration."""

    APPEAL = "申诉"
    DEMAND = "求决"
    ACCUSATION = "检举控告"
    SUGGESTION = "意见建议"
    CONSULTATION = "咨询"
    OTHER = "其他"

    @property
    def default_nature(self) -> Nature | None:
        """The nature a clerk starts from; None means the clerk must choose."""
        return PURPOSE_DEFAULT_NATURE[self]


PURPOSE_DEFAULT_NATURE: Mapping[Purpose, Nature | None] = MappingProxyType(
    {
        Purpose.APPEAL: Nature.APPEAL,
        Purpose.DEMAND: Nature.APPEAL,
        Purpose.ACCUSATION: Nature.ACCUSATION,
        Purpose.SUGGESTION: Nature.SUGGESTION,
        Purpose.CONSULTATION: None,
        Purpose.OTHER: None,
    }
)


class LegalRoute(StrEnum):
    """The six routes of art. 31 for 申诉求决 matters."""

    LITIGATION = "涉法涉诉"
    ARBITRATION = "仲裁"
    PARTY_APPEAL = "党员申诉"
    ADMINISTRATIVE = "行政程序"
    DUTY = "依法履职"
    PETITION = "信访程序"

    @property
    def description(self) -> str:
        """What the route means, in the words of art. 31."""
        return _LEGAL_ROUTE_DESCRIPTIONS[self]

    @property
    def item(self) -> int:
        """The item number (一至六) of art. 31."""
        return list(LegalRoute).index(self) + 1


_LEGAL_ROUTE_DESCRIPTIONS: dict[LegalRoute, str] = {
    LegalRoute.LITIGATION: (
        "应当通过诉讼、复议、检察、公安等法定程序处理的涉法涉诉事项，"
        "未依法终结的按照法律法规规定的程序处理（条例第三十一条第一项）"
    ),
    LegalRoute.ARBITRATION: "应当通过仲裁解决的，导入仲裁程序处理（条例第三十一条第二项）",
    LegalRoute.PARTY_APPEAL: (
        "可以通过党员申诉、申请复审等解决的，导入相应程序处理（条例第三十一条第三项）"
    ),
    LegalRoute.ADMINISTRATIVE: (
        "可以通过行政复议、行政裁决、行政确认、行政许可、行政处罚等行政程序解决的，"
        "导入相应程序处理（条例第三十一条第四项）"
    ),
    LegalRoute.DUTY: (
        "属于申请查处违法行为、履行保护人身权或者财产权等合法权益职责的，"
        "有权处理的机关依法履行职责或者答复（条例第三十一条第五项）"
    ),
    LegalRoute.PETITION: (
        "不属于以上情形的，按信访程序听取陈述、调查核实并出具信访处理意见书，"
        "自受理之日起60日内办结（条例第三十一条第六项、第三十四条）"
    ),
}

_ALIASES: dict[type[StrEnum], dict[str, StrEnum]] = {
    Nature: {
        "建议意见": Nature.SUGGESTION,
        "意见建议": Nature.SUGGESTION,
        "检举控告": Nature.ACCUSATION,
        "申诉求决": Nature.APPEAL,
    },
    Purpose: {
        "检举揭发": Purpose.ACCUSATION,
        "揭发控告": Purpose.ACCUSATION,
        "检举": Purpose.ACCUSATION,
        "控告": Purpose.ACCUSATION,
        "建议意见": Purpose.SUGGESTION,
        "建议": Purpose.SUGGESTION,
        "意见": Purpose.SUGGESTION,
    },
    Channel: {
        "来访": Channel.VISIT,
        "来信": Channel.LETTER,
        "网上信访": Channel.ONLINE,
        "网信": Channel.ONLINE,
        "来电": Channel.PHONE,
    },
    LegalRoute: {
        "诉讼": LegalRoute.LITIGATION,
        "党员申诉、申请复审": LegalRoute.PARTY_APPEAL,
        "行政复议": LegalRoute.ADMINISTRATIVE,
        "履行职责": LegalRoute.DUTY,
        "其他": LegalRoute.PETITION,
    },
}

E = TypeVar("E", bound=StrEnum)


def parse_choice(
    enum_type: type[E], text: str, *, label: str, field_name: str = "", where: str = ""
) -> E:
    """Read an enum member from its English name, its Chinese value or a common alias.

    ``label`` names the field in the Chinese error message; ``where`` prefixes
    it (e.g. "分类表第5行：").
    """
    value = text.strip()
    for member in enum_type:
        if value.upper() == member.name or value == member.value:
            return member
    alias = _ALIASES.get(enum_type, {}).get(value)
    if isinstance(alias, enum_type):
        return alias
    allowed = "、".join(f"{m.value}（{m.name}）" for m in enum_type)
    raise ValidationError(
        f"bad_{field_name or 'choice'}",
        f"{where}{label}“{value}”无效，应为：{allowed}",
        field_name,
    )


@dataclass(frozen=True)
class Topic:
    """One entry of the content taxonomy (内容分类)."""

    code: str
    name: str
    parent_code: str | None
    default_nature: Nature | None
    default_legal_route: LegalRoute | None
    keywords: tuple[str, ...]


_CODE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_.\-]*$")
_KEYWORD_SPLIT_RE = re.compile(r"[|｜]")


class TopicTaxonomy:
    """The coded content taxonomy; child codes extend their parent's code.

    The prefix rule (征地拆迁 0101 under 城乡建设 01) lets organisations declare
    competence by code prefix, so it is enforced when the taxonomy is built.
    """

    def __init__(self, topics: Iterable[Topic]) -> None:
        self._topics: dict[str, Topic] = {t.code: t for t in topics}
        self._children: dict[str | None, list[Topic]] = {}
        for topic in sorted(self._topics.values(), key=lambda t: t.code):
            self._children.setdefault(topic.parent_code, []).append(topic)

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str | None]], *, first_line: int = 2
    ) -> TopicTaxonomy:
        """Build and validate from rows with the columns of ``topics.csv``.

        ``first_line`` is the source line of the first row (2 under a header);
        errors name that line. Blank rows are skipped but counted.
        """
        topics: dict[str, Topic] = {}
        lines: dict[str, int] = {}
        for line, row in enumerate(rows, start=first_line):
            if not any((v or "").strip() for v in row.values()):
                continue
            where = f"内容分类表第{line}行："
            code = _cell(row, "code")
            if not code:
                raise ValidationError("missing_code", f"{where}缺少分类代码", "code")
            if not _CODE_RE.match(code):
                raise ValidationError(
                    "bad_code",
                    f"{where}分类代码“{code}”无效，只能包含字母、数字、点、下划线或连字符",
                    "code",
                )
            if code in topics:
                raise ValidationError(
                    "duplicate_code", f"{where}分类代码“{code}”与第{lines[code]}行重复", "code"
                )
            name = _cell(row, "name")
            if not name:
                raise ValidationError("missing_name", f"{where}缺少分类名称", "name")
            nature_text = _cell(row, "default_nature")
            route_text = _cell(row, "default_legal_route")
            keywords = tuple(
                dict.fromkeys(
                    k.strip() for k in _KEYWORD_SPLIT_RE.split(_cell(row, "keywords")) if k.strip()
                )
            )
            topics[code] = Topic(
                code=code,
                name=name,
                parent_code=_cell(row, "parent_code") or None,
                default_nature=(
                    parse_choice(
                        Nature,
                        nature_text,
                        label="默认性质",
                        field_name="default_nature",
                        where=where,
                    )
                    if nature_text
                    else None
                ),
                default_legal_route=(
                    parse_choice(
                        LegalRoute,
                        route_text,
                        label="默认法定途径",
                        field_name="default_legal_route",
                        where=where,
                    )
                    if route_text
                    else None
                ),
                keywords=keywords,
            )
            lines[code] = line
        for code, topic in topics.items():
            parent = topic.parent_code
            if parent is None:
                continue
            where = f"内容分类表第{lines[code]}行："
            if parent not in topics:
                raise ValidationError(
                    "unknown_parent", f"{where}上级分类“{parent}”不存在", "parent_code"
                )
            if not code.startswith(parent) or code == parent:
                raise ValidationError(
                    "bad_parent",
                    f"{where}分类代码“{code}”应以上级分类代码“{parent}”开头并比其更长",
                    "parent_code",
                )
        return cls(topics.values())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code in self._topics

    def __iter__(self) -> Iterator[Topic]:
        return iter(sorted(self._topics.values(), key=lambda t: t.code))

    def __len__(self) -> int:
        return len(self._topics)

    def all(self) -> list[Topic]:
        """Every entry, ordered by code."""
        return list(self)

    def get(self, code: str) -> Topic:
        """The topic with this code; ValidationError when unknown."""
        topic = self._topics.get(code)
        if topic is None:
            raise ValidationError("unknown_topic", f"未知的内容分类代码“{code}”", "topic_code")
        return topic

    def children(self, code: str | None = None) -> list[Topic]:
        """Direct children of ``code`` (the top level for None), ordered by code."""
        if code is not None:
            self.get(code)
        return list(self._children.get(code, ()))

    def path(self, code: str) -> tuple[Topic, ...]:
        """The topics from the top level down to ``code``."""
        chain: list[Topic] = []
        topic: Topic | None = self.get(code)
        while topic is not None:
            chain.append(topic)
            topic = self._topics.get(topic.parent_code) if topic.parent_code else None
        return tuple(reversed(chain))

    def full_name(self, code: str, separator: str = "/") -> str:
        """Names along the path, e.g. 城乡建设/征地拆迁."""
        return separator.join(t.name for t in self.path(code))

    def default_nature(self, code: str) -> Nature | None:
        """The topic's default nature, inherited from the nearest ancestor that sets one."""
        for topic in reversed(self.path(code)):
            if topic.default_nature is not None:
                return topic.default_nature
        return None

    def default_legal_route(self, code: str) -> LegalRoute | None:
        """The topic's default legal route, inherited like :meth:`default_nature`."""
        for topic in reversed(self.path(code)):
            if topic.default_legal_route is not None:
                return topic.default_legal_route
        return None

    def suggest(self, text: str, limit: int = 3) -> list[Topic]:
        """Topics whose keywords (or name) occur in ``text``, best first.

        Ranked by the number of distinct hits, then the number of matched
        characters, then deeper topics before their parents, then code, so the
        order never depends on input order.
        """
        if limit <= 0:
            return []
        haystack = "".join(text.split())
        if not haystack:
            return []
        scored: list[tuple[int, int, int, str, Topic]] = []
        for topic in self._topics.values():
            terms = dict.fromkeys((topic.name, *topic.keywords))
            hits = [term for term in terms if term and term in haystack]
            if hits:
                depth = len(self.path(topic.code))
                scored.append((-len(hits), -sum(len(h) for h in hits), -depth, topic.code, topic))
        scored.sort(key=lambda s: s[:4])
        return [s[4] for s in scored[:limit]]


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()
