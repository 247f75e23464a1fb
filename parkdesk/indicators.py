"""Indicator catalog and monthly values (DESIGN.md 2.2).

Values are stored in the indicator's own unit: the cumulative 1—N月 figure for
``cumulative`` indicators, the month-end value for ``stock`` and ``rate`` ones.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field

from .catalog import CATEGORIES, GROWTH_ONLY, KINDS
from .errors import ValidationError


@dataclass
class Indicator:
    """One indicator of the catalog."""

    id: int
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


_COLUMNS = (
    "id, name, unit, category, kind, decimals, growth_decimals, direction, nominal_growth, "
    "min_value, max_value, description, sort_order, builtin, retired, in_report"
)
_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」（）()]")


def normalize_name(text: str) -> str:
    """Key used to match names from statistics sheets: no spaces, quotes or brackets."""
    return _NAME_NOISE.sub("", str(text)).replace("　", "")


def _category_rank(category: str) -> int:
    return CATEGORIES.index(category) if category in CATEGORIES else len(CATEGORIES)


class IndicatorManager:
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

    def years_with_data(self) -> list[int]:
        return [y for (y,) in self._db.execute("SELECT DISTINCT year FROM indicator_values ORDER BY year")]

    def latest_period(self) -> tuple[int, int] | None:
        """The most recent (year, month) that holds any value."""
        row = self._db.execute(
            "SELECT year, month FROM indicator_values WHERE value IS NOT NULL OR official_yoy IS NOT NULL "
            "ORDER BY year DESC, month DESC LIMIT 1"
        ).fetchone()
        return (row[0], row[1]) if row else None


def _check_period(year: int, month: int) -> None:
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise ValidationError(f"年份“{year}”无效")
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(f"月份“{month}”无效（应为 1—12）")


def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")


__all__ = ["Indicator", "IndicatorManager", "MonthValue", "YearFigures", "KINDS", "normalize_name"]
