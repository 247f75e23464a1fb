"""Indicator catalog and monthly values (DESIGN.md 2.2).

Values are stored in the indicator's own unit: the cumulative 1—N月 figure for
``cumulative`` indicators, the month-end value for ``stock`` and ``rate`` ones.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from .catalog import CATEGORIES, GROWTH_ONLY, KINDS, RATE, UNITS, canonical_unit
from .errors import UnitError, ValidationError
from .indicator_catalog import CatalogEditing, clean_indicator, normalize_name, split_aliases
from .numbers import convert_units, parse_number, parse_quantity


@dataclass
class Indicator:
    """One indicator of the catalog (``id`` is None before it is first saved)."""

    id: int | None
    name: str
    unit: str
    category: str
    kind: str
    decimals: int = 2
    growth_decimals: int = 1
    direction: int = 1
    nominal_growth: bool = True
    min_value: float | None = None
    max_value: float | None = None
    description: str = ""
    sort_order: int = 0
    builtin: bool = False
    retired: bool = False
    in_report: bool = True
    aliases: list[str] = field(default_factory=list)


@dataclass
class MonthValue:
    """The stored figures of one indicator for one month."""

    indicator_id: int
    year: int
    month: int
    value: float | None
    prior_value: float | None = None
    official_yoy: float | None = None
    note: str = ""


@dataclass
class YearFigures:
    """Yearly target and forecast of one indicator."""

    indicator_id: int
    year: int
    target: float | None = None
    forecast: float | None = None
    forecast_yoy: float | None = None
    note: str = ""


# Fields of indicator_values (per month) and indicator_years (per year).
MONTH_FIELDS = ("value", "prior_value", "official_yoy")
YEAR_FIELDS = ("target", "forecast", "forecast_yoy")
GROWTH_FIELDS = ("official_yoy", "forecast_yoy")
FIELD_LABELS = {
    "value": "数值",
    "prior_value": "上年同期",
    "official_yoy": "官方同比增速",
    "target": "年度目标",
    "forecast": "预计全年",
    "forecast_yoy": "预计增长",
}


@dataclass(frozen=True)
class Cell:
    """One stored figure: a month's value, 上年同期 or official rate, or a year's target or forecast."""

    indicator_id: int
    year: int
    field: str
    month: int | None = None

    def label(self, indicator: "Indicator | None" = None) -> str:
        """"“税收收入”2026年5月数值" — names the cell in messages."""
        who = f"“{indicator.name}”" if indicator is not None else f"指标{self.indicator_id}"
        when = f"{self.year}年{self.month}月" if self.month else f"{self.year}年"
        return f"{who}{when}{FIELD_LABELS.get(self.field, self.field)}"


_COLUMNS = (
    "id, name, unit, category, kind, decimals, growth_decimals, direction, nominal_growth, "
    "min_value, max_value, description, sort_order, builtin, retired, in_report"
)


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


class IndicatorManager(CatalogEditing):
    """Catalog queries and value storage for indicators."""

    def __init__(self, desk):
        self._desk = desk

    @property
    def _db(self):
        return self._desk.db

    # --- catalog -------------------------------------------------------------
    def list(self, *, include_retired: bool = False) -> list[Indicator]:
        """The catalog ordered by category (as in the seeds) and then sort order."""
        where = "" if include_retired else "WHERE retired = 0"
        rows = self._db.execute(f"SELECT {_COLUMNS} FROM indicators {where}").fetchall()
        aliases: dict[int, list[str]] = {}
        for ind_id, alias in self._db.execute(
            "SELECT indicator_id, alias FROM indicator_aliases ORDER BY id"
        ).fetchall():
            aliases.setdefault(ind_id, []).append(alias)
        result = [self._from_row(r, aliases.get(r[0], [])) for r in rows]
        result.sort(key=lambda i: (_category_rank(i.category), i.sort_order, i.id))
        return result

    def get(self, indicator_id: int) -> Indicator:
        row = self._db.execute(f"SELECT {_COLUMNS} FROM indicators WHERE id = ?", [indicator_id]).fetchone()
        if row is None:
            raise ValidationError(f"指标（编号 {indicator_id}）不存在")
        aliases = [
            a for (a,) in self._db.execute(
                "SELECT alias FROM indicator_aliases WHERE indicator_id = ? ORDER BY id", [indicator_id]
            )
        ]
        return self._from_row(row, aliases)

    def by_name(self, name: str) -> Indicator:
        """The indicator with this catalog name or alias.

        :raises ValidationError: when no indicator is known by that name.
        """
        found = self.resolve(name)
        if found is None:
            raise ValidationError(f"未知的指标“{name}”")
        return found

    def resolve(self, name: str) -> Indicator | None:
        """Find an indicator by its name or one of its aliases (spaces, quotes ignored)."""
        key = normalize_name(name)
        if not key:
            return None
        table = self._name_table()
        ind_id = table.get(key)
        return self.get(ind_id) if ind_id is not None else None

    def _name_table(self) -> dict[str, int]:
        table: dict[str, int] = {}
        for ind_id, alias in self._db.execute("SELECT indicator_id, alias FROM indicator_aliases"):
            table[normalize_name(alias)] = ind_id
        for ind_id, name in self._db.execute("SELECT id, name FROM indicators"):
            table[normalize_name(name)] = ind_id  # a catalog name wins over an alias
        return table

    @staticmethod
    def _from_row(row, aliases) -> Indicator:
        (i, name, unit, cat, kind, dec, gdec, direction, nominal, vmin, vmax, desc, order,
         builtin, retired, in_report) = row
        return Indicator(
            id=i, name=name, unit=unit, category=cat, kind=kind, decimals=dec,
            growth_decimals=gdec, direction=direction, nominal_growth=bool(nominal),
            min_value=vmin, max_value=vmax, description=desc, sort_order=order,
            builtin=bool(builtin), retired=bool(retired), in_report=bool(in_report),
            aliases=list(aliases),
        )

    # --- values --------------------------------------------------------------
    def validate_value(self, indicator: Indicator, value: float | None) -> None:
        """Refuse a value the indicator can never take (negative money, > 100 %).

        :raises ValidationError: with a message naming the indicator.
        """
        if value is None:
            return
        if indicator.kind == GROWTH_ONLY:
            raise ValidationError(f"“{indicator.name}”只录入增速，不录入数值")
        if indicator.min_value is not None and value < indicator.min_value:
            raise ValidationError(f"“{indicator.name}”不能小于 {indicator.min_value:g}{indicator.unit}")
        if indicator.max_value is not None and value > indicator.max_value:
            raise ValidationError(f"“{indicator.name}”不能大于 {indicator.max_value:g}{indicator.unit}")

    def set_month(
        self,
        indicator_id: int,
        year: int,
        month: int,
        *,
        value: float | None = ...,  # type: ignore[assignment]
        prior_value: float | None = ...,  # type: ignore[assignment]
        official_yoy: float | None = ...,  # type: ignore[assignment]
        note: str | None = None,
    ) -> None:
        """Store some of the figures of one indicator for one month.

        Arguments left out keep their stored value; ``None`` clears a figure.
        :raises ValidationError: when the value is out of range or the period invalid.
        """
        _check_period(year, month)
        indicator = self.get(indicator_id)
        if value is not ...:
            self.validate_value(indicator, value)
        changes: dict[str, object] = {}
        if value is not ...:
            changes["value"] = value
        if prior_value is not ...:
            changes["prior_value"] = prior_value
        if official_yoy is not ...:
            changes["official_yoy"] = official_yoy
        if note is not None:
            changes["note"] = note
        if not changes:
            return
        changes["updated_at"] = _now()
        cols = ", ".join(changes)
        marks = ", ".join("?" for _ in changes)
        updates = ", ".join(f"{c} = excluded.{c}" for c in changes)
        with self._desk.atomic():
            self._db.execute(
                f"INSERT INTO indicator_values (indicator_id, year, month, {cols}) VALUES (?, ?, ?, {marks}) "
                f"ON CONFLICT(indicator_id, year, month) DO UPDATE SET {updates}",
                [indicator_id, year, month, *changes.values()],
            )

    def month_values(self, year: int) -> dict[tuple[int, int], MonthValue]:
        """All stored figures of a year, keyed by (indicator_id, month)."""
        rows = self._db.execute(
            "SELECT indicator_id, year, month, value, prior_value, official_yoy, note "
            "FROM indicator_values WHERE year = ?",
            [year],
        ).fetchall()
        return {(r[0], r[2]): MonthValue(*r) for r in rows}

    def history(self, indicator_id: int) -> dict[tuple[int, int], MonthValue]:
        """Every stored figure of one indicator, keyed by (year, month)."""
        rows = self._db.execute(
            "SELECT indicator_id, year, month, value, prior_value, official_yoy, note "
            "FROM indicator_values WHERE indicator_id = ? ORDER BY year, month",
            [indicator_id],
        ).fetchall()
        return {(r[1], r[2]): MonthValue(*r) for r in rows}

    def year_figures(self, year: int) -> dict[int, YearFigures]:
        """Targets and forecasts of a year, keyed by indicator id."""
        rows = self._db.execute(
            "SELECT indicator_id, year, target, forecast, forecast_yoy, note FROM indicator_years WHERE year = ?",
            [year],
        ).fetchall()
        return {r[0]: YearFigures(*r) for r in rows}

    def set_year_figures(
        self,
        indicator_id: int,
        year: int,
        *,
        target: float | None = ...,  # type: ignore[assignment]
        forecast: float | None = ...,  # type: ignore[assignment]
        forecast_yoy: float | None = ...,  # type: ignore[assignment]
        note: str | None = None,
    ) -> None:
        """Store the yearly target / forecast; arguments left out keep their value."""
        _check_period(year, 1)
        indicator = self.get(indicator_id)
        changes: dict[str, object] = {}
        for key, val in (("target", target), ("forecast", forecast)):
            if val is not ...:
                self.validate_value(indicator, val)
                changes[key] = val
        if forecast_yoy is not ...:
            changes["forecast_yoy"] = forecast_yoy
        if note is not None:
            changes["note"] = note
        if not changes:
            return
        changes["updated_at"] = _now()
        cols = ", ".join(changes)
        marks = ", ".join("?" for _ in changes)
        updates = ", ".join(f"{c} = excluded.{c}" for c in changes)
        with self._desk.atomic():
            self._db.execute(
                f"INSERT INTO indicator_years (indicator_id, year, {cols}) VALUES (?, ?, {marks}) "
                f"ON CONFLICT(indicator_id, year) DO UPDATE SET {updates}",
                [indicator_id, year, *changes.values()],
            )
            if "target" in changes:
                self.sync_plan_targets(indicator_id, year, changes["target"])

    # --- cells: what the entry grid and its undo write ---------------------------------
    def parse_input(self, indicator: Indicator, field: str, text) -> float | None:
        """Read what a clerk typed or pasted into one cell of ``indicator``.

        Amounts may carry a unit that converts into the indicator's own
        (``17100万元`` into an 亿元 indicator gives 1.71); growth rates may end in %.
        :raises ValidationError: when the text is not a number or the unit does not fit.
        """
        if field in GROWTH_FIELDS or indicator.kind == RATE or (
            indicator.kind == GROWTH_ONLY and field == "value"
        ):
            return parse_number(text)
        number, unit = parse_quantity(text)
        return to_indicator_unit(indicator, number, unit)

    def read_cells(self, cells) -> dict[Cell, float | None]:
        """The stored figure of every cell (None where nothing is stored)."""
        cells = list(cells)
        result: dict[Cell, float | None] = {c: None for c in cells}
        month_years = sorted({c.year for c in cells if c.field in MONTH_FIELDS})
        year_years = sorted({c.year for c in cells if c.field in YEAR_FIELDS})
        month_rows: dict[tuple[int, int, int], tuple] = {}
        for year in month_years:
            for row in self._db.execute(
                "SELECT indicator_id, year, month, value, prior_value, official_yoy "
                "FROM indicator_values WHERE year = ?", [year]
            ):
                month_rows[(row[0], row[1], row[2])] = row[3:]
        year_rows: dict[tuple[int, int], tuple] = {}
        for year in year_years:
            for row in self._db.execute(
                "SELECT indicator_id, year, target, forecast, forecast_yoy FROM indicator_years WHERE year = ?",
                [year],
            ):
                year_rows[(row[0], row[1])] = row[2:]
        for c in cells:
            if c.field in MONTH_FIELDS:
                row = month_rows.get((c.indicator_id, c.year, c.month))
                result[c] = row[MONTH_FIELDS.index(c.field)] if row else None
            elif c.field in YEAR_FIELDS:
                row = year_rows.get((c.indicator_id, c.year))
                result[c] = row[YEAR_FIELDS.index(c.field)] if row else None
        return result

    def validate_cells(self, changes: dict[Cell, float | None]) -> None:
        """Check every change before anything is written.

        :raises ValidationError: naming the first cell that cannot take its value.
        """
        catalog = {i.id: i for i in self.list(include_retired=True)}
        for cell, value in changes.items():
            ind = catalog.get(cell.indicator_id)
            if ind is None:
                raise ValidationError(f"指标（编号 {cell.indicator_id}）不存在")
            if cell.field in MONTH_FIELDS:
                _check_period(cell.year, cell.month)
            elif cell.field in YEAR_FIELDS:
                _check_period(cell.year, 1)
            else:
                raise ValidationError(f"未知的数据项“{cell.field}”")
            try:
                if cell.field in GROWTH_FIELDS:
                    validate_growth(ind, value)
                elif cell.field == "value" and ind.kind == GROWTH_ONLY:
                    raise ValidationError("只录入增速，请在“官方增速”中填写")
                else:
                    self.validate_value(ind, value)
            except ValidationError as exc:
                message = exc.message.replace(f"“{ind.name}”", "")
                raise ValidationError(f"{cell.label(ind)}：{message}") from None

    def write_cells(self, changes: dict[Cell, float | None]) -> int:
        """Write many cells in one transaction (a paste, an undo step).

        ``None`` clears a figure; rows left empty are removed, so undoing an entry
        leaves the tables as they were. A changed 年度目标 also updates the work-plan
        items that target the indicator in that year. Returns the number of cells.
        :raises ValidationError: when any cell is invalid (nothing is written).
        """
        if not changes:
            return 0
        self.validate_cells(changes)
        now = _now()
        with self._desk.atomic():
            for cell, value in changes.items():
                if cell.field in MONTH_FIELDS:
                    self._db.execute(
                        f"INSERT INTO indicator_values (indicator_id, year, month, {cell.field}, updated_at) "
                        f"VALUES (?, ?, ?, ?, ?) ON CONFLICT(indicator_id, year, month) DO UPDATE SET "
                        f"{cell.field} = excluded.{cell.field}, updated_at = excluded.updated_at "
                        f"WHERE {cell.field} IS NOT excluded.{cell.field}",
                        [cell.indicator_id, cell.year, cell.month, value, now],
                    )
                    self._db.execute(
                        "DELETE FROM indicator_values WHERE indicator_id = ? AND year = ? AND month = ? "
                        "AND value IS NULL AND prior_value IS NULL AND official_yoy IS NULL AND note = ''",
                        [cell.indicator_id, cell.year, cell.month],
                    )
                else:
                    self._db.execute(
                        f"INSERT INTO indicator_years (indicator_id, year, {cell.field}, updated_at) "
                        f"VALUES (?, ?, ?, ?) ON CONFLICT(indicator_id, year) DO UPDATE SET "
                        f"{cell.field} = excluded.{cell.field}, updated_at = excluded.updated_at "
                        f"WHERE {cell.field} IS NOT excluded.{cell.field}",
                        [cell.indicator_id, cell.year, value, now],
                    )
                    self._db.execute(
                        "DELETE FROM indicator_years WHERE indicator_id = ? AND year = ? AND target IS NULL "
                        "AND forecast IS NULL AND forecast_yoy IS NULL AND note = ''",
                        [cell.indicator_id, cell.year],
                    )
                    if cell.field == "target":
                        self.sync_plan_targets(cell.indicator_id, cell.year, value)
        return len(changes)

    def sync_plan_targets(self, indicator_id: int, year: int, target: float | None) -> None:
        """Give work-plan items of ``year`` that target the indicator the same 年度目标 (call inside a transaction)."""
        # One source of truth for 年度目标: plan items of that year that target
        # the indicator always carry the same figure and text (the plans manager
        # owns how an item is rewritten; it does the reverse direction too).
        self._desk.plans.indicator_target_changed(indicator_id, year, target)

    def years_with_data(self) -> list[int]:
        return [y for (y,) in self._db.execute("SELECT DISTINCT year FROM indicator_values ORDER BY year")]

    def latest_period(self) -> tuple[int, int] | None:
        """The most recent (year, month) that holds any value."""
        row = self._db.execute(
            "SELECT year, month FROM indicator_values WHERE value IS NOT NULL OR official_yoy IS NOT NULL "
            "ORDER BY year DESC, month DESC LIMIT 1"
        ).fetchone()
        return (row[0], row[1]) if row else None


def to_indicator_unit(indicator: Indicator, value: float | None, unit: str | None) -> float | None:
    """Convert a figure given in ``unit`` into the indicator's unit (empty unit: already in it).

    元/万元/亿元 and 万美元/亿美元 convert; 家 = 户, and 个 is accepted for counts of
    enterprises (statistics sheets write "新增规上企业12个").
    :raises UnitError: when the unit cannot become the indicator's.
    """
    if value is None or unit is None or not str(unit).strip():
        return value
    given = canonical_unit(unit) or "".join(str(unit).split())
    own = canonical_unit(indicator.unit) or "".join(indicator.unit.split())
    if given == own:
        return value
    if given == "个" and own in UNITS and UNITS[own].dimension == "enterprise":
        return value
    if given not in UNITS and "/" not in given:
        raise UnitError(f"无法识别的计量单位“{unit}”")
    try:
        return convert_units(value, given, own)  # also 元/亩 → 万元/亩, and 万元 for a 万元/亩 figure
    except UnitError:
        raise UnitError(f"计量单位“{unit}”不能换算为“{indicator.name}”的单位“{indicator.unit}”") from None


def validate_growth(indicator: Indicator, pct: float | None) -> None:
    """Refuse a growth rate no figure can have (a fall of more than 100%).

    For ``rate`` indicators the figure is a change in 个百分点 and only needs to be finite.
    :raises ValidationError:
    """
    if pct is None or indicator.kind == RATE:
        return
    if pct < -100 and (indicator.min_value is None or indicator.min_value >= 0):
        raise ValidationError(f"增速 {pct:g}% 不可能（降幅不能超过 100%）")


def _check_period(year: int, month: int) -> None:
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise ValidationError(f"年份“{year}”无效")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"月份“{month}”无效（应为 1—12）")


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


__all__ = [
    "Cell", "Indicator", "IndicatorManager", "MonthValue", "YearFigures", "KINDS", "MONTH_FIELDS", "YEAR_FIELDS",
    "clean_indicator", "normalize_name", "split_aliases", "to_indicator_unit", "validate_growth",
]
