"""Reference data: the content taxonomy, regions and the organisation directory.

Reads the sample files shipped in ``resources/reference`` and the CSV or Excel
(.xlsx) files an administrator supplies with the same header. Parsing and
validation live in ``desktop.domain``; this module only turns files into rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from desktop.domain.classification import TopicTaxonomy
from desktop.domain.errors import ValidationError
from desktop.domain.regions import RegionDirectory
from desktop.domain.routing import OrganisationDirectory

TOPICS_FILE = "topics.csv"
REGIONS_FILE = "regions.csv"
ORGANISATIONS_FILE = "organisations.csv"

TOPIC_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "parent_code",
    "default_nature",
    "default_legal_route",
    "keywords",
)
REGION_COLUMNS: tuple[str, ...] = ("code", "name", "parent_code", "level")
ORGANISATION_COLUMNS: tuple[str, ...] = (
    "code",
    "name",
    "kind",
    "level",
    "region_code",
    "parent_code",
    "topic_codes",
    "address",
    "phone",
    "reception_place",
    "retired",
    "former_names",
)

_REQUIRED_TOPIC = ("code", "name", "parent_code")
_REQUIRED_REGION = ("code", "name", "parent_code")
_REQUIRED_ORGANISATION = ("code", "name", "kind", "level", "region_code")
ORGANISATION_REQUIRED = _REQUIRED_ORGANISATION

HEADER_ALIASES: Mapping[str, str] = {
    "代码": "code",
    "编码": "code",
    "机构代码": "code",
    "分类代码": "code",
    "名称": "name",
    "机构名称": "name",
    "分类名称": "name",
    "上级代码": "parent_code",
    "上级编码": "parent_code",
    "上级机构代码": "parent_code",
    "默认性质": "default_nature",
    "默认法定途径": "default_legal_route",
    "关键词": "keywords",
    "级别": "level",
    "机构类型": "kind",
    "类型": "kind",
    "区划代码": "region_code",
    "行政区划代码": "region_code",
    "内容分类": "topic_codes",
    "内容分类代码": "topic_codes",
    "地址": "address",
    "电话": "phone",
    "联系电话": "phone",
    "接待场所": "reception_place",
    "接待地点": "reception_place",
    "撤销日期": "retired",
    "停用日期": "retired",
    "曾用名": "former_names",
}
"""Chinese column titles accepted in place of the English header names."""

_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def resources_dir(override: Path | str | None = None) -> Path:
    """The ``resources`` directory of the repository, or ``override`` when given."""
    if override is not None:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "resources"


def reference_dir(override: Path | str | None = None) -> Path:
    """The directory holding the reference CSV files."""
    return resources_dir(override) / "reference"


def read_table(path: Path, required: Sequence[str] = ()) -> list[dict[str, str]]:
    """Rows of a CSV (UTF-8 or GB18030) or .xlsx file (first sheet), keyed by header.

    Line 1 must be the header. Chinese column titles from ``HEADER_ALIASES``
    are accepted. Every row is returned, blank ones included, so that row
    ``i`` of the result is line ``i + 2`` of the file.
    """
    if not path.is_file():
        raise ValidationError("file_missing", f"找不到文件：{path}", "path")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        records = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        records = _read_xlsx(path)
    elif suffix == ".xls":
        raise ValidationError(
            "unsupported_file_type",
            f"不支持旧版 Excel 文件（.xls）：{path.name}，请另存为 .xlsx 或 CSV（UTF-8）",
            "path",
        )
    else:
        raise ValidationError(
            "unsupported_file_type",
            f"不支持的文件类型：{path.name}，请使用 CSV（.csv）或 Excel（.xlsx）文件",
            "path",
        )
    if not records or not any(cell.strip() for cell in records[0]):
        raise ValidationError("empty_file", f"文件 {path.name} 为空或缺少表头（第1行）", "path")
    header = [_header_name(cell) for cell in records[0]]
    named = [h for h in header if h]
    duplicates = sorted({h for h in named if named.count(h) > 1})
    if duplicates:
        raise ValidationError(
            "bad_header", f"文件 {path.name} 的表头有重复的列：{'、'.join(duplicates)}", "path"
        )
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationError(
            "bad_header",
            f"文件 {path.name} 的表头缺少列：{'、'.join(missing)}（第1行应为表头）",
            "path",
        )
    rows: list[dict[str, str]] = []
    for line, record in enumerate(records[1:], start=2):
        extra = [cell for cell in record[len(header) :] if cell.strip()]
        extra += [cell for name, cell in zip(header, record, strict=False) if not name and cell]
        if any(cell.strip() for cell in extra):
            raise ValidationError(
                "bad_row",
                f"文件 {path.name} 第{line}行的列数多于表头，请检查是否有未加引号的逗号",
                "path",
            )
        row = {name: "" for name in header if name}
        for name, cell in zip(header, record, strict=False):
            if name:
                row[name] = cell
        rows.append(row)
    return rows


T = TypeVar("T")


def _load(
    path: Path | None,
    default_name: str,
    required: Sequence[str],
    build: Callable[[Iterable[Mapping[str, str]]], T],
) -> T:
    file = reference_dir() / default_name if path is None else Path(path)
    if file.is_dir():
        file = _find_in_dir(file, default_name)
    rows = read_table(file, required)
    try:
        return build(rows)
    except ValidationError as exc:
        raise ValidationError(exc.code, f"{file.name}：{exc.message}", exc.field) from exc


def _find_in_dir(directory: Path, default_name: str) -> Path:
    stem = Path(default_name).stem
    for suffix in (".csv", ".xlsx"):
        candidate = directory / f"{stem}{suffix}"
        if candidate.is_file():
            return candidate
    return directory / default_name


@dataclass(frozen=True)
class TopicChoice:
    code: str
    name: str  # the full name, 劳动和社会保障/拖欠工资
    keys: tuple[str, ...]  # what a search matches besides the name: its keywords, their pinyin and initials


@functools.cache
def topic_choices() -> tuple[TopicChoice, ...]:
    """The shipped taxonomy's topics, to be picked by name, by a keyword (欠薪) or by their pinyin
    initials (tqgz, qx) — the keywords' pinyin included, so the registration form and the 分类
    dialog find the same topics."""
    return topic_choices_of(load_taxonomy())


def topic_choices_of(taxonomy: TopicTaxonomy) -> tuple[TopicChoice, ...]:
    """:func:`topic_choices` of another taxonomy (a hall's own, deeper one: 政法/法院/民事诉讼)."""
    from desktop.domain.identity import name_search_keys

    return tuple(TopicChoice(topic.code, taxonomy.full_name(topic.code),
                             tuple(dict.fromkeys(key for word in (topic.name, *topic.keywords)
                                                 for key in (word, *name_search_keys(word)))))
                 for topic in taxonomy)


def load_taxonomy(path: Path | None = None) -> TopicTaxonomy:
    """The content taxonomy from ``path`` (a file or a directory) or the shipped file."""
    if path is None:
        return _default_taxonomy()
    return _load(path, TOPICS_FILE, _REQUIRED_TOPIC, TopicTaxonomy.from_rows)


def load_regions(path: Path | None = None) -> RegionDirectory:
    """The region directory from ``path`` (a file or a directory) or the shipped file."""
    if path is None:
        return _default_regions()
    return _load(path, REGIONS_FILE, _REQUIRED_REGION, RegionDirectory.from_rows)


#: The directory the centre shares down the feed, once a device (or the server) has one: it
#: replaces the shipped file for this process (``use_directory``; reference_feed.py).
_shared_directory: list[OrganisationDirectory] = []


def use_directory(directory: OrganisationDirectory | None) -> None:
    """Make ``directory`` the one ``load_directory()`` answers (``None``: the shipped file again)."""
    _shared_directory[:] = [directory] if directory is not None else []


def load_directory(path: Path | None = None) -> OrganisationDirectory:
    """The organisation directory from a CSV/.xlsx file (or directory), the shared one, or the shipped file."""
    if path is None:
        return _shared_directory[0] if _shared_directory else _default_directory()
    return _load(path, ORGANISATIONS_FILE, _REQUIRED_ORGANISATION, OrganisationDirectory.from_rows)


@functools.lru_cache(maxsize=1)
def _default_taxonomy() -> TopicTaxonomy:
    return _load(None, TOPICS_FILE, _REQUIRED_TOPIC, TopicTaxonomy.from_rows)


@functools.lru_cache(maxsize=1)
def _default_regions() -> RegionDirectory:
    return _load(None, REGIONS_FILE, _REQUIRED_REGION, RegionDirectory.from_rows)


@functools.lru_cache(maxsize=1)
def _default_directory() -> OrganisationDirectory:
    return _load(None, ORGANISATIONS_FILE, _REQUIRED_ORGANISATION, OrganisationDirectory.from_rows)


def clear_caches() -> None:
    """Forget the cached default loads (after the shipped files were replaced)."""
    _default_taxonomy.cache_clear()
    _default_regions.cache_clear()
    _default_directory.cache_clear()


def _header_name(cell: str) -> str:
    name = cell.strip().lstrip("\ufeff").strip()
    return HEADER_ALIASES.get(name, name.lower())


def _read_csv(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            return list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ValidationError(
                "bad_csv", f"文件 {path.name} 不是有效的 CSV 文件：{exc}", "path"
            ) from exc
    raise ValidationError(
        "bad_encoding", f"文件 {path.name} 的编码无法识别，请保存为 UTF-8 编码的 CSV", "path"
    )


def _read_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise ValidationError(
            "bad_xlsx", f"文件 {path.name} 不是有效的 Excel（.xlsx）文件", "path"
        ) from exc
    try:
        if not workbook.worksheets:
            return []
        sheet = workbook.worksheets[0]
        return [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Excel cell value as text: 330726.0 → "330726", empty → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
