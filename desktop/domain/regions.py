"""Administrative division codes (行政区划代码) and a small region directory.

Codes follow GB/T 2260 plus the statistical township/village extension:
2 digits province, 2 city, 2 county (6-digit code), 3 township (9 digits) and
3 village (12 digits). Containment is decided by the significant prefix, so a
9-digit township code lies inside its 6-digit county and a 12-digit code with
trailing zeros is the same place as its shorter form.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from desktop.domain.errors import ValidationError


class Level(StrEnum):
    """Administrative level of a region or an organisation."""

    TOWNSHIP = "乡级"
    COUNTY = "县级"
    CITY = "市级"
    PROVINCE = "省级"

    @property
    def rank(self) -> int:
        """0 for township up to 3 for province; higher means superior."""
        return _LEVEL_RANK[self]


_LEVEL_RANK: dict[Level, int] = {
    Level.TOWNSHIP: 0,
    Level.COUNTY: 1,
    Level.CITY: 2,
    Level.PROVINCE: 3,
}

_LEVEL_ALIASES: dict[str, Level] = {
    "乡镇": Level.TOWNSHIP,
    "乡": Level.TOWNSHIP,
    "镇": Level.TOWNSHIP,
    "街道": Level.TOWNSHIP,
    "县": Level.COUNTY,
    "区县": Level.COUNTY,
    "市": Level.CITY,
    "地市": Level.CITY,
    "省": Level.PROVINCE,
}


def parse_level(text: str, *, field_name: str = "level", where: str = "") -> Level:
    """Read a level from its English name (COUNTY), its label (县级) or a short alias (县)."""
    value = text.strip()
    for member in Level:
        if value.upper() == member.name or value == member.value:
            return member
    if value in _LEVEL_ALIASES:
        return _LEVEL_ALIASES[value]
    allowed = "、".join(m.value for m in Level)
    raise ValidationError("bad_level", f"{where}级别“{value}”无效，应为：{allowed}", field_name)


def normalise_region_code(code: str) -> str:
    """Return the canonical form of a division code or raise ValidationError.

    Accepts 6, 9 or 12 digits. Trailing all-zero parts are dropped: 330726103000
    becomes 330726103 and 330726000 becomes 330726.
    """
    value = code.strip()
    if not value.isascii() or not value.isdigit() or len(value) not in (6, 9, 12):
        raise ValidationError(
            "bad_region_code",
            f"行政区划代码“{value}”无效，应为6位、9位或12位数字",
            "region_code",
        )
    if value.startswith("00"):
        raise ValidationError(
            "bad_region_code", f"行政区划代码“{value}”无效，省级代码不能为00", "region_code"
        )
    if len(value) == 12 and value.endswith("000"):
        value = value[:9]
    if len(value) == 9 and value.endswith("000"):
        value = value[:6]
    return value


def is_region_code(code: str) -> bool:
    """True when ``code`` is a well-formed division code."""
    try:
        normalise_region_code(code)
    except ValidationError:
        return False
    return True


def region_prefix(code: str) -> str:
    """The significant digits of a code: 33 for 330000, 3307 for 330700."""
    value = normalise_region_code(code)
    if len(value) == 6:
        if value.endswith("0000"):
            return value[:2]
        if value.endswith("00"):
            return value[:4]
    return value


def region_level(code: str) -> Level | None:
    """Level of a division code; None for a village (12 significant digits)."""
    prefix = region_prefix(code)
    return {2: Level.PROVINCE, 4: Level.CITY, 6: Level.COUNTY, 9: Level.TOWNSHIP}.get(len(prefix))


def region_contains(outer: str, inner: str) -> bool:
    """True when region ``inner`` lies inside (or is) region ``outer``."""
    return region_prefix(inner).startswith(region_prefix(outer))


def region_ancestors(code: str) -> tuple[str, ...]:
    """The code itself followed by every enclosing region up to the province.

    >>> region_ancestors("330726103")
    ('330726103', '330726', '330700', '330000')
    """
    prefix = region_prefix(code)
    chain: list[str] = []
    for size in (12, 9, 6, 4, 2):
        if len(prefix) >= size:
            part = prefix[:size]
            chain.append(part.ljust(6, "0") if size < 6 else part)
    return tuple(dict.fromkeys(chain))


@dataclass(frozen=True)
class Region:
    """One administrative division."""

    code: str
    name: str
    parent_code: str | None
    level: Level | None


@dataclass(frozen=True)
class RegionDirectory:
    """Names and nesting of the administrative divisions a hall deals with."""

    regions: tuple[Region, ...] = ()
    _regions: Mapping[str, Region] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.regions, key=lambda r: r.code))
        object.__setattr__(self, "regions", ordered)
        object.__setattr__(self, "_regions", MappingProxyType({r.code: r for r in ordered}))

    @classmethod
    def from_rows(
        cls, rows: Iterable[Mapping[str, str | None]], *, first_line: int = 2
    ) -> RegionDirectory:
        """Build from rows with columns code, name, parent_code, level.

        ``first_line`` is the line number of the first row in the source file
        (2 when line 1 is the header), used in error messages. Blank rows are
        skipped but still counted.
        """
        regions: dict[str, Region] = {}
        lines: dict[str, int] = {}
        for line, row in enumerate(rows, start=first_line):
            if not any((v or "").strip() for v in row.values()):
                continue
            where = f"地区表第{line}行："
            raw_code = _cell(row, "code")
            if not raw_code:
                raise ValidationError("missing_code", f"{where}缺少代码", "code")
            try:
                code = normalise_region_code(raw_code)
            except ValidationError as exc:
                raise ValidationError(exc.code, where + exc.message, "code") from exc
            name = _cell(row, "name")
            if not name:
                raise ValidationError("missing_name", f"{where}缺少名称", "name")
            if code in regions:
                raise ValidationError(
                    "duplicate_code",
                    f"{where}代码“{code}”与第{lines[code]}行重复",
                    "code",
                )
            raw_parent = _cell(row, "parent_code")
            parent: str | None = None
            if raw_parent:
                try:
                    parent = normalise_region_code(raw_parent)
                except ValidationError as exc:
                    raise ValidationError(exc.code, where + exc.message, "parent_code") from exc
                if parent == code or not region_contains(parent, code):
                    raise ValidationError(
                        "bad_parent",
                        f"{where}上级代码“{parent}”不包含本地区代码“{code}”",
                        "parent_code",
                    )
            raw_level = _cell(row, "level")
            level = parse_level(raw_level, where=where) if raw_level else region_level(code)
            regions[code] = Region(code=code, name=name, parent_code=parent, level=level)
            lines[code] = line
        for code, region in regions.items():
            if region.parent_code is not None and region.parent_code not in regions:
                raise ValidationError(
                    "unknown_parent",
                    f"地区表第{lines[code]}行：上级代码“{region.parent_code}”不存在",
                    "parent_code",
                )
        return cls(tuple(regions.values()))

    def __contains__(self, code: object) -> bool:
        return (
            isinstance(code, str)
            and is_region_code(code)
            and (normalise_region_code(code) in self._regions)
        )

    def __iter__(self) -> Iterator[Region]:
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self._regions)

    def all(self) -> list[Region]:
        """Every entry, ordered by code."""
        return list(self)

    def get(self, code: str) -> Region:
        """The region with this code; ValidationError when unknown."""
        region = self._regions.get(normalise_region_code(code))
        if region is None:
            raise ValidationError("unknown_region", f"未知的行政区划代码“{code}”", "region_code")
        return region

    def name(self, code: str) -> str:
        """Short name, e.g. 郑宅镇."""
        return self.get(code).name

    def full_name(self, code: str) -> str:
        """Names from the top known region down, e.g. 浙江省金华市浦江县郑宅镇."""
        names: list[str] = []
        region: Region | None = self.get(code)
        while region is not None:
            names.append(region.name)
            region = self._regions.get(region.parent_code) if region.parent_code else None
        return "".join(reversed(names))

    def children(self, code: str | None) -> list[Region]:
        """Direct subdivisions of ``code`` (top-level regions for None), by code."""
        parent = None if code is None else normalise_region_code(code)
        return [r for r in self if r.parent_code == parent]

    def contains(self, outer: str, inner: str) -> bool:
        """True when ``inner`` lies inside or equals ``outer`` (codes need not be listed)."""
        return region_contains(outer, inner)


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()
