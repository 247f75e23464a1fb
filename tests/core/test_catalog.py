"""The built-in catalog: enough indicators, well-formed, with the design's aliases."""

from __future__ import annotations

import pytest

from parkdesk import catalog

DESIGN_ALIASES = {
    "税收收入": ("税收", "实缴税收", "实缴税金", "年缴税收"),
    "规上企业数": ("规模以上工业企业数", "规上企业"),
    "规模工业增加值": ("规上工业增加值", "工业增加值"),
    "固定资产投资": ("固投",),
    "实际利用外资": ("利用外资", "实际到位外资"),
    "技工贸总收入": ("技工贸收入",),
}


def test_catalog_has_at_least_30_well_formed_indicators():
    """Every built-in indicator has a known unit, category, kind and a direction."""
    inds = catalog.BUILTIN_INDICATORS
    assert len(inds) >= 30
    assert len({i.name for i in inds}) == len(inds)
    for ind in inds:
        assert ind.unit in catalog.UNITS, ind.name
        assert ind.category in catalog.CATEGORIES, ind.name
        assert ind.kind in catalog.KINDS, ind.name
        assert ind.direction in (1, -1)
        assert 0 <= ind.decimals <= 4
    assert {i.category for i in inds} == set(catalog.CATEGORIES)
    assert {i.kind for i in inds} == set(catalog.KINDS)


def test_aliases_are_unique_across_the_catalog():
    """No alias points at two indicators, and no alias is another indicator's name."""
    names = {i.name for i in catalog.BUILTIN_INDICATORS}
    seen = {}
    for ind in catalog.BUILTIN_INDICATORS:
        for alias in ind.aliases:
            assert alias not in seen, (alias, seen.get(alias), ind.name)
            assert alias not in names, alias
            seen[alias] = ind.name


@pytest.mark.parametrize("name,aliases", DESIGN_ALIASES.items())
def test_design_aliases_resolve_in_a_new_database(desk, name, aliases):
    """Names found in statistics sheets resolve to the catalog's indicator."""
    for alias in aliases:
        found = desk.indicators.resolve(alias)
        assert found is not None and found.name == name, alias
    assert desk.indicators.resolve(f" {aliases[0]} ").name == name
    assert desk.indicators.resolve("不存在的指标") is None


def test_stage_synonyms():
    """Clerks' words for stages map onto the canonical stages."""
    assert catalog.normalize_stage("洽谈") == "在谈"
    assert catalog.normalize_stage("在建") == "已开工"
    assert catalog.normalize_stage("安装调试") == "试生产"
    assert catalog.normalize_stage("投产") == "已投产"
    assert catalog.normalize_stage("签约") == "已签约"
    assert catalog.normalize_stage("胡说") is None


@pytest.mark.parametrize("word, stage", [
    ("已开工(在建)", "已开工"), ("已开工（在建）", "已开工"), ("已开工【在建】", "已开工"), ("（在建）", "已开工"),
    ("试生产（安装调试）", "试生产"), ("试生产(安装调试)", "试生产"), ("已试生产", "试生产"), ("设备安装调试", "试生产"),
    ("竣工投产", "已投产"), ("已竣工投产", "已投产"), ("正式投产", "已投产"), ("建成投产", "已投产"),
    ("已建成投产", "已投产"), ("已投产（部分）", "已投产"),
    ("洽谈中", "在谈"), ("正在洽谈", "在谈"), ("意向", "在谈"), ("洽谈阶段", "在谈"),
    ("建设中", "已开工"), ("开工建设", "已开工"), ("新建", "已开工"), ("续建", "已开工"), ("在建项目", "已开工"),
    ("签约未开工", "已签约"), ("已签约未开工", "已签约"), ("签约阶段", "已签约"), ("ＳＩＧＮ", None),
    ("储备项目", "线索"), ("停建", "已终止"), ("已取消", "已终止"), ("终止", "已终止"),
    ("试生产/安装调试", "试生产"), ("签约/开工", None), (" 已 签 约 ", "已签约"), ("", None), ("暂停", None),
])
def test_stage_words_of_real_ledgers(word, stage):
    """normalize_stage reads the stage words parks write: brackets of either width, 已 and 阶段, synonyms."""
    assert catalog.normalize_stage(word) == stage
