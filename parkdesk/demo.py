"""A deterministic, realistic demo park (``main.py demo``).

Everything is derived from a fixed seed and the reference date ``as_of``:
the same date always gives the same database. Figures hang together:
cumulative values rise through the year, projects reach their stages in
order, dispatch investment adds up to the figure to date.
"""

from __future__ import annotations

import datetime as _dt
import math
import random
from dataclasses import dataclass
from typing import Callable

from . import catalog
from .desk import Desk

SEED = 20261122
# Share of the year's total in each month (Jan–Feb low around the Spring
# Festival, December high), as in most parks' statistics.
SEASON = (0.055, 0.05, 0.08, 0.08, 0.085, 0.09, 0.08, 0.085, 0.09, 0.09, 0.095, 0.12)

# Yearly total (or year-end level) of each indicator in the first demo year.
BASE = {
    "技工贸总收入": 118.0,
    "工业总产值": 96.0,
    "规上工业总产值": 82.0,
    "规模工业增加值": 21.5,
    "税收收入": 43800.0,
    "一般公共预算收入": 26500.0,
    "规上工业营业收入": 88.0,
    "主导产业产值占比": 61.0,
    "战略性新兴产业产值": 28.0,
    "固定资产投资": 58.0,
    "工业投资": 39.0,
    "技改投资": 11.5,
    "基础设施投资": 7.8,
    "合同引资额": 76.0,
    "实际到位内资": 43.0,
    "实际利用外资": 3400.0,
    "引进亿元以上项目数": 10,
    "省外到位资金": 28.0,
    "进出口总额": 42000.0,
    "出口总额": 29500.0,
    "规上企业数": 112,
    "新增规上企业": 12,
    "高新技术企业": 41,
    "专精特新企业": 9,
    "入园企业数": 305,
    "研发经费支出": 33500.0,
    "高新技术产业增加值": 8.6,
    "高新技术产业产值": 37.0,
    "创新平台数": 16,
    "亩均税收": 21.5,
    "投资强度": 338.0,
    "标准厂房面积": 58.0,
    "新建标准厂房面积": 7.5,
    "盘活土地": 280.0,
    "出让建设用地": 760.0,
    "万元工业增加值能耗降低率": 3.2,
    "万元工业增加值能耗": 0.48,
    "环境污染事故": 0,
    "污水处理厂": 2,
}
# Mean yearly growth (%) of each indicator; a few fall in some years.
GROWTH = {
    "技工贸总收入": 9.0, "工业总产值": 8.0, "规上工业总产值": 8.5, "规模工业增加值": 7.5,
    "税收收入": 6.0, "一般公共预算收入": 5.0, "规上工业营业收入": 8.0, "战略性新兴产业产值": 14.0,
    "固定资产投资": 7.0, "工业投资": 10.0, "技改投资": 12.0, "基础设施投资": -4.0,
    "合同引资额": 11.0, "实际到位内资": 9.0, "实际利用外资": 4.0, "省外到位资金": 8.0,
    "进出口总额": 5.0, "出口总额": 6.0, "研发经费支出": 13.0, "高新技术产业增加值": 12.0,
    "高新技术产业产值": 12.0, "新建标准厂房面积": 3.0, "盘活土地": 5.0, "出让建设用地": -3.0,
}

PARK = {
    "name": "江南示范产业开发区",
    "short_name": "园区",
    "organization": "江南示范产业开发区管理委员会",
    "superiors": "区委、区政府",
    "leading_industries": ["食品加工", "电子信息", "装备制造"],
    "zones": ["南片区", "北片区", "荆江门片区"],
    "author": "综合办公室",
}

_CHAIN_PRODUCTS = {
    "食品加工": ("休闲食品", "冷链食品", "调味品", "预制菜", "植物蛋白饮料", "烘焙食品", "功能食品原料", "速冻米面制品"),
    "电子信息": ("智能终端结构件", "柔性电路板", "电子元器件", "LED照明", "新型显示模组", "锂电池电芯", "智能传感器", "光伏焊带"),
    "装备制造": ("智能家电", "压缩机", "挤塑设备", "农机装备", "精密模具", "新能源汽车零部件", "工业机器人", "环保设备"),
    "其他": ("新型建材", "包装材料", "医用耗材", "现代物流中心", "标准化厂房", "产业园配套道路"),
}
_COMPANY_STEMS = (
    "鑫鹏", "进利", "国泰", "大农", "广恒", "三利和", "新宏", "正源", "洞庭", "宇腾", "银星", "美诺",
    "来利洪", "万江", "华兴", "恒达", "顺丰源", "中科", "天成", "博远", "康盛", "瑞祥", "金辉", "长隆",
    "海纳", "盛和", "远东", "景明", "昌达", "汇通", "卓越", "嘉禾", "鼎盛", "润泽", "新港", "江湖",
)
_CAPACITY = {
    "食品加工": ("年产5万吨", "年产3万吨", "年产10万吨", ""),
    "电子信息": ("年产2000万件", "年产500万片", "", ""),
    "装备制造": ("年产30万台", "年产10万套", "年产5000台", ""),
}
# Where investors come from, and the origin (来源地) that place means for the park.
_INVESTOR_PLACES = ("江南", "岳阳", "长沙", "湖南", "广东", "深圳", "江苏", "浙江", "湖北", "上海", "香港", "新加坡")
_PLACE_ORIGIN = {"江南": "本地", "岳阳": "省内", "长沙": "省内", "湖南": "省内", "香港": "境外", "新加坡": "境外"}
_COMPANY_SUFFIX = {
    "食品加工": "食品有限公司",
    "电子信息": "电子科技有限公司",
    "装备制造": "智能装备有限公司",
    "其他": "实业有限公司",
}
_CITIES_OUT = ("上海", "苏州", "宁波", "深圳", "东莞", "广州", "杭州", "西安", "厦门", "佛山", "无锡", "合肥")
_LEADERS = ("王建国", "李明华", "张志强", "刘卫东", "陈晓峰", "杨立新")
_UNITS = ("招商一局", "招商二局", "项目建设局", "经济发展局", "规划建设局", "企业服务中心")
_PROGRESS = {
    catalog.STAGE_STARTED: ("完成场地平整", "桩基施工完成", "主体结构施工中", "主体封顶", "钢结构安装中", "设备基础施工"),
    catalog.STAGE_TRIAL: ("设备安装调试", "生产线联调", "试生产中"),
    catalog.STAGE_PRODUCTION: ("竣工投产", "正式投产"),
}
_PROBLEMS = (
    ("施工用电增容尚未到位", "供电公司"),
    ("项目用地报批进度滞后", "自然资源局"),
    ("环评审批材料需补充", "生态环境分局"),
    ("配套道路未完工影响进场", "规划建设局"),
    ("企业融资困难，资金到位不足", "金融服务中心"),
    ("施工许可证办理中", "住建局"),
    ("用工招聘困难", "人社局"),
    ("天然气管网接入未完成", "城投公司"),
)
_PRE_CONSTRUCTION_NODES = ("完成土地摘牌", "取得施工许可")
_NODE_NAMES = ("完成土地摘牌", "取得施工许可", "主体开工", "主体封顶", "设备进场", "竣工验收", "投产达效")


@dataclass
class DemoSize:
    """How much the demo holds (``large`` is for the speed benchmarks)."""

    history_years: int = 4
    projects: int = 72
    activities_per_year: int = 60
    # Days from the start of construction to trial production (one dispatch record a month).
    build_days: tuple[int, int] = (200, 500)


# large: at least 10,000 projects, 100,000 dispatch records (longer builds: about 9 per project),
# 30 years of monthly values and 5,000 activities (checked by test_large_demo_counts, -m slow).
SIZES = {"normal": DemoSize(), "large": DemoSize(history_years=29, projects=11_000, activities_per_year=180,
                                                 build_days=(420, 1100))}


def default_as_of() -> _dt.date:
    return _dt.date.today()


def periods(as_of: _dt.date) -> tuple[int, int]:
    """(current year, last month with statistics) for a reference date.

    Statistics of a month are published the following month, so on 22 November
    the latest figures are those of 1—10月.
    """
    if as_of.month <= 1:
        return as_of.year - 1, 12
    return as_of.year, as_of.month - 1


def create_demo(
    path,
    *,
    as_of: _dt.date | None = None,
    scale: str = "normal",
    progress: Callable[[str, float], None] | None = None,
) -> Desk:
    """Create (or fill an empty) database at ``path`` with the demo park.

    :raises ValidationError: when the database already holds data.
    """
    from .errors import ValidationError

    as_of = as_of or default_as_of()
    size = SIZES.get(scale)
    if size is None:
        raise ValidationError(f"未知的演示规模“{scale}”（可选 normal、large）")
    report = progress or (lambda msg, frac: None)
    desk = Desk.open(path, create=True)
    try:
        if _has_data(desk):
            raise ValidationError(f"“{desk.path.name}”中已有数据，演示数据只能写入新的数据库。")
        rng = random.Random(SEED)
        year, month = periods(as_of)
        with desk.atomic(audit=False):
            report("园区信息", 0.02)
            desk.park.update(**PARK, first_year=year - size.history_years)
            report("经济指标", 0.05)
            _indicators(desk, rng, year, month, size.history_years)
            report("项目台账", 0.3)
            _projects(desk, rng, as_of, size, report)
            _tie_indicators_to_ledger(desk, year, month)
            report("招商活动", 0.85)
            _activities(desk, rng, as_of, size)
            report("工作计划", 0.95)
            _plans(desk, year, month)
        report("完成", 1.0)
    except BaseException:
        desk.close()
        raise
    return desk


def _has_data(desk: Desk) -> bool:
    db = desk.db
    return any(
        db.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone()
        for t in ("indicator_values", "projects", "plan_sections", "activities")
    )


# --- indicators -------------------------------------------------------------------------
def _indicators(desk: Desk, rng: random.Random, year: int, month: int, history: int) -> None:
    db = desk.db
    inds = {i.name: i for i in desk.indicators.list()}
    first = year - history
    rows = []
    year_rows = []
    for name, ind in inds.items():
        level = BASE.get(name)
        mean_growth = GROWTH.get(name, 6.0)
        prev_months: list[float] | None = None
        for y in range(first, year + 1):
            last_month = month if y == year else 12
            g = rng.gauss(mean_growth, 4.0)
            if ind.kind == catalog.GROWTH_ONLY:
                for m in range(1, last_month + 1):
                    if m % 3 == 0 or m == last_month:
                        rows.append((ind.id, y, m, None, None, round(rng.gauss(6.5, 1.2), 1), ""))
                continue
            if level is None:
                continue
            if y > first:
                if ind.kind == catalog.CUMULATIVE:
                    level = level * (1 + g / 100)
                elif ind.kind == catalog.STOCK:
                    level = _next_stock(name, level, rng)
                elif ind.kind == catalog.RATE:
                    level = max(0.5, level + rng.gauss(0.4, 0.8))
            months = _month_values(ind, level, rng, prev_months)
            for m in range(1, last_month + 1):
                value = months[m - 1]
                official = None
                if not ind.nominal_growth and prev_months is not None:
                    nominal = (value / prev_months[m - 1] - 1) * 100 if prev_months[m - 1] else 0
                    official = round(nominal - rng.uniform(0.8, 2.5), 1)
                rows.append((ind.id, y, m, value, None, official, ""))
            if ind.kind == catalog.CUMULATIVE or ind.kind == catalog.STOCK:
                total = months[11]
                target_growth = max(mean_growth, 3.0) + rng.choice((1.0, 2.0, 3.0))
                prior_total = prev_months[11] if prev_months else total / (1 + g / 100)
                target = _round_like(ind, prior_total * (1 + target_growth / 100))
                forecast = forecast_yoy = None
                if y == year and name in ("技工贸总收入", "工业总产值", "规模工业增加值", "税收收入", "固定资产投资",
                                          "实际到位内资", "实际利用外资", "合同引资额"):
                    forecast = _round_like(ind, total * rng.uniform(0.97, 1.02))
                    forecast_yoy = round((forecast / prior_total - 1) * 100, 1) if prior_total else None
                year_rows.append((ind.id, y, target, forecast, forecast_yoy))
            prev_months = months
    db.conn.executemany(
        "INSERT INTO indicator_values (indicator_id, year, month, value, prior_value, official_yoy, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    db.conn.executemany(
        "INSERT INTO indicator_years (indicator_id, year, target, forecast, forecast_yoy) VALUES (?, ?, ?, ?, ?)",
        year_rows,
    )


def _next_stock(name: str, level: float, rng: random.Random) -> float:
    if name == "万元工业增加值能耗":
        return level * (1 - rng.uniform(0.02, 0.05))
    if name == "污水处理厂":
        return level + (1 if rng.random() < 0.25 else 0)
    return level * (1 + rng.uniform(0.03, 0.12))


def _month_values(ind, level: float, rng: random.Random, prev: list[float] | None) -> list[float]:
    """Twelve month figures for one year: cumulative sums, or month-end levels."""
    integral = ind.decimals == 0
    if ind.kind == catalog.CUMULATIVE:
        shares = [s * rng.uniform(0.85, 1.15) for s in SEASON]
        total_share = sum(shares)
        out, acc, acc_int = [], 0.0, 0
        for s in shares:
            acc += level * s / total_share
            if integral:
                acc_int = max(acc_int, int(round(acc)))
                out.append(float(acc_int))
            else:
                out.append(round(acc, ind.decimals))
        return out
    if ind.kind == catalog.RATE:
        return [round(level + rng.gauss(0, 0.3), ind.decimals) for _ in range(12)]
    start = prev[11] if prev else level * 0.95
    out = []
    for m in range(1, 13):
        v = start + (level - start) * m / 12
        out.append(float(round(v)) if integral else round(v, ind.decimals))
    return out


def _round_like(ind, value: float) -> float:
    return float(round(value)) if ind.decimals == 0 else round(value, ind.decimals)


# --- projects --------------------------------------------------------------------------
_STAGE_MIX = (
    (catalog.STAGE_LEAD, 0.11),
    (catalog.STAGE_NEGOTIATING, 0.14),
    (catalog.STAGE_SIGNED, 0.16),
    (catalog.STAGE_STARTED, 0.25),
    (catalog.STAGE_TRIAL, 0.08),
    (catalog.STAGE_PRODUCTION, 0.21),
    (catalog.STAGE_TERMINATED, 0.05),
)
_ORDER = catalog.STAGES
_ACTIVE_STAGES = (catalog.STAGE_LEAD, catalog.STAGE_NEGOTIATING, catalog.STAGE_SIGNED, catalog.STAGE_STARTED,
                  catalog.STAGE_TRIAL)


def _project_name(rng: random.Random, chain: str, used: set[str], index: int) -> tuple[str, str]:
    for _ in range(20):
        product = rng.choice(_CHAIN_PRODUCTS[chain])
        stem = rng.choice(_COMPANY_STEMS)
        if chain == "其他" and product in ("现代物流中心", "标准化厂房", "产业园配套道路"):
            name = f"{stem}{product}项目"
        else:
            capacity = rng.choice(_CAPACITY.get(chain, ("",)))
            name = f"{stem}{capacity}{product}项目"
        if name not in used:
            used.add(name)
            return name, f"{rng.choice(_INVESTOR_PLACES)}{stem}{_COMPANY_SUFFIX[chain]}"
    name = f"{rng.choice(_COMPANY_STEMS)}{rng.choice(_CHAIN_PRODUCTS[chain])}项目（{index}期）"
    used.add(name)
    return name, f"{rng.choice(_COMPANY_STEMS)}{_COMPANY_SUFFIX[chain]}"


def _projects(desk: Desk, rng: random.Random, as_of: _dt.date, size: DemoSize, report) -> None:
    db = desk.db
    chains = list(PARK["leading_industries"]) + ["其他"]
    used: set[str] = set()
    stages = []
    for stage, share in _STAGE_MIX:
        stages += [stage] * max(2, round(size.projects * share))
    stages = (stages + [catalog.STAGE_STARTED] * size.projects)[: size.projects]
    rng.shuffle(stages)
    now = _dt.datetime.combine(as_of, _dt.time(9, 0)).isoformat(timespec="seconds")
    span_days = max(365 * 3, 365 * min(size.history_years, 8))
    proj_rows, hist_rows, dispatch_rows, node_rows, problem_rows = [], [], [], [], []
    for idx, stage in enumerate(stages, start=1):
        chain = rng.choices(chains, weights=(4, 4, 3, 1))[0]
        name, investor = _project_name(rng, chain, used, idx)
        ptype = "基础设施" if name.endswith(("配套道路项目", "标准化厂房项目")) else (
            "服务业" if "物流" in name else "工业")
        total = round(rng.choice((3000, 5000, 8000, 12000, 15000, 20000, 30000, 50000, 80000, 120000))
                      * rng.uniform(0.8, 1.25), -1)
        # Walk the stages backwards from "now" so the last one is recent.
        reached = _ORDER.index(stage) if stage != catalog.STAGE_TERMINATED else rng.randint(1, 3)
        gaps = [rng.randint(20, 120), rng.randint(30, 150), rng.randint(30, 200), rng.randint(*size.build_days),
                rng.randint(60, 180)]
        # About half of the projects reached their stage this year, so the
        # period has signings, starts and productions to report.
        this_year_days = max(6, (as_of - _dt.date(as_of.year, 1, 1)).days)
        longest = {0: 400, 1: 400, 2: 500, 3: 600}.get(reached, span_days)
        if stage in _ACTIVE_STAGES and rng.random() < 0.85:
            # Most active projects moved within the stall threshold (180 days); a few are stuck.
            back = rng.randint(5, min(170, this_year_days))
        elif rng.random() < 0.5:
            back = rng.randint(5, this_year_days)
        else:
            back = rng.randint(min(this_year_days, longest - 1), longest)
        last = as_of - _dt.timedelta(days=back)
        dates = {reached: last}
        for s in range(reached - 1, -1, -1):
            dates[s] = dates[s + 1] - _dt.timedelta(days=gaps[s])
        stage_dates = {_ORDER[s]: d for s, d in dates.items()}
        term_on = None
        if stage == catalog.STAGE_TERMINATED:
            term_on = last + _dt.timedelta(days=rng.randint(30, 200))
            if term_on > as_of:
                term_on = as_of - _dt.timedelta(days=3)
        signed = stage_dates.get(catalog.STAGE_SIGNED)
        started = stage_dates.get(catalog.STAGE_STARTED)
        contract = total if signed else None
        arrived = None
        if started:
            arrived = round(total * rng.uniform(0.3, 1.0 if stage == catalog.STAGE_PRODUCTION else 0.8), -1)
        elif signed:
            arrived = round(total * rng.uniform(0.0, 0.15), -1)
        origin = next((o for place, o in _PLACE_ORIGIN.items() if investor.startswith(place)), "省外")
        level = ("省重点" if total >= 80000 else "市重点" if total >= 30000 else
                 "县区重点" if total >= 10000 else "一般")
        land = round(total / rng.uniform(250, 420), 1) if ptype == "工业" else None
        current_date = term_on or last
        row = {
            "name": name, "investor": investor, "origin": origin, "chain": chain, "project_type": ptype,
            "level": level, "total_investment": total, "contract_investment": contract, "funds_arrived": arrived,
            "foreign_capital": round(rng.uniform(200, 2000), 0) if origin == "境外" else None,
            "land_mu": land, "building_area": round(land * rng.uniform(350, 600), -1) if land else None,
            "expected_output": round(total * rng.uniform(1.2, 2.5), -1) if ptype == "工业" else None,
            "expected_tax": round(total * rng.uniform(0.04, 0.1), -1) if ptype == "工业" else None,
            "leader": rng.choice(_LEADERS), "responsible_unit": rng.choice(_UNITS),
            "contact": f"{rng.choice('赵钱孙李周吴郑王冯陈')}经理 139{rng.randint(10000000, 99999999)}",
            "zone": rng.choice(PARK["zones"]), "notes": "",
            "stage": stage, "stage_changed_on": current_date.isoformat(),
            "termination_reason": rng.choice(("投资方资金链断裂", "不符合园区产业定位", "环评未通过", "企业战略调整"))
            if stage == catalog.STAGE_TERMINATED else "",
            "created_at": now, "updated_at": now,
        }
        for st, d in stage_dates.items():
            row[_STAGE_COLUMN[st]] = d.isoformat()
        if term_on:
            row["terminated_on"] = term_on.isoformat()
        proj_rows.append(row)
        history = [(st, d) for st, d in sorted(stage_dates.items(), key=lambda kv: kv[1])]
        if term_on:
            history.append((catalog.STAGE_TERMINATED, term_on))
        hist_rows.append([(st, d.isoformat()) for st, d in history])
        dispatch_rows.append(_dispatch_plan(rng, total, started, stage_dates.get(catalog.STAGE_PRODUCTION), as_of,
                                            stage))
        node_rows.append(_node_plan(rng, signed, started, stage, as_of))
        problem_rows.append(_problem_plan(rng, started, stage, as_of))
        if size.projects > 1000 and idx % 1000 == 0:
            report("项目台账", 0.3 + 0.5 * idx / len(stages))
    cols = sorted(set().union(*(r.keys() for r in proj_rows)))
    for i, row in enumerate(proj_rows):
        values = [row.get(c) for c in cols]
        cur = db.conn.execute(
            f"INSERT INTO projects ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [v if v is not None or c not in _TEXT_COLUMNS else "" for c, v in zip(cols, values)],
        )
        pid = cur.lastrowid
        db.conn.executemany(
            "INSERT INTO project_stage_history (project_id, stage, changed_on, note, recorded_at) VALUES (?, ?, ?, '', ?)",
            [(pid, st, d, now) for st, d in hist_rows[i]],
        )
        dispatch_ids = {}
        for rec in dispatch_rows[i]:
            c = db.conn.execute(
                "INSERT INTO dispatch_records (project_id, year, month, invested_month, invested_to_date, progress, "
                "approval_project, approval_eia, approval_land, approval_planning, approval_construction, "
                "in_statistics, next_steps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, *rec),
            )
            dispatch_ids[(rec[0], rec[1])] = c.lastrowid
        db.conn.executemany(
            "INSERT INTO project_nodes (project_id, name, planned_on, actual_on, sort_order) VALUES (?, ?, ?, ?, ?)",
            [(pid, *n) for n in node_rows[i]],
        )
        for prob in problem_rows[i]:
            raised = prob[0]
            key = (int(raised[:4]), int(raised[5:7]))
            db.conn.execute(
                "INSERT INTO project_problems (project_id, dispatch_id, raised_on, description, responsible_unit, "
                "deadline, resolved, resolved_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, dispatch_ids.get(key), *prob),
            )


_STAGE_COLUMN = {
    catalog.STAGE_LEAD: "lead_on",
    catalog.STAGE_NEGOTIATING: "negotiating_on",
    catalog.STAGE_SIGNED: "signed_on",
    catalog.STAGE_STARTED: "started_on",
    catalog.STAGE_TRIAL: "trial_on",
    catalog.STAGE_PRODUCTION: "production_on",
}
_TEXT_COLUMNS = {"investor", "origin", "chain", "leader", "responsible_unit", "contact", "zone", "notes",
                 "termination_reason"}


def _months_between(start: _dt.date, end: _dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _dispatch_plan(rng, total, started, production, as_of, stage) -> list[tuple]:
    if not started:
        return []
    last_month_end = as_of.replace(day=1) - _dt.timedelta(days=1)
    end = min(production or last_month_end, last_month_end)
    months = list(_months_between(started, end))
    if not months:
        return []
    if stage in (catalog.STAGE_STARTED, catalog.STAGE_TERMINATED):
        # Still building: the share invested so far follows the months elapsed of an
        # 18–30-month construction, never the whole amount in the first month.
        share = min(0.95, len(months) / rng.randint(18, 30)) * rng.uniform(0.85, 1.0)
    else:
        share = 1.0
    target = total * share
    weights = [rng.uniform(0.5, 1.5) for _ in months]
    wsum = sum(weights)
    out, acc = [], 0.0
    steps = _PROGRESS.get(stage, _PROGRESS[catalog.STAGE_STARTED])
    # Construction-stage approvals are finished within the first few months of building.
    done = lambda k: "已办结" if k >= 2 else "办理中"  # noqa: E731
    for k, ((y, m), w) in enumerate(zip(months, weights)):
        month_amount = round(target * w / wsum, 1)
        acc = round(acc + month_amount, 1)
        frac = (k + 1) / len(months)
        progress = _PROGRESS[catalog.STAGE_STARTED][min(int(frac * share * 6), 5)]
        if k == len(months) - 1 and stage in (catalog.STAGE_TRIAL, catalog.STAGE_PRODUCTION):
            progress = steps[-1]
        out.append((
            y, m, month_amount, acc, progress, "已办结", "已办结", "已办结", done(k), done(k),
            1 if acc >= 5000 or frac > 0.3 else 0,
            rng.choice(("加快主体施工进度", "推进设备采购", "协调解决施工用电", "准备竣工验收", "加快设备安装调试")),
        ))
    return out


def _node_plan(rng, signed, started, stage, as_of) -> list[tuple]:
    if not signed:
        return []
    base = signed
    out = []
    day = base
    for order, node in enumerate(_NODE_NAMES, start=1):
        day = day + _dt.timedelta(days=rng.randint(30, 110))
        planned = day
        actual = None
        if started and node in ("完成土地摘牌", "取得施工许可", "主体开工"):
            actual = min(started, as_of) if node == "主体开工" else min(planned, started)
        elif planned < as_of and stage in (catalog.STAGE_TRIAL, catalog.STAGE_PRODUCTION):
            actual = planned + _dt.timedelta(days=rng.randint(-10, 25))
            if actual > as_of:
                actual = as_of - _dt.timedelta(days=1)
        elif not started and node not in _PRE_CONSTRUCTION_NODES:
            actual = None  # nothing is built before the project has started
        elif planned < as_of and rng.random() < 0.55:
            actual = planned + _dt.timedelta(days=rng.randint(-5, 30))
            if actual > as_of:
                actual = None
        out.append((node, planned.isoformat(), actual.isoformat() if actual else None, order * 10))
    return out


def _problem_plan(rng, started, stage, as_of) -> list[tuple]:
    if not started or stage not in (catalog.STAGE_STARTED, catalog.STAGE_TRIAL, catalog.STAGE_PRODUCTION):
        return []
    out = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        raised = started + _dt.timedelta(days=rng.randint(10, 300))
        if raised >= as_of:
            raised = as_of - _dt.timedelta(days=rng.randint(3, 40))
        if raised < started:
            raised = started
        text, unit = rng.choice(_PROBLEMS)
        deadline = raised + _dt.timedelta(days=rng.randint(15, 60))
        resolved = stage == catalog.STAGE_PRODUCTION or rng.random() < 0.45
        resolved_on = min(deadline + _dt.timedelta(days=rng.randint(-10, 10)), as_of) if resolved else None
        if resolved_on and resolved_on < raised:
            resolved_on = raised
        out.append((raised.isoformat(), text, unit, deadline.isoformat(), int(resolved),
                    resolved_on.isoformat() if resolved_on else None))
    return out


# Indicators a park reports from its own project ledger: this year's figures are
# the ledger's, and the earlier years are scaled to the same size.
_LEDGER_INDICATORS = {"合同引资额": "contract_investment", "引进亿元以上项目数": "signed_over_100m"}
_LEDGER_STAT_INDICATOR = {"signed_over_100m": "引进亿元以上项目数"}


def _tie_indicators_to_ledger(desk: Desk, year: int, month: int) -> None:
    from .project_stats import project_stat

    db = desk.db
    for name, stat in _LEDGER_INDICATORS.items():
        row = db.execute("SELECT id, decimals FROM indicators WHERE name = ?", [name]).fetchone()
        if row is None:
            continue
        ind_id, decimals = row
        ledger = [project_stat(desk, stat, year, month)]
        got = db.execute("SELECT value FROM indicator_values WHERE indicator_id = ? AND year = ? AND month = ?",
                         [ind_id, year, month]).fetchone()
        if not got or not got[0] or not ledger[-1]:
            continue
        ratio = ledger[-1] / got[0]

        def scaled(column: str) -> str:
            return f"{column} = round({column} * :r, :d)"

        params = {"i": ind_id, "r": ratio, "d": decimals, "y": year}
        db.conn.execute(f"UPDATE indicator_values SET {scaled('value')} WHERE indicator_id = :i", params)
        db.conn.execute(f"UPDATE indicator_years SET {scaled('target')}, {scaled('forecast')} "
                        "WHERE indicator_id = :i", params)
        if decimals == 0:  # counts: keep each year's months rising after rounding
            db.conn.execute("UPDATE indicator_values SET value = max(value, coalesce((SELECT max(p.value) FROM "
                            "indicator_values p WHERE p.indicator_id = indicator_values.indicator_id AND "
                            "p.year = indicator_values.year AND p.month < indicator_values.month), 0)) "
                            "WHERE indicator_id = :i", params)
        # The months keep the usual seasonal shape; the latest one is the ledger's figure exactly.
        db.conn.execute("UPDATE indicator_values SET value = ? WHERE indicator_id = ? AND year = ? AND month = ?",
                        [round(ledger[-1], decimals), ind_id, year, month])

    # Fixed-asset investment contains the ledger's construction investment (about 85% of it):
    # scale the whole investment group by one ratio so its composition stays.
    dispatched = db.execute("SELECT sum(invested_month) FROM dispatch_records WHERE year = ? AND month <= ?",
                            [year, month]).fetchone()[0]
    fai = db.execute("SELECT v.value FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id "
                     "WHERE i.name = '固定资产投资' AND v.year = ? AND v.month = ?", [year, month]).fetchone()
    if dispatched and fai and fai[0]:
        params = {"r": dispatched / 10000 / 0.85 / fai[0]}
        for name in _INVESTMENT_GROUP:
            db.conn.execute("UPDATE indicator_years SET target = round(target * :r, 2), forecast = round(forecast * :r, 2) "
                            "WHERE indicator_id = (SELECT id FROM indicators WHERE name = :n)", {**params, "n": name})
            db.conn.execute("UPDATE indicator_values SET value = round(value * :r, 2) "
                            "WHERE indicator_id = (SELECT id FROM indicators WHERE name = :n)", {**params, "n": name})


_INVESTMENT_GROUP = ("固定资产投资", "工业投资", "技改投资", "基础设施投资")


# --- activities --------------------------------------------------------------------------
def _activities(desk: Desk, rng: random.Random, as_of: _dt.date, size: DemoSize) -> None:
    db = desk.db
    year = as_of.year
    first = year - (1 if size.activities_per_year < 100 else min(size.history_years, 27))
    project_ids = [r[0] for r in db.execute(
        "SELECT id FROM projects WHERE stage IN ('在谈', '已签约', '线索') ORDER BY id")]
    rows, links = [], []
    for y in range(first, year + 1):
        end = as_of if y == year else _dt.date(y, 12, 31)
        n = size.activities_per_year if y < year else math.ceil(size.activities_per_year * (end.timetuple().tm_yday / 365))
        for _ in range(n):
            day = _dt.date(y, 1, 1) + _dt.timedelta(days=rng.randint(0, (end - _dt.date(y, 1, 1)).days))
            kind = rng.choices(catalog.ACTIVITY_TYPES, weights=(3, 4, 3, 1))[0]
            leader = rng.choice(_LEADERS)
            if kind == "外出招商":
                city = rng.choice(_CITIES_OUT)
                row = (day.isoformat(), kind, f"赴{city}开展产业链招商", city, leader, rng.randint(2, 5),
                       rng.randint(3, 8), 0, rng.randint(1, 4))
            elif kind == "接待客商":
                row = (day.isoformat(), kind, "接待客商来园考察", "园区", leader, 1, 0, 1, rng.randint(0, 2))
            elif kind == "拜访企业":
                city = rng.choice(_CITIES_OUT + ("本地",))
                row = (day.isoformat(), kind, "走访重点企业", city, leader, 1, rng.randint(1, 4), 0, rng.randint(0, 2))
            else:
                city = rng.choice(("深圳", "上海", "长沙", "武汉"))
                row = (day.isoformat(), kind, f"{city}产业招商推介会", city, leader, rng.randint(1, 3),
                       rng.randint(5, 15), 0, rng.randint(2, 6))
            rows.append(row)
    rows.sort()
    for row in rows:
        cur = db.conn.execute(
            "INSERT INTO activities (held_on, activity_type, title, place, leader, days, companies_visited, "
            "delegations_received, leads_collected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        if project_ids and rng.random() < 0.3:
            links.append((cur.lastrowid, rng.choice(project_ids)))
    db.conn.executemany("INSERT OR IGNORE INTO activity_projects (activity_id, project_id) VALUES (?, ?)", links)


# --- plans -----------------------------------------------------------------------------------
def _plans(desk: Desk, year: int, month: int) -> None:
    from .project_stats import project_stat

    db = desk.db
    ind_ids = {i.name: i.id for i in desk.indicators.list()}
    last = {
        name: db.execute(
            "SELECT value FROM indicator_values WHERE indicator_id = ? AND year = ? AND month = 12",
            [ind_ids[name], year - 1],
        ).fetchone()
        for name in ("技工贸总收入", "规模工业增加值", "税收收入", "固定资产投资")
    }

    def target(name: str, growth: float, y: int) -> float:
        base = last[name][0] if last[name] else BASE[name]
        factor = (1 + growth / 100) ** (y - year + 1)
        return round(base * factor, 0 if name == "税收收入" else 1)

    def stat_target(stat: str, is_next: bool) -> int:
        # The year's pace so far, a little short of it (work is left to do), one more next year.
        so_far = project_stat(desk, stat, year, month)
        return max(2, round(so_far * 12 / month * 0.95)) + (2 if is_next else 0)

    period_end = _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)
    for y, is_next in ((year, False), (year + 1, True)):
        started_goal = stat_target("started", is_next)
        signed_goal = stat_target("signed_over_100m", is_next)
        plan = [
            ("坚持锻长处、补短板，大力开展“六大行动”", [
                ("加快项目建设", f"促进落地项目早开工，在建项目早投产，全年新开工项目{started_goal}个以上。",
                 ("project_stat", "started", started_goal), "项目建设局", "刘卫东", 12),
                ("强化招大引强", f"紧盯食品加工和电子信息头部企业，引进亿元以上项目{signed_goal}个以上。",
                 ("project_stat", "signed_over_100m", signed_goal), "招商一局", "王建国", 12),
                ("完善基础配套", "加快园区道路、供水、供电、污水管网等配套工程建设。", None, "规划建设局", "陈晓峰", 10),
                ("提升产业品牌", "引导企业使用区域公共品牌，推出2—3个示范产品。", None, "经济发展局", "杨立新", 9),
            ]),
            ("坚持查漏洞、破难题，稳步实施“两头攻坚”", [
                ("开展“僵尸企业”清理攻坚", "对闲置厂房、欠缴租金企业依法解除合同，实现“腾笼换鸟”。", None,
                 "企业服务中心", "张志强", 6),
                ("实施“五好园区”创建攻坚", "推进赋权审批，实行“小管委会+大公司”管理模式。", None,
                 "党政办公室", "李明华", 11),
            ]),
            ("坚持强管理、促规范，持续推进“四轮驱动”", [
                ("强化目标导向", "完成技工贸总收入目标任务。",
                 ("indicator", "技工贸总收入", target("技工贸总收入", 10, y)), "经济发展局", "李明华", 12),
                ("稳定工业增长", "完成规模工业增加值目标任务。",
                 ("indicator", "规模工业增加值", target("规模工业增加值", 8, y)), "经济发展局", "李明华", 12),
                ("壮大财税收入", "全年完成税收目标任务。",
                 ("indicator", "税收收入", target("税收收入", 7, y)), "财政所", "张志强", 12),
                ("扩大有效投资", "完成固定资产投资目标任务。",
                 ("indicator", "固定资产投资", target("固定资产投资", 8, y)), "项目建设局", "刘卫东", 12),
                ("选优配强人才队伍", "面向社会公开招聘专业招商人员和职业经理人。", None, "党政办公室", "杨立新", 8),
            ]),
        ]
        for s_order, (title, items) in enumerate(plan, start=1):
            sid = db.conn.execute(
                "INSERT INTO plan_sections (year, title, sort_order) VALUES (?, ?, ?)", (y, title, s_order * 10)
            ).lastrowid
            for i_order, (ititle, content, tgt, owner, leader, deadline_month) in enumerate(items, start=1):
                kind = stat = ind_id = value = None
                target_text = ""
                if tgt:
                    kind, ref, value = tgt
                    if kind == "indicator":
                        ind_id = ind_ids[ref]
                        unit = desk.indicators.get(ind_id).unit
                        target_text = f"{ref}≥{value:g}{unit}"
                    else:
                        stat = ref
                        label, unit = catalog.PROJECT_STATS[ref]
                        target_text = f"{label}≥{value:g}{unit}"
                deadline = _dt.date(y, deadline_month, 28 if deadline_month == 2 else 30 if deadline_month != 12 else 31)
                status, pct = ("未开始", None) if is_next else _status_for(deadline, period_end, i_order)
                cur = db.conn.execute(
                    "INSERT INTO plan_items (section_id, title, content, target_text, target_kind, "
                    "target_indicator_id, target_stat, target_value, owner_department, leader, deadline, status, "
                    "progress_pct, sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (sid, ititle, content, target_text, kind, ind_id, stat, value, owner, leader,
                     deadline.isoformat(), status, pct, i_order * 10),
                )
                if not is_next and status != "未开始":
                    db.conn.execute(
                        "INSERT INTO plan_progress_notes (item_id, noted_on, text) VALUES (?, ?, ?)",
                        (cur.lastrowid, _dt.date(year, max(1, min(deadline_month, 9)), 15).isoformat(),
                         "已召开专题推进会，明确责任分工和时间节点。"),
                    )
                if stat in _LEDGER_STAT_INDICATOR:  # the same goal as the indicator's 年度目标
                    ind_id = ind_ids[_LEDGER_STAT_INDICATOR[stat]]
                if ind_id:  # the plan's target is the indicator's 年度目标, next year's too
                    db.conn.execute(
                        "INSERT INTO indicator_years (indicator_id, year, target) VALUES (?, ?, ?) "
                        "ON CONFLICT(indicator_id, year) DO UPDATE SET target = excluded.target",
                        (ind_id, y, value),
                    )


def _status_for(deadline: _dt.date, period_end: _dt.date, order: int) -> tuple[str, float | None]:
    """Most work due by the end of the period is done; one in three of the rest lags."""
    if deadline <= period_end and order % 4:
        return "已完成", 100.0
    return ("推进中", 55.0 + order * 5) if order % 3 else ("滞后", 35.0)


def describe(desk: Desk) -> str:
    """One line saying what the demo holds (printed by the CLI)."""
    db = desk.db
    n_proj = db.execute("SELECT count(*) FROM projects").fetchone()[0]
    n_vals = db.execute("SELECT count(*) FROM indicator_values").fetchone()[0]
    n_act = db.execute("SELECT count(*) FROM activities").fetchone()[0]
    n_items = db.execute("SELECT count(*) FROM plan_items").fetchone()[0]
    years = db.execute("SELECT min(year), max(year) FROM indicator_values").fetchone()
    return (f"{desk.park.profile().name}：{years[0]}—{years[1]}年指标数据 {n_vals} 条，项目 {n_proj} 个，"
            f"招商活动 {n_act} 次，工作计划事项 {n_items} 项")


__all__ = ["create_demo", "describe", "periods", "SIZES"]
