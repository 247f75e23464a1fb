"""Reading figures as clerks type them, and writing them as reports say them.

Used alike by the report, the UI and the command line, so that "12.35亿元",
"同比下降2.1%" and "提高0.8个百分点" are spelled in one place.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .catalog import UNITS, canonical_unit
from .errors import UnitError, ValidationError

# Full-width digits and signs as typed with a Chinese input method.
_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．，－＋％　−–—",
    "0123456789.,-+% ---",
)
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_QUANTITY_RE = re.compile(r"^([+-]?[\d.,eE+-]+)\s*(.*)$")
MAX_ABS_VALUE = 1e15  # larger than any park figure; guards against typos and junk


def _clean(text: str) -> str:
    s = str(text).translate(_FULLWIDTH).strip()
    s = s.replace("\u00a0", "").replace(" ", "")
    for prefix in ("约", "近", "超"):
        if s.startswith(prefix):
            s = s[len(prefix):]
    return s


def parse_number(text, *, allow_percent: bool = True) -> float | None:
    """Parse a number typed or pasted by a clerk.

    Accepts full-width digits, thousands separators (``1,234.5`` / ``1，234.5``),
    a trailing ``%`` and a leading ``约``. Returns None for an empty cell.

    :raises ValidationError: when the text is not a finite number.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValidationError("不是数字")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        s = _clean(text)
        if s in ("", "-", "—", "--", "/"):
            return None
        if allow_percent and s.endswith("%"):
            s = s[:-1]
        s = s.replace(",", "")
        if not _NUMBER_RE.match(s):
            raise ValidationError(f"“{str(text).strip()[:30]}”不是有效的数字")
        value = float(s)
    if not math.isfinite(value):
        raise ValidationError("数值无效（无穷大或非数字）")
    if abs(value) > MAX_ABS_VALUE:
        raise ValidationError(f"数值过大：{text}")
    return value


def parse_quantity(text) -> tuple[float | None, str | None]:
    """Parse "17100万元" into (17100.0, "万元"); a bare number has unit None.

    :raises ValidationError: when the number part is not a number.
    :raises UnitError: when the unit part is not a known unit.
    """
    if text is None:
        return None, None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return parse_number(text), None
    s = _clean(text)
    m = _QUANTITY_RE.match(s)
    if not m or not m.group(2):
        return parse_number(text), None
    unit = canonical_unit(m.group(2))
    if unit is None:
        raise UnitError(f"无法识别的计量单位“{m.group(2)}”")
    return parse_number(m.group(1)), unit


def convert(value: float | None, from_unit: str | None, to_unit: str) -> float | None:
    """Convert a value between units of the same kind (万元 → 亿元, 户 → 家 ...).

    :raises UnitError: when the units measure different things.
    """
    if value is None:
        return None
    src = canonical_unit(from_unit) if from_unit else to_unit
    dst = canonical_unit(to_unit)
    if src is None:
        raise UnitError(f"无法识别的计量单位“{from_unit}”")
    if dst is None:
        raise UnitError(f"无法识别的计量单位“{to_unit}”")
    if src == dst:
        return value
    a, b = UNITS[src], UNITS[dst]
    if a.dimension != b.dimension:
        raise UnitError(f"计量单位“{from_unit}”不能换算为“{to_unit}”")
    return value * a.factor / b.factor


# Spellings of the parts of compound units (吨标煤/万元 → 吨标准煤 per 万元).
_UNIT_PARTS = {"吨标煤": "吨标准煤", "吨标准煤": "吨标准煤", "公斤标准煤": "千克标准煤", "kgce": "千克标准煤",
               "tce": "吨标准煤"}
_UNIT_PART_FACTORS = {("千克标准煤", "吨标准煤"): 1e-3, ("吨标准煤", "千克标准煤"): 1e3}


def _unit_parts(unit: str) -> tuple[str, str | None]:
    text = canonical_unit(unit) or "".join(str(unit).split()).replace("每", "/")
    num, _, den = text.partition("/")
    return num, (den or None)


def _part_factor(src: str, dst: str) -> float:
    src, dst = _UNIT_PARTS.get(src, canonical_unit(src) or src), _UNIT_PARTS.get(dst, canonical_unit(dst) or dst)
    if src == dst:
        return 1.0
    if (src, dst) in _UNIT_PART_FACTORS:
        return _UNIT_PART_FACTORS[src, dst]
    return convert(1.0, src, dst)


def convert_units(value: float | None, from_unit: str | None, to_unit: str) -> float | None:
    """Like :func:`convert`, and for compound units (万元/亩, 吨标准煤/万元) too.

    Each part converts (3000 元/亩 → 0.3 万元/亩), and a unit without the
    "per" part is read as per the target's (亩均税收 "30万元" → 30 万元/亩).

    :raises UnitError: when the units measure different things.
    """
    if value is None or not from_unit:
        return value
    try:
        return convert(value, from_unit, to_unit)
    except UnitError:
        pass
    (src_num, src_den), (dst_num, dst_den) = _unit_parts(from_unit), _unit_parts(to_unit)
    try:
        if dst_den is None:
            raise UnitError("")
        return value * _part_factor(src_num, dst_num) / _part_factor(src_den or dst_den, dst_den)
    except UnitError:
        raise UnitError(f"计量单位“{from_unit}”不能换算为“{to_unit}”") from None


# --- rounding and plain formatting ---------------------------------------------
def round_half_up(value: float, decimals: int) -> Decimal:
    """Round as statistics offices do (2.25 → 2.3), without float artefacts."""
    try:
        q = Decimal(1).scaleb(-decimals) if decimals > 0 else Decimal(1)
        return Decimal(repr(float(value))).quantize(q, rounding=ROUND_HALF_UP)
    except InvalidOperation:  # pragma: no cover - guarded by callers
        return Decimal(0)


def fmt(value: float | None, decimals: int = 2, *, dash: str = "—", grouping: bool = False) -> str:
    """Format a number with fixed decimals; None becomes a dash."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return dash
    d = round_half_up(value, decimals)
    if d == 0:
        d = abs(d)  # never "-0.0"
    return f"{d:,.{decimals}f}" if grouping else f"{d:.{decimals}f}"


# --- amounts in report idiom ------------------------------------------------------
_MONEY = {"cny": ("万元", "亿元"), "usd": ("万美元", "亿美元")}


def amount_text(value: float | None, unit: str, decimals: int = 2, *, trim: bool = False) -> str:
    """Say an amount the way reports do: 141.76亿元, 8560万元, 3.20亿美元, 12家.

    Money is said in 亿 when it reaches one 亿 and in 万 below it, whatever unit
    it is stored in. ``trim`` drops trailing zeros (a target of "193亿元", not
    "193.00亿元"); figures in one sentence keep the default fixed precision.
    """
    if value is None:
        return "—"
    u = canonical_unit(unit) or unit
    info = UNITS.get(u)
    number = _trimmed if trim else fmt
    if info and info.dimension in _MONEY:
        wan_unit, yi_unit = _MONEY[info.dimension]
        base = value * info.factor
        if base == 0:
            return f"0{wan_unit}"  # "0万元", not "0.00万元"
        # 亿 or 万 (and the 万's decimals) are chosen on the ROUNDED figure: 9999.996万元
        # prints as 1.00亿元, never as "10000万元"; 99.999万元 as "100万元".
        wan = float(round_half_up(base / 1e4, 2))
        if abs(wan) >= 100:
            wan = float(round_half_up(wan, 0))
        if abs(wan) >= 1e4:
            return f"{number(base / 1e8, 2)}{yi_unit}"
        return f"{number(wan, 0 if abs(wan) >= 100 else 2)}{wan_unit}"
    if u in ("%",):
        return f"{number(value, decimals)}%"
    return f"{number(value, decimals)}{u}"


def _trimmed(value: float, decimals: int) -> str:
    text = fmt(value, decimals)
    return text.rstrip("0").rstrip(".") if "." in text else text


def growth_text(pct: float | None, decimals: int = 1, *, prefix: str = "同比") -> str:
    """"同比增长8.6%" / "同比下降2.1%" / "与上年同期持平" — never "增长-2.1%"."""
    if pct is None:
        return ""
    d = round_half_up(pct, decimals)
    if d == 0:
        return "与上年同期持平" if prefix == "同比" else "持平"
    word = "增长" if d > 0 else "下降"
    return f"{prefix}{word}{fmt(abs(float(d)), decimals)}%"


# Units of things counted one by one: a change in them is said in the unit, not in %.
COUNT_UNITS = frozenset("个家户项起批次场条座件台套人")


def is_count_unit(unit: str | None) -> bool:
    """True for units of things counted one by one (个, 家, 户, 项, 起 ...)."""
    u = canonical_unit(unit) if unit else None
    return (u or unit or "") in COUNT_UNITS


def count_change_text(diff: float | None, unit: str = "个", *, prefix: str = "同比") -> str:
    """A change of a count: "同比增加3个" / "同比减少2个" / "与上年同期持平" ("" unknown).

    Seed reports say "新投产……项目X个，同比增加X个", never "同比下降9.5%" of 21 projects.
    """
    if diff is None:
        return ""
    d = round_half_up(diff, 0)
    if d == 0:
        return "与上年同期持平" if prefix == "同比" else f"{prefix}持平"
    word = "增加" if d > 0 else "减少"
    return f"{prefix}{word}{abs(int(d))}{unit}"


def points_text(diff: float | None, decimals: int = 1, *, prefix: str = "") -> str:
    """A change of a rate: "提高0.8个百分点" / "下降0.8个百分点" / "持平"."""
    if diff is None:
        return ""
    d = round_half_up(diff, decimals)
    if d == 0:
        return f"{prefix}持平"
    word = "提高" if d > 0 else "下降"
    return f"{prefix}{word}{fmt(abs(float(d)), decimals)}个百分点"


def progress_gap_text(gap_pts: float | None, decimals: int = 1) -> str:
    """Target progress against 时序进度: "超时序进度1.5个百分点"."""
    if gap_pts is None:
        return ""
    d = round_half_up(gap_pts, decimals)
    if d == 0:
        return "与时序进度持平"
    word = "超" if d > 0 else "低于"
    return f"{word}时序进度{fmt(abs(float(d)), decimals)}个百分点"


# --- dates and periods ---------------------------------------------------------------
def month_range(through: int) -> str:
    """"1—8月" (with a 一字线), or "1月" for January."""
    if through <= 1:
        return "1月"
    return f"1—{through}月"


def date_cn(day: _dt.date | str) -> str:
    """"2026年12月20日" in Arabic numerals, as GB/T 9704 asks."""
    if isinstance(day, str):
        day = _dt.date.fromisoformat(day[:10])
    return f"{day.year}年{day.month}月{day.day}日"


def parse_date(text) -> _dt.date | None:
    """Parse a date as clerks write it (2026-03-05, 2026/3/5, 2026.3.5, 2026年3月5日).

    :raises ValidationError: when the text is not a date.
    """
    if text is None:
        return None
    if isinstance(text, _dt.datetime):
        return text.date()
    if isinstance(text, _dt.date):
        return text
    s = _clean(str(text))
    if not s:
        return None
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$", s)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    m = re.match(r"^(\d{4})(\d{2})(\d{2})$", s)
    if m:
        try:
            return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    raise ValidationError(f"“{str(text)[:30]}”不是有效的日期（例如 2026-03-05）")


_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """Chinese numeral for heading numbers: 1 → 一, 12 → 十二, 21 → 二十一."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CN_DIGITS[tens] + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def heading_number(level: int, n: int) -> str:
    """Numbering of the four heading levels: 一、 / （一） / 1. / （1）."""
    if level == 1:
        return f"{cn_number(n)}、"
    if level == 2:
        return f"（{cn_number(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def enumerate_names(names: list[str], total: int | None = None, limit: int = 5) -> str:
    """"A、B、C等10个" for "已建成投产A、B、C等10个项目"; "A、B共2个" when all are named."""
    total = len(names) if total is None else total
    shown = [n for n in names[:limit] if n]
    if not shown:
        return f"{total}个"
    if total > len(shown):
        return f"{'、'.join(shown)}等{total}个"
    if total == 1:
        return f"{shown[0]}1个"
    return f"{'、'.join(shown)}共{total}个"


def names_phrase(verb: str, names: list[str], total: int | None = None, *, noun: str = "项目",
                 limit: int = 3) -> str:
    """"新开工A、B、C等5个项目" / "新开工A、B共2个项目" / "新开工A" ("" when there are none).

    ``names`` are in report order (largest first); at most ``limit`` are named.
    A single project is named on its own: its name already says 项目.
    """
    total = len(names) if total is None else total
    if total <= 0:
        return ""
    shown = [n for n in names if n]
    if total == 1 and shown:
        name = shown[0]
        return f"{verb}{name}" if name.endswith(noun) else f"{verb}{name}{noun}"
    return f"{verb}{enumerate_names(shown, total, limit)}{noun}"
