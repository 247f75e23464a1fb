"""Catalog management (add, edit, retire, delete) and cell writes with the plan-target sync."""

from __future__ import annotations

import dataclasses

import pytest

from parkdesk.errors import ValidationError
from parkdesk.indicators import Cell, Indicator
from parkdesk.plans import PlanItem


def new(name="园区就业人数", **kw) -> Indicator:
    base = dict(id=None, name=name, unit="万元", category="发展水平", kind="cumulative", aliases=[])
    base.update(kw)
    return Indicator(**base)


def test_add_an_indicator_with_aliases(desk):
    """A new indicator is saved with trimmed aliases and resolves by them."""
    saved = desk.indicators.save(new("服务业营业收入", aliases=[" 服务业收入 ", "", "服务业营收", "服务业收入"]))
    assert saved.id and saved.aliases == ["服务业收入", "服务业营收"]
    assert desk.indicators.resolve("服务业 营收").id == saved.id
    assert saved.name in [i.name for i in desk.indicators.list()]


def test_names_and_aliases_are_unique_across_the_catalog(desk):
    """Neither a name nor an alias may be another indicator's name or alias."""
    with pytest.raises(ValidationError, match="已被指标“税收收入”使用"):
        desk.indicators.save(new("新指标", aliases=["实缴税金"]))
    with pytest.raises(ValidationError, match="名称“税收”已被"):
        desk.indicators.save(new("税收"))
    with pytest.raises(ValidationError, match="已被"):
        desk.indicators.save(new("固定 资产投资"))  # spaces are ignored when matching
    tax = desk.indicators.by_name("税收收入")
    kept = desk.indicators.save(dataclasses.replace(tax, aliases=[*tax.aliases, "税收收入"]))
    assert "税收收入" not in kept.aliases  # its own name is not an alias


def test_bad_fields_are_refused(desk):
    """Empty name, unknown kind, min above max and bad decimals give Chinese messages."""
    for bad, message in (
        (new(""), "名称不能为空"),
        (new(kind="flow"), "未知的指标类型"),
        (new(min_value=10, max_value=5), "最小值 10 大于最大值 5"),
        (new(decimals=9), "小数位数"),
        (new(unit=" "), "计量单位不能为空"),
        (new(direction=0), "方向"),
    ):
        with pytest.raises(ValidationError, match=message):
            desk.indicators.save(bad)


def test_edit_keeps_data_and_converts_units(desk):
    """Changing 万元 to 亿元 on an indicator with data converts values, targets and plan targets."""
    tax = desk.indicators.by_name("税收收入")
    desk.indicators.write_cells({Cell(tax.id, 2026, "value", 3): 17100.0, Cell(tax.id, 2026, "target"): 50000.0})
    section = desk.plans.add_section(2026, "主要目标")
    desk.plans.save_item(PlanItem(section_id=section.id, title="税收", target_kind="indicator",
                                  target_indicator_id=tax.id, target_value=50000.0))
    saved = desk.indicators.save(dataclasses.replace(tax, unit="亿元", decimals=2))
    assert saved.unit == "亿元"
    cells = desk.indicators.read_cells([Cell(tax.id, 2026, "value", 3), Cell(tax.id, 2026, "target")])
    assert cells[Cell(tax.id, 2026, "value", 3)] == pytest.approx(1.71)
    assert cells[Cell(tax.id, 2026, "target")] == pytest.approx(5.0)
    assert desk.db.execute("SELECT target_value FROM plan_items").fetchone()[0] == pytest.approx(5.0)
    with pytest.raises(ValidationError, match="无法换算"):
        desk.indicators.save(dataclasses.replace(saved, unit="家"))


def test_limits_must_fit_existing_data(desk):
    """A new min/max that existing figures break is refused, and values are checked against it."""
    inv = desk.indicators.by_name("固定资产投资")
    desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): 12.0})
    with pytest.raises(ValidationError, match="超出新的取值范围"):
        desk.indicators.save(dataclasses.replace(inv, max_value=10.0))
    desk.indicators.save(dataclasses.replace(inv, max_value=500.0))
    with pytest.raises(ValidationError, match="不能大于 500亿元"):
        desk.indicators.write_cells({Cell(inv.id, 2026, "value", 2): 600.0})
    with pytest.raises(ValidationError, match="不能小于 0亿元"):
        desk.indicators.write_cells({Cell(inv.id, 2026, "value", 2): -1.0})


def test_kind_change_to_growth_only_refused_with_values(desk):
    """An indicator holding values cannot become growth-only (its values would be meaningless)."""
    inv = desk.indicators.by_name("工业投资")
    desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): 3.0})
    with pytest.raises(ValidationError, match="不能改为“仅增速”"):
        desk.indicators.save(dataclasses.replace(inv, kind="growth_only"))


def test_retire_and_restore_keep_data(desk):
    """A retired indicator leaves the lists but keeps its data; restoring brings it back."""
    inv = desk.indicators.by_name("技改投资")
    desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): 1.5})
    desk.indicators.retire(inv.id)
    assert inv.id not in [i.id for i in desk.indicators.list()]
    assert desk.indicators.get(inv.id).retired
    assert desk.db.execute("SELECT count(*) FROM indicator_values WHERE indicator_id = ?", [inv.id]).fetchone()[0] == 1
    desk.indicators.retire(inv.id, False)
    assert inv.id in [i.id for i in desk.indicators.list()]


def test_never_delete_an_indicator_with_data(desk):
    """Delete refuses an indicator with values, targets or plan items, and removes an unused one."""
    inv = desk.indicators.by_name("基础设施投资")
    desk.indicators.write_cells({Cell(inv.id, 2025, "target"): 8.0})
    with pytest.raises(ValidationError, match="不能删除"):
        desk.indicators.delete(inv.id)
    assert desk.indicators.get(inv.id)
    extra = desk.indicators.save(new("临时指标", aliases=["临时"]))
    desk.indicators.delete(extra.id)
    with pytest.raises(ValidationError):
        desk.indicators.get(extra.id)
    assert desk.indicators.resolve("临时") is None


def test_catalog_changes_are_audited(desk):
    """Saving an indicator writes the change to the audit log."""
    tax = desk.indicators.by_name("税收收入")
    desk.indicators.save(dataclasses.replace(tax, decimals=0))
    row = desk.db.execute(
        "SELECT old_value, new_value FROM audit_log WHERE table_name = 'indicators' AND field = 'decimals'"
    ).fetchone()
    assert row == (2, 0)


def test_write_cells_is_all_or_nothing_and_cleans_up(desk):
    """One bad cell writes nothing; clearing every figure removes the row again."""
    inv = desk.indicators.by_name("固定资产投资")
    before = desk.db.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    with pytest.raises(ValidationError, match="“固定资产投资”2026年2月数值"):
        desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): 3.0, Cell(inv.id, 2026, "value", 2): -5.0})
    assert desk.db.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == before
    desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): 3.0, Cell(inv.id, 2026, "forecast"): 60.0})
    desk.indicators.write_cells({Cell(inv.id, 2026, "value", 1): None, Cell(inv.id, 2026, "forecast"): None})
    assert desk.db.execute("SELECT count(*) FROM indicator_values").fetchone()[0] == before
    assert desk.db.execute("SELECT count(*) FROM indicator_years").fetchone()[0] == 0


def test_growth_cells_are_checked(desk):
    """An official growth below −100 % is impossible; a growth-only indicator takes no value."""
    inv = desk.indicators.by_name("固定资产投资")
    with pytest.raises(ValidationError, match="降幅不能超过 100%"):
        desk.indicators.write_cells({Cell(inv.id, 2026, "official_yoy", 3): -120.0})
    gdp = desk.indicators.by_name("GDP")
    with pytest.raises(ValidationError, match="只录入增速"):
        desk.indicators.write_cells({Cell(gdp.id, 2026, "value", 3): 100.0})
    desk.indicators.write_cells({Cell(gdp.id, 2026, "official_yoy", 3): -3.5})


def test_parse_input_converts_units_and_reads_clerk_typing(desk):
    """Typed text: full-width digits, separators, a unit that converts, a % sign on growth."""
    tech = desk.indicators.by_name("技工贸总收入")  # 亿元
    parse = desk.indicators.parse_input
    assert parse(tech, "value", "１２．５") == 12.5
    assert parse(tech, "value", "1,234.5") == 1234.5
    assert parse(tech, "value", "17100万元") == pytest.approx(1.71)
    assert parse(tech, "official_yoy", "8.6%") == 8.6
    assert parse(tech, "value", "") is None
    with pytest.raises(ValidationError, match="不是有效的数字"):
        parse(tech, "value", "abc")
    with pytest.raises(ValidationError, match="不能换算"):
        parse(tech, "value", "12家")
    firms = desk.indicators.by_name("规上企业数")  # 家
    assert parse(firms, "value", "12户") == 12 and parse(firms, "value", "12个") == 12


def test_target_in_grid_updates_the_plan_item_in_the_same_transaction(desk):
    """Setting 年度目标 updates the plan item of that year that targets the indicator (one source of truth)."""
    inv = desk.indicators.by_name("固定资产投资")
    s26 = desk.plans.add_section(2026, "（一）扩大有效投资")
    s27 = desk.plans.add_section(2027, "（一）扩大有效投资")
    item26 = desk.plans.save_item(PlanItem(section_id=s26.id, title="固投", target_kind="indicator",
                                           target_indicator_id=inv.id, target_value=60.0))
    item27 = desk.plans.save_item(PlanItem(section_id=s27.id, title="固投", target_kind="indicator",
                                           target_indicator_id=inv.id, target_value=70.0))
    other = desk.plans.save_item(PlanItem(section_id=s26.id, title="招商", target_kind="project_stat",
                                          target_stat="signed", target_value=6.0))
    desk.indicators.write_cells({Cell(inv.id, 2026, "target"): 65.5})
    value = lambda item: desk.db.execute("SELECT target_value FROM plan_items WHERE id = ?", [item.id]).fetchone()[0]  # noqa: E731
    assert value(item26) == 65.5 and value(item27) == 70.0 and value(other) == 6.0
    desk.indicators.set_year_figures(inv.id, 2027, target=72.0)
    assert value(item27) == 72.0
    # the plan item never disagrees with the target, even when a later cell in the same write fails
    with pytest.raises(ValidationError):
        desk.indicators.write_cells({Cell(inv.id, 2026, "target"): 80.0, Cell(inv.id, 2026, "value", 1): -1.0})
    assert value(item26) == 65.5
    assert desk.indicators.year_figures(2026)[inv.id].target == 65.5
