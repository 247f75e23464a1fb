"""工作计划 in Excel: template, import (all or nothing), export read back."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from parkdesk.errors import ImportRejected
from parkdesk.exchange import import_file, preview_import
from parkdesk.exchange import export as export_kind
from parkdesk.exchange import write_template
from parkdesk.exchange.plans import HEADERS, parse_deadline
from parkdesk.plans import PlanItem
from tests.conftest import run_main

GOOD_ROWS = [
    [2027, "（一）坚持锻长处、补短板", "1.强化招大引强", "紧盯头部企业", "引进亿元以上项目≥7个", "招商一局", "王建国",
     "2027-12-31", "未开始"],
    [None, None, "加快项目建设", "促进早开工", "新开工项目不少于12个", "项目建设局", "刘卫东", "2027年10月底", ""],
    [2027, "二、坚持强管理、促规范", "强化目标导向", "", "技工贸总收入 ≥ 200亿元", "经济发展局", "李明华",
     dt.datetime(2027, 12, 31), "进行中"],
    ["2027年", "二、坚持强管理、促规范", "选优配强人才队伍", "公开招聘", "引进专业人才10名", "党政办公室", "杨立新", "上半年", None],
]


def _sheet(path, rows, headers=HEADERS, title="工作计划"):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _dump(desk):
    out = {}
    for table in ("plan_sections", "plan_items", "plan_progress_notes", "indicator_years"):
        out[table] = desk.db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    out["audit"] = desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return out


def _target(desk, name, year):
    fig = desk.indicators.year_figures(year).get(desk.indicators.by_name(name).id)
    return fig.target if fig else None


def test_template_has_exact_columns_and_instructions(tmp_path):
    """`template plans` writes the 工作计划 sheet with the nine columns in order and an instructions sheet."""
    path = tmp_path / "t.xlsx"
    result = run_main("template", "plans", "--out", path)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(path)
    assert wb.sheetnames == ["工作计划", "填写说明"]
    ws = wb["工作计划"]
    assert [c.value for c in ws[1]] == ["年份", "部分", "事项", "内容", "量化目标", "责任单位", "责任领导", "完成时限", "状态"]
    assert ws.max_row == 1
    text = "\n".join(str(c.value) for c in wb["填写说明"]["A"] if c.value)
    assert "删除" in text and "进展记录" in text  # the replace-the-year rule is explained


def test_import_creates_sections_in_order_with_tied_targets(desk, tmp_path):
    """Sections come from 部分 in order of appearance; items in row order; targets parsed and synced."""
    message = import_file(desk, "plans", _sheet(tmp_path / "p.xlsx", GOOD_ROWS))
    assert "新增4项" in message
    assert [s.title for s in desk.plans.sections(2027)] == ["坚持锻长处、补短板", "坚持强管理、促规范"]
    items = [i for _s, i in desk.plans.year_items(2027)]
    assert [i.title for i in items] == ["强化招大引强", "加快项目建设", "强化目标导向", "选优配强人才队伍"]
    assert (items[0].target_kind, items[0].target_stat, items[0].target_value) == ("project_stat", "signed_over_100m", 7)
    assert (items[1].target_stat, items[1].deadline, items[1].status) == ("started", "2027-10-31", "未开始")
    assert (items[2].target_kind, items[2].target_value, items[2].status) == ("indicator", 200, "推进中")
    assert items[2].deadline == "2027-12-31"
    assert _target(desk, "技工贸总收入", 2027) == 200  # one source of truth for 年度目标
    assert (items[3].target_kind, items[3].target_text, items[3].deadline) == (None, "引进专业人才10名", "2027-06-30")


def test_reimport_updates_matched_items_and_keeps_their_progress(desk, tmp_path):
    """A year with a plan becomes the sheet's plan; matched items keep notes and %; others are deleted."""
    import_file(desk, "plans", _sheet(tmp_path / "p.xlsx", GOOD_ROWS))
    items = {i.title: i for _s, i in desk.plans.year_items(2027)}
    kept = items["加快项目建设"]
    kept.progress_pct, kept.status = 40, "推进中"
    desk.plans.save_item(kept)
    desk.plans.add_note(kept.id, "2027-03-01", "已开工3个")
    rows = [list(r) for r in GOOD_ROWS]
    rows[1][:2] = [2027, "坚持锻长处、补短板"]
    rows[1][3] = "促进早开工、早投产"
    rows[1][8] = ""  # empty 状态: the existing item keeps its status
    rows[2][4] = "技工贸总收入≥210亿元"
    del rows[3]  # 选优配强人才队伍 leaves the plan
    rows.insert(0, [2027, "坚持锻长处、补短板", "新增事项", "", "", "", "", "", "未开始"])
    path = _sheet(tmp_path / "q.xlsx", rows)
    preview = preview_import(desk, "plans", path)
    assert preview.ok, preview.errors
    assert "新增1项，更新2项，不变1项，删除1项：“选优配强人才队伍”" in preview.summary
    assert [r[1] for r in preview.rows] == ["新增", "不变", "更新", "更新"]  # 强化招大引强 is as it was
    before = desk.db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'plan_items'").fetchone()[0]
    message = import_file(desk, "plans", path)
    assert "新增1项，更新2项，不变1项，删除1项" in message
    logged = desk.db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'plan_items' AND id > 0").fetchone()[0]
    assert logged > before
    again = {i.title: i for _s, i in desk.plans.year_items(2027)}
    assert list(again) == ["新增事项", "强化招大引强", "加快项目建设", "强化目标导向"]
    assert again["加快项目建设"].id == kept.id
    assert (again["加快项目建设"].progress_pct, again["加快项目建设"].status) == (40, "推进中")
    assert again["加快项目建设"].content == "促进早开工、早投产"
    assert [n["text"] for n in desk.plans.progress_notes(kept.id)] == ["已开工3个"]
    assert _target(desk, "技工贸总收入", 2027) == 210


def test_item_moved_to_a_renamed_section_is_matched_by_title(desk, tmp_path):
    """An item whose section was renamed is recognised by its (unique) title; the old section goes."""
    import_file(desk, "plans", _sheet(tmp_path / "p.xlsx", GOOD_ROWS))
    old_id = {i.title: i.id for _s, i in desk.plans.year_items(2027)}["强化目标导向"]
    rows = [list(r) for r in GOOD_ROWS]
    for r in rows[2:]:
        r[1] = "坚持深化改革"
    import_file(desk, "plans", _sheet(tmp_path / "q.xlsx", rows))
    assert [s.title for s in desk.plans.sections(2027)] == ["坚持锻长处、补短板", "坚持深化改革"]
    assert {i.title: i.id for _s, i in desk.plans.year_items(2027)}["强化目标导向"] == old_id


@pytest.mark.parametrize("row, column, message", [
    ([2027, "部分", "", "", "", "", "", "", ""], "事项", "事项不能为空"),
    (["明年", "部分", "事项", "", "", "", "", "", ""], "年份", "不是有效的数字"),
    ([1800, "部分", "事项", "", "", "", "", "", ""], "年份", "超出范围"),
    ([2027, "部分", "事项", "", "", "", "", "", "完了"], "状态", "未知的状态“完了”"),
    ([2027, "部分", "事项", "", "", "", "", "下个月吧", ""], "完成时限", "无法识别"),
    ([2027, "部分", "事项", "", "", "", "", "2027-02-30", ""], "完成时限", "无法识别"),
    ([2027, "部分", "事项", "", "技工贸总收入≥-5亿元", "", "", "", ""], None, None),  # "-5" is no target: free text
])
def test_import_rejects_bad_rows_and_changes_nothing(demo_desk, tmp_path, row, column, message):
    """Any bad row rejects the whole file, naming sheet, row and column; the database is unchanged."""
    before = _dump(demo_desk)
    path = _sheet(tmp_path / "bad.xlsx", [GOOD_ROWS[0], row])
    if message is None:
        import_file(demo_desk, "plans", path)
        return
    with pytest.raises(ImportRejected) as exc:
        import_file(demo_desk, "plans", path)
    errors = exc.value.errors
    assert any(e.sheet == "工作计划" and e.row == 3 and e.column == column and message in e.message for e in errors), \
        [str(e) for e in errors]
    assert _dump(demo_desk) == before


def test_import_rejects_duplicates_and_missing_section(desk, tmp_path):
    """Duplicate items, two targets for one indicator and a first row without 部分 are errors."""
    rows = [
        [2027, None, "无部分的事项", "", "", "", "", "", ""],
        [2027, "甲", "事项一", "", "技工贸总收入≥30亿元", "", "", "", ""],
        [2027, "甲", "事项一", "", "", "", "", "", ""],
        [2027, "乙", "事项二", "", "技工贸收入≥31亿元", "", "", "", ""],
    ]
    with pytest.raises(ImportRejected) as exc:
        import_file(desk, "plans", _sheet(tmp_path / "d.xlsx", rows))
    text = exc.value.details()
    assert "第2行“部分”列：部分不能为空" in text
    assert "第4行“事项”列：与第3行重复" in text
    assert "第5行“量化目标”列：技工贸总收入的2027年目标已在第3行设定" in text
    assert not desk.plans.has_plan(2027)


def test_import_rejects_wrong_files(desk, tmp_path):
    """A missing sheet, missing headers or a file that is no workbook give clear errors."""
    with pytest.raises(ImportRejected) as exc:
        import_file(desk, "plans", _sheet(tmp_path / "a.xlsx", [["x", 1]], headers=["名称", "数值"], title="Sheet1"))
    assert "缺少工作表“工作计划”" in exc.value.details()
    with pytest.raises(ImportRejected) as exc:
        import_file(desk, "plans", _sheet(tmp_path / "b.xlsx", [[2027, "x"]], headers=["年份", "部分"]))
    assert "表头缺少列：事项" in exc.value.details()
    junk = tmp_path / "c.xlsx"
    junk.write_bytes(b"not a workbook")
    with pytest.raises(ImportRejected, match="不是 Excel"):
        import_file(desk, "plans", junk)
    with pytest.raises(ImportRejected) as exc:
        import_file(desk, "plans", _sheet(tmp_path / "e.xlsx", []))
    assert "没有事项" in exc.value.details()


def test_cli_import_reports_errors_by_row(demo_path, tmp_path):
    """`import plans` exits 1 listing the rows; a good file exits 0 with a summary."""
    bad = _sheet(tmp_path / "bad.xlsx", [[2027, "部分", "", "", "", "", "", "", "完了"]])
    result = run_main("import", "plans", bad, "--db", demo_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "第2行" in result.stderr and "事项不能为空" in result.stderr and "未知的状态" in result.stderr
    good = _sheet(tmp_path / "good.xlsx", GOOD_ROWS)
    result = run_main("import", "plans", good, "--db", demo_path)
    assert result.returncode == 0, result.stderr
    assert "已导入2027年工作计划" in result.stdout and "删除" in result.stdout


def test_export_reads_back_without_formulas(demo_desk, tmp_path):
    """`export plans` writes the nine columns, text never becomes a formula, and it imports again unchanged."""
    sid = demo_desk.plans.sections(2026)[0].id
    demo_desk.plans.save_item(PlanItem(section_id=sid, title="=SUM(A1:A3)", content="+86 电话", target_text="-完成-"))
    path = tmp_path / "plans.xlsx"
    result = run_main("export", "plans", "--year", "2026", "--out", path, "--db", demo_desk.path)
    assert result.returncode == 0, result.stderr
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "工作计划"
    ws = wb["工作计划"]
    assert [c.value for c in ws[1]] == HEADERS
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert len(values) == len(demo_desk.plans.year_items(2026))
    assert values[0][:3] == [2026, "（一）坚持锻长处、补短板，大力开展“六大行动”", "加快项目建设"]
    assert ["=SUM(A1:A3)", "+86 电话", "-完成-"] == [values[4][2], values[4][3], values[4][4]]
    assert ws.print_title_rows == "$1:$1" and ws.page_setup.orientation == "landscape"
    late = [r for r in ws.iter_rows(min_row=2) if r[2].value == "提升产业品牌"][0]
    assert late[0].font.color is not None and late[0].font.color.rgb.endswith("C00000")  # overdue in red
    assert wb["进展情况"].max_row == len(values) + 1
    before = [(s.title, i.title, i.target_kind, i.target_value, i.status, i.deadline)
              for s, i in demo_desk.plans.year_items(2026)]
    audit = demo_desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    message = import_file(demo_desk, "plans", path)
    assert "删除0项" in message
    after = [(s.title, i.title, i.target_kind, i.target_value, i.status, i.deadline)
             for s, i in demo_desk.plans.year_items(2026)]
    assert after == before
    assert demo_desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit  # nothing changed


def test_export_of_a_year_without_plan_says_so(desk, tmp_path):
    """Exporting a year with no plan gives a message and writes no file."""
    from parkdesk.errors import ValidationError

    with pytest.raises(ValidationError, match="还没有工作计划"):
        export_kind(desk, "plans", 2030, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


@pytest.mark.parametrize("text, expected", [
    ("2026-06-30", "2026-06-30"),
    ("2026年6月30日", "2026-06-30"),
    ("2026年6月底", "2026-06-30"),
    ("6月底", "2027-06-30"),
    ("2月", "2027-02-28"),
    ("年底", "2027-12-31"),
    ("2026年底", "2026-12-31"),
    ("上半年", "2027-06-30"),
    ("三季度", "2027-09-30"),
    ("第四季度", "2027-12-31"),
    ("长期", None),
    ("持续推进", None),
    (None, None),
    (dt.datetime(2027, 3, 5), "2027-03-05"),
])
def test_parse_deadline(text, expected):
    """完成时限 is read as clerks write it, within the row's year."""
    assert parse_deadline(text, 2027) == expected


def test_template_written_by_function_is_importable_when_filled(desk, tmp_path):
    """Rows added under the template's headers import as they are."""
    path = tmp_path / "t.xlsx"
    write_template("plans", path)
    wb = load_workbook(path)
    for row in GOOD_ROWS[:1]:
        wb["工作计划"].append(row)
    wb.save(path)
    assert "新增1项" in import_file(desk, "plans", path)


def test_importing_the_same_sheet_again_changes_nothing_and_says_so(desk, tmp_path):
    """Items that would stay as they are count as 不变, not 更新, and are not written again
    (nothing in the change log); the sheet's own wording of a tied target is no change."""
    path = _sheet(tmp_path / "p.xlsx", GOOD_ROWS)
    import_file(desk, "plans", path)
    audit = desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    preview = preview_import(desk, "plans", path)
    assert [r[1] for r in preview.rows] == ["不变"] * len(GOOD_ROWS)
    assert f"新增0项，更新0项，不变{len(GOOD_ROWS)}项，删除0项" in preview.summary
    message = import_file(desk, "plans", path)
    assert f"更新0项，不变{len(GOOD_ROWS)}项" in message
    assert desk.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit
