"""The sentence on the chains of the period's signed projects names the leading industries' share in words
at the ends of the scale (no "占比0.0%" in a report)."""

from __future__ import annotations

import pytest

from parkdesk.report.draft_work import investment_text
from parkdesk.report.phrases import DraftContext


def _ctx(share):
    projects = {"signed_count": 3, "signed_in_period": ["甲项目", "乙项目", "丙项目"],
                "signed_by_chain": {"食品加工": 2, "其他": 1}, "leading_chain_share_pct": share}
    return DraftContext(data={"projects": projects}, year=2026, through=10)


@pytest.mark.parametrize("share, words", [(100.0, "均为主导产业项目"), (0.0, "暂无主导产业项目"),
                                          (66.7, "主导产业项目占比66.7%")])
def test_leading_chain_share_in_words(share, words):
    text = investment_text(_ctx(share))
    assert words in text and "0.0%" not in text
