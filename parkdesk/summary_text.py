"""The summary as a terminal reading: tables and lines a clerk can check at a glance.

``summary --json`` is the machine contract; this is only its human rendering.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from .numbers import fmt, growth_text, month_range, points_text, progress_gap_text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{fmt(value, 1)}%"


def _indicator_rows(items: list[dict]) -> list[list[str]]:
    rows = []
    for f in items:
        if f.get("retired"):
            continue
        decimals = f.get("decimals", 2)
        if f.get("yoy_points") is not None:
            yoy = points_text(f["yoy_points"])
        else:
            yoy = growth_text(f.get("yoy_pct"), f.get("growth_decimals", 1)).removeprefix("同比")
        value = fmt(f.get("value"), decimals)
        if f.get("value") is not None and f.get("as_of_month") and f["as_of_month"] != f.get("month"):
            value += f"（{month_range(f['as_of_month'])}）"  # month N has no figure yet
        rows.append([
            f.get("category") or "", f["name"], value, f.get("unit") or "",
            yoy or "—", _pct(f.get("target_pct")),
            (progress_gap_text(f.get("time_progress_gap_pts")) if f.get("target_pct") is not None else "") or "—",
            f.get("status_label") or "",
        ])
    return rows


def _projects_lines(p: dict) -> list[str]:
    wan = lambda v: fmt((v or 0) / 10000, 2) + "亿元"  # noqa: E731
    lines = ["各阶段项目：" + "，".join(f"{k}{v}个" for k, v in p.get("by_stage", {}).items())]
    for key, verb in (("signed_in_period", "签约"), ("started_in_period", "开工"),
                      ("put_into_production_in_period", "投产")):
        names = p.get(key) or []
        lines.append(f"期内{verb}{len(names)}个" + (f"：{'、'.join(names)}" if names else ""))
    lines.append(f"签约项目总投资{wan(p.get('total_investment_wan'))}，合同引资{wan(p.get('contract_investment_wan'))}，"
                 f"到位资金{wan(p.get('funds_arrived_wan'))}；亿元以上{p.get('over_100m_count', 0)}个；"
                 f"签约项目转化率{_pct(p.get('conversion_rate_pct'))}")
    act = p.get("activities") or {}
    if act:
        lines.append(f"招商活动：外出招商{act.get('outbound_trips', 0)}次，拜访企业{act.get('companies_visited', 0)}家，"
                     f"接待客商{act.get('delegations_received', 0)}批，收集线索{act.get('leads_collected', 0)}条")
    att = p.get("attention") or {}
    if att:
        lines.append(f"需关注：停滞项目{att.get('stalled_count', 0)}个，逾期节点{att.get('overdue_node_count', 0)}个，"
                     f"未解决问题{att.get('open_problem_count', 0)}个")
    return lines


def summary_text(data: dict[str, Any]) -> str:
    """A readable rendering of :func:`parkdesk.summary.build_summary` for the terminal."""
    period = data["period"]
    lines = [f"{data['park']['name'] or '（未命名园区）'} {period['label']}（时序进度{fmt(period['time_progress_pct'], 1)}%）"]
    for key, value in data.items():
        if key in ("park", "period"):
            continue
        if key == "indicators" and isinstance(value, list):
            lines += ["", "【主要指标】"]
            rows = _indicator_rows(value)
            header = ["类别", "指标", "累计", "单位", "同比", "完成目标", "较时序进度", "状态"]
            lines += _table(header, rows) if rows else ["（本期没有指标数据）"]
        elif key == "projects" and isinstance(value, dict):
            lines += ["", "【项目】", *_projects_lines(value)]
        elif key == "plans" and isinstance(value, dict):
            lines += ["", "【工作计划】", value.get("status_line") or "（没有工作计划）"]
        elif key == "key_projects" and isinstance(value, dict):
            names = [p["name"] for p in value.get("projects", [])]
            lines += ["", "【重点项目】", f"{value.get('count', len(names))}个" + (f"：{'、'.join(names)}" if names else "")]
        else:  # a section without its own rendering
            lines += ["", f"【{key}】", json.dumps(value, ensure_ascii=False, indent=1)]
    return "\n".join(lines)
