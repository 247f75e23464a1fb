"""Parsing clerks' numbers and wording figures the way reports do."""

from __future__ import annotations

import datetime as dt

import pytest

from parkdesk import numbers as n
from parkdesk.errors import UnitError, ValidationError


@pytest.mark.parametrize("text,value", [
    ("1,234.5", 1234.5), ("１２３４．５", 1234.5), ("1，234", 1234.0), (" 12 ", 12.0), ("-2.1", -2.1),
    ("－2.1", -2.1), ("8.6%", 8.6), ("约12.35", 12.35), (7, 7.0), (3.5, 3.5), ("", None), (None, None),
])
def test_parse_number_accepts_what_clerks_type(text, value):
    """Thousands separators, full-width digits, percent signs and 约 are accepted."""
    assert n.parse_number(text) == value


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12亿", "nan", "inf", "1e400", True, "1" * 30])
def test_parse_number_refuses_garbage(text):
    """Text, NaN, infinities and absurd sizes are refused with a message."""
    with pytest.raises(ValidationError):
        n.parse_number(text)


def test_quantities_and_unit_conversion():
    """17100万元 is 1.71亿元; 户 equals 家; 万美元 and 亿元 do not mix."""
    value, unit = n.parse_quantity("17100万元")
    assert (value, unit) == (17100.0, "万元")
    assert n.convert(value, unit, "亿元") == pytest.approx(1.71)
    assert n.convert(3, "户", "家") == 3
    assert n.convert(2.5, "亿美元", "万美元") == pytest.approx(25000)
    with pytest.raises(UnitError):
        n.convert(1, "万美元", "亿元")
    with pytest.raises(UnitError):
        n.parse_quantity("12斤")


def test_growth_and_points_wording_never_says_growth_minus():
    """Declines say 下降, never 增长-; rates change in 个百分点; zero is 持平."""
    assert n.growth_text(8.64) == "同比增长8.6%"
    assert n.growth_text(-2.1) == "同比下降2.1%"
    assert n.growth_text(0.04) == "与上年同期持平"
    assert "-" not in n.growth_text(-12.25)
    assert n.growth_text(2.25) == "同比增长2.3%"  # half up, as statistics offices round
    assert n.points_text(0.8) == "提高0.8个百分点"
    assert n.points_text(-0.8) == "下降0.8个百分点"
    assert n.progress_gap_text(1.5) == "超时序进度1.5个百分点"
    assert n.progress_gap_text(-3.21) == "低于时序进度3.2个百分点"


def test_amounts_in_yi_or_wan():
    """Money is said in 亿元 from one 亿 up and in 万元 below, whatever the stored unit."""
    assert n.amount_text(141.756, "亿元") == "141.76亿元"
    assert n.amount_text(0.856, "亿元") == "8560万元"
    assert n.amount_text(17100, "万元") == "1.71亿元"
    assert n.amount_text(3400, "万美元") == "3400万美元"
    assert n.amount_text(32000, "万美元") == "3.20亿美元"
    assert n.amount_text(12, "家", 0) == "12家"
    assert n.amount_text(None, "亿元") == "—"


def test_periods_dates_and_headings():
    """1—8月 with a 一字线, dates in Arabic numerals, four heading levels."""
    assert n.month_range(8) == "1—8月"
    assert n.month_range(1) == "1月"
    assert n.date_cn(dt.date(2026, 12, 20)) == "2026年12月20日"
    assert n.parse_date("2026年3月5日") == dt.date(2026, 3, 5)
    assert n.parse_date("2026/3/5") == dt.date(2026, 3, 5)
    with pytest.raises(ValidationError):
        n.parse_date("2026-02-30")
    assert [n.heading_number(lv, 2) for lv in (1, 2, 3, 4)] == ["二、", "（二）", "2.", "（2）"]
    assert n.cn_number(12) == "十二" and n.cn_number(21) == "二十一"
    assert n.enumerate_names(["A", "B", "C", "D"], total=10, limit=3) == "A、B、C等10个"
    assert n.enumerate_names(["A", "B"]) == "A、B共2个"


def test_names_phrase_and_trimmed_amounts():
    """"新开工A、B、C等5个项目", a single project named alone, nothing for none; targets without ".00"."""
    assert n.names_phrase("新开工", ["A项目", "B项目", "C项目", "D项目"], 5) == "新开工A项目、B项目、C项目等5个项目"
    assert n.names_phrase("已建成投产", ["A项目", "B项目"]) == "已建成投产A项目、B项目共2个项目"
    assert n.names_phrase("新开工", ["甲项目"]) == "新开工甲项目"
    assert n.names_phrase("新开工", ["甲工程"]) == "新开工甲工程项目"
    assert n.names_phrase("新开工", [], 0) == ""
    assert n.amount_text(193.0, "亿元", trim=True) == "193亿元"
    assert n.amount_text(52708.0, "万元", trim=True) == "5.27亿元"
    assert n.amount_text(12.0, "个", 2, trim=True) == "12个"
    assert n.amount_text(193.0, "亿元") == "193.00亿元"


def test_convert_units_handles_compound_units():
    """Compound units convert part by part; a bare 万元 is per 亩 for a 万元/亩 figure."""
    assert n.convert_units(3000, "元/亩", "万元/亩") == pytest.approx(0.3)
    assert n.convert_units(30, "万元", "万元/亩") == 30
    assert n.convert_units(350, "公斤标准煤/万元", "吨标准煤/万元") == pytest.approx(0.35)
    assert n.convert_units(1.2, "亿元", "万元") == pytest.approx(12000)
    for bad in (("亩", "万元/亩"), ("万元/平方米", "万元/亩"), ("万元/亩", "万元")):
        with pytest.raises(UnitError):
            n.convert_units(1, *bad)


def test_count_change_is_said_in_the_unit():
    """Counts change by "增加3个" / "减少2家" / "持平" — never by a percentage — and only for count units."""
    from parkdesk.numbers import count_change_text, is_count_unit

    assert count_change_text(3, "个") == "同比增加3个"
    assert count_change_text(-2.0, "家") == "同比减少2家"
    assert count_change_text(0.4, "个") == "与上年同期持平"
    assert count_change_text(-0.5, "起") == "同比减少1起"  # half away from zero, as statistics offices round
    assert count_change_text(None, "个") == ""
    assert count_change_text(5, "个", prefix="较上年") == "较上年增加5个"
    assert all(is_count_unit(u) for u in ("个", "家", "户", "项", "起"))
    assert not any(is_count_unit(u) for u in ("亿元", "%", "亩", "万平方米", None, ""))


def test_amounts_choose_yi_or_wan_after_rounding():
    """Just under one 亿 rounds to "1.00亿元", never "10000万元"; 99.999万元 is "100万元"; zero is "0万元"."""
    assert n.amount_text(0.99999, "亿元") == "1.00亿元"
    assert n.amount_text(9999.996, "万元") == "1.00亿元"
    assert n.amount_text(9999.4, "万元") == "9999万元"
    assert n.amount_text(99.999, "万元") == "100万元"
    assert n.amount_text(99.994, "万元") == "99.99万元"
    assert n.amount_text(-0.99999, "亿元") == "-1.00亿元"
    assert n.amount_text(0, "万元") == "0万元" and n.amount_text(0.0, "亿美元") == "0万美元"
    assert n.amount_text(9999.996, "万元", trim=True) == "1亿元"
