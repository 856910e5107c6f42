"""Loading the shipped reference data and administrator-supplied CSV / Excel files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop.domain.classification import LegalRoute, Nature
from desktop.domain.errors import ValidationError
from desktop.domain.regions import Level
from desktop.domain.routing import OrgKind
from desktop.services import reference
from desktop.services.reference import (
    ORGANISATION_COLUMNS,
    REGION_COLUMNS,
    TOPIC_COLUMNS,
    load_directory,
    load_regions,
    load_taxonomy,
    read_table,
    reference_dir,
    resources_dir,
)

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "resources" / "reference"


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "机构"
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("说明").append(["第二张表不读取"])
    workbook.save(path)
    return path


def shipped_records(name: str) -> list[list[str]]:
    with (SHIPPED / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --- locations ----------------------------------------------------------------


def test_resources_dir_is_the_repository_folder(tmp_path: Path) -> None:
    assert resources_dir() == REPO / "resources"
    assert reference_dir() == SHIPPED
    assert resources_dir(tmp_path) == tmp_path
    assert reference_dir(str(tmp_path)) == tmp_path / "reference"


# --- the shipped files ------------------------------------------------------------


def test_shipped_headers_are_exactly_the_documented_columns() -> None:
    assert tuple(shipped_records("topics.csv")[0]) == TOPIC_COLUMNS
    assert tuple(shipped_records("regions.csv")[0]) == REGION_COLUMNS
    assert tuple(shipped_records("organisations.csv")[0]) == ORGANISATION_COLUMNS
    assert (SHIPPED / "README.md").is_file()


def test_shipped_taxonomy_loads() -> None:
    taxonomy = load_taxonomy()
    assert 60 <= len(taxonomy) <= 90
    assert taxonomy is load_taxonomy()  # cached
    assert taxonomy.full_name("0101") == "城乡建设/征地拆迁"
    assert taxonomy.full_name("0201") == "劳动和社会保障/拖欠工资"
    assert taxonomy.default_legal_route("1101") is LegalRoute.LITIGATION
    assert taxonomy.default_nature("1202") is Nature.ACCUSATION
    tops = {t.name for t in taxonomy.children(None)}
    assert {"城乡建设", "劳动和社会保障", "政法", "纪检监察", "其他"} <= tops
    for topic in taxonomy:
        assert 2 <= len(topic.keywords) <= 8, topic  # a few words each: a suggestion, not a thesaurus


def test_shipped_regions_load() -> None:
    regions = load_regions()
    assert regions is load_regions()
    assert regions.full_name("330726103") == "浙江省金华市浦江县郑宅镇"
    assert regions.name("330726103000") == "郑宅镇"
    townships = regions.children("330726")
    assert 10 <= len(townships) <= 15
    assert all(r.level is Level.TOWNSHIP for r in townships)
    assert regions.contains("330726", "330726103")
    assert not regions.contains("330782", "330726103")
    assert "330782" in regions and "110101" not in regions
    with pytest.raises(ValidationError, match="未知的行政区划代码"):
        regions.name("110101")


def test_shipped_directory_loads_and_is_consistent() -> None:
    directory = load_directory()
    taxonomy = load_taxonomy()
    regions = load_regions()
    assert directory is load_directory()
    kinds = {o.kind for o in directory}
    assert kinds >= {
        OrgKind.PETITION_BUREAU,
        OrgKind.GOVERNMENT,
        OrgKind.GOVERNMENT_DEPT,
        OrgKind.TOWNSHIP,
        OrgKind.POLITICAL_LEGAL,
        OrgKind.COURT,
        OrgKind.PROCURATORATE,
        OrgKind.PUBLIC_SECURITY,
        OrgKind.DISCIPLINE,
        OrgKind.ARBITRATION,
        OrgKind.PARTY_ORG,
    }
    for org in directory:
        assert org.region_code in regions, org
        for prefix in org.topic_codes:
            assert prefix in taxonomy, (org.code, prefix)
        assert org.address.startswith("示例地址"), org  # never mistaken for real data
        assert re.fullmatch(r"0579-0000\d{4}", org.phone), org
        assert org.reception_place.startswith("示例"), org
    for township in regions.children("330726"):
        governments = directory.by_kind(OrgKind.TOWNSHIP, township.code)
        assert [g.region_code for g in governments] == [township.code]
    for kind in (OrgKind.PETITION_BUREAU, OrgKind.DISCIPLINE, OrgKind.POLITICAL_LEGAL):
        assert {o.level for o in directory.by_kind(kind)} == {Level.COUNTY, Level.CITY}


def test_every_shipped_topic_under_a_county_location_finds_an_organisation() -> None:
    directory = load_directory()
    for topic in load_taxonomy():
        if topic.parent_code is not None and topic.code != "9901":
            assert directory.competent_for(topic.code, "330726"), topic


# --- administrator imports --------------------------------------------------------


def test_csv_and_xlsx_import_identically(tmp_path: Path) -> None:
    records = shipped_records("organisations.csv")
    csv_path = write_csv(tmp_path / "机构.csv", records)
    xlsx_rows: list[list[object]] = [list[object](records[0])]
    region = records[0].index("region_code")
    for record in records[1:]:
        cells: list[object] = [cell if cell else None for cell in record]
        cells[region] = int(record[region])  # Excel stores codes typed in as numbers
        xlsx_rows.append(cells)
    xlsx_path = write_xlsx(tmp_path / "机构.xlsx", xlsx_rows)
    from_csv = load_directory(csv_path)
    from_xlsx = load_directory(xlsx_path)
    assert list(from_xlsx) == list(from_csv) == list(load_directory())


def test_taxonomy_from_xlsx(tmp_path: Path) -> None:
    records = shipped_records("topics.csv")
    path = write_xlsx(tmp_path / "topics.xlsx", [list(r) for r in records])
    assert list(load_taxonomy(path)) == list(load_taxonomy())


def test_a_directory_path_finds_the_default_file(tmp_path: Path) -> None:
    write_csv(tmp_path / "regions.csv", shipped_records("regions.csv"))
    write_xlsx(tmp_path / "topics.xlsx", [list(r) for r in shipped_records("topics.csv")])
    assert list(load_regions(tmp_path)) == list(load_regions())
    assert len(load_taxonomy(tmp_path)) == len(load_taxonomy())


def test_gb18030_csv_with_chinese_headers(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "orgs.csv",
        [
            ["机构代码", "机构名称", "机构类型", "级别", "区划代码", "内容分类", "联系电话"],
            ["A", "示例住建局", "政府工作部门", "县级", "330726", "01", "0579-00009999"],
        ],
        encoding="gb18030",
    )
    directory = load_directory(path)
    org = directory.get("A")
    assert org.kind is OrgKind.GOVERNMENT_DEPT
    assert org.topic_codes == ("01",)
    assert org.phone == "0579-00009999"


def test_utf8_bom_header_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text("code,name,parent_code\n330726,浦江县,\n", encoding="utf-8-sig")
    assert load_regions(path).name("330726") == "浦江县"


def test_bad_csv_row_names_file_and_line(tmp_path: Path) -> None:
    records = shipped_records("organisations.csv")
    records[5][2] = "局"  # kind of the 5th data row, line 6 of the file
    path = write_csv(tmp_path / "orgs.csv", records)
    with pytest.raises(ValidationError) as info:
        load_directory(path)
    assert info.value.code == "bad_kind"
    assert info.value.message.startswith("orgs.csv：机构表第6行：机构类型“局”无效")


def test_bad_xlsx_row_names_the_spreadsheet_row(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["code", "name", "kind", "level", "region_code"],
        ["A", "甲", "GOVERNMENT", "COUNTY", 330726],
        [None, None, None, None, None],
        ["A", "乙", "GOVERNMENT", "COUNTY", 330726],
    ]
    path = write_xlsx(tmp_path / "orgs.xlsx", rows)
    with pytest.raises(ValidationError, match="机构表第4行：机构代码“A”与第2行重复"):
        load_directory(path)


def test_topic_errors_name_the_line(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "topics.csv",
        [["code", "name", "parent_code"], ["01", "城乡建设", ""], ["0201", "欠薪", "02"]],
    )
    with pytest.raises(ValidationError, match="内容分类表第3行：上级分类“02”不存在"):
        load_taxonomy(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="找不到文件") as info:
        load_directory(tmp_path / "nope.csv")
    assert info.value.code == "file_missing"


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (["code", "name", "level", "region_code"], "表头缺少列：kind"),
        (["编号", "名称"], "表头缺少列：code、kind、level、region_code"),
        (["code", "code", "name", "kind", "level", "region_code"], "表头有重复的列：code"),
    ],
)
def test_bad_header(tmp_path: Path, header: list[str], fragment: str) -> None:
    path = write_csv(tmp_path / "orgs.csv", [header])
    with pytest.raises(ValidationError, match=fragment) as info:
        load_directory(path)
    assert info.value.code == "bad_header"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"")
    with pytest.raises(ValidationError, match="为空或缺少表头"):
        load_directory(path)


def test_unquoted_comma_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_text(
        "code,name,kind,level,region_code,address\nA,甲,GOVERNMENT,COUNTY,330726,示例地址,浦江县\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="第2行的列数多于表头"):
        load_directory(path)


@pytest.mark.parametrize(
    ("name", "fragment"), [("orgs.xls", "另存为 .xlsx"), ("orgs.txt", "不支持")]
)
def test_unsupported_file_types(tmp_path: Path, name: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text("code,name\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=fragment):
        load_directory(path)


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(ValidationError, match="不是有效的 Excel"):
        load_directory(path)


def test_undecodable_csv(tmp_path: Path) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"code,name\n\xff\xfe\xff\x00\x81\x30\n")
    with pytest.raises(ValidationError, match="编码无法识别"):
        read_table(path)


def test_read_table_keeps_blank_rows_for_line_numbers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", [["code", "name"], ["a", "甲"], [], ["b", "乙", ""]])
    rows = read_table(path, ["code"])
    assert rows == [
        {"code": "a", "name": "甲"},
        {"code": "", "name": ""},
        {"code": "b", "name": "乙"},
    ]


def test_all_lists_every_entry_by_code() -> None:
    taxonomy, regions, directory = load_taxonomy(), load_regions(), load_directory()
    assert taxonomy.all() == list(taxonomy) and taxonomy.all()[0].code == "01"
    assert regions.all() == list(regions) and regions.all()[0].code == "330000"
    assert directory.all() == list(directory)
    assert [o.code for o in directory.all()] == sorted(o.code for o in directory)


def test_clear_caches_reloads() -> None:
    first = load_taxonomy()
    reference.clear_caches()
    second = load_taxonomy()
    assert first is not second
    assert list(first) == list(second)


def test_topics_are_found_by_keyword_and_by_the_keywords_pinyin_initials() -> None:
    from desktop.services.reference import topic_choices

    wages = next(t for t in topic_choices() if t.code == "0201")
    assert wages.name == "劳动和社会保障/拖欠工资"
    assert {"拖欠工资", "tqgz", "欠薪", "qx", "qianxin", "讨薪", "tx"} <= set(wages.keys)
