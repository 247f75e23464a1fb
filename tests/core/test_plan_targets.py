"""Section numbering stripped; target text read into structured targets."""

from __future__ import annotations

import pytest

from parkdesk.plan_targets import parse_target, plain_number, strip_numbering, target_text


@pytest.mark.parametrize("typed, stored", [
    ("（一）坚持锻长处、补短板，大力开展“六大行动”", "坚持锻长处、补短板，大力开展“六大行动”"),
    ("(二) 坚持查漏洞、破难题", "坚持查漏洞、破难题"),
    ("三、坚持强管理、促规范", "坚持强管理、促规范"),
    ("十二、优化营商环境", "优化营商环境"),
    ("1.加快项目建设", "加快项目建设"),
    ("２、强化招大引强", "强化招大引强"),
    ("（3）完善基础配套", "完善基础配套"),
    ("一是强化原料供给", "强化原料供给"),
    ("第一部分 主要目标", "主要目标"),
    ("1.5万平方米标准厂房建设", "1.5万平方米标准厂房建设"),
    ("一流营商环境建设", "一流营商环境建设"),
    ("  坚持产业定力  ", "坚持产业定力"),
    ("（一）", "（一）"),  # nothing but a number: kept rather than emptied
])
def test_strip_numbering(typed, stored):
    """Leading （一） / 一、 / 1. / （1） / 一是 go; decimals and ordinary words stay."""
    assert strip_numbering(typed) == stored


def test_generated_target_text():
    """A tied target reads like the seeds: 技工贸总收入≥30亿元, ≤ where lower is better."""
    assert target_text("技工贸总收入", 30.0, "亿元") == "技工贸总收入≥30亿元"
    assert target_text("新开工项目数", 10, "个") == "新开工项目数≥10个"
    assert target_text("万元工业增加值能耗", 0.35, "吨标准煤/万元", lower_is_better=True) == \
        "万元工业增加值能耗≤0.35吨标准煤/万元"
    assert plain_number(175.50) == "175.5" and plain_number(52708.0) == "52708"


@pytest.mark.parametrize("text, kind, ref, value", [
    ("技工贸总收入 ≥ 30亿元", "indicator", "技工贸总收入", 30.0),
    ("技工贸收入≥30亿元", "indicator", "技工贸总收入", 30.0),
    ("完成技工贸总收入30亿元以上", "indicator", "技工贸总收入", 30.0),
    ("全年完成税收1.2亿元以上", "indicator", "税收收入", 12000.0),  # converted to the indicator's 万元
    ("实缴税金不低于8000万元", "indicator", "税收收入", 8000.0),
    ("固投达到８０亿元", "indicator", "固定资产投资", 80.0),
    ("规上企业数≥50户", "indicator", "规上企业数", 50.0),
    ("合同引资额≥30亿元", "indicator", "合同引资额", 30.0),  # money: the indicator wins
    ("引进亿元以上项目≥6个", "project_stat", "signed_over_100m", 6.0),
    ("引进亿元以上项目数≥6个", "project_stat", "signed_over_100m", 6.0),
    ("力争引进亿元以上项目6个以上", "project_stat", "signed_over_100m", 6.0),
    ("新开工项目不少于10个", "project_stat", "started", 10.0),
    ("新开工项目数≥10个", "project_stat", "started", 10.0),
    ("新投产项目≥5个", "project_stat", "put_into_production", 5.0),
    ("外出招商20次以上", "project_stat", "outbound_trips", 20.0),
    ("收集线索≥50条", "project_stat", "leads_collected", 50.0),
    ("到位资金≥5000万元", "project_stat", "funds_arrived", 0.5),
    ("亩均税收≥30万元", "indicator", "亩均税收", 30.0),  # per 亩 implied by the indicator's 万元/亩
    ("亩均税收≥30万元/亩", "indicator", "亩均税收", 30.0),
    ("亩均税收不低于3000元/亩", "indicator", "亩均税收", 0.3),
    ("投资强度不低于300万元", "indicator", "投资强度", 300.0),
    ("标准厂房面积≥10万平米", "indicator", "标准厂房面积", 10.0),
    ("标准厂房面积≥100000平方米", "indicator", "标准厂房面积", 10.0),
    ("万元工业增加值能耗≤0.35吨标准煤", "indicator", "万元工业增加值能耗", 0.35),
    ("万元工业增加值能耗≤350公斤标准煤/万元", "indicator", "万元工业增加值能耗", 0.35),
])
def test_parse_target_resolves_names(desk, text, kind, ref, value):
    """Typed targets become (indicator or statistic, value in its unit)."""
    t = parse_target(desk, text)
    assert t is not None, text
    assert t.kind == kind
    if kind == "indicator":
        assert t.name == ref and t.indicator_id == desk.indicators.by_name(ref).id
    else:
        assert t.stat == ref
    assert t.value == pytest.approx(value)


@pytest.mark.parametrize("text", [
    "",
    "完成园区道路配套工程",
    "引进国内五百强企业2-3家",  # no such indicator or statistic
    "技工贸总收入≥30个",  # a count is no amount of money
    "新开工项目≥10亿元",  # an amount is no count
    "某某指标≥30亿元",
    "技工贸总收入≥",
    "地区生产总值≥8亿元",  # only its growth rate is published
    "亩均税收≥30亩",  # an area is no tax per 亩
    "亩均税收≥30万元/平方米",
])
def test_parse_target_leaves_free_text(desk, text):
    """Text that names nothing known, or has a unit that does not fit, stays free text."""
    assert parse_target(desk, text) is None
