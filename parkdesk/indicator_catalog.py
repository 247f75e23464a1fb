"""Editing the indicator catalog: add, edit, retire, delete (DESIGN.md 2.2).

Mixed into :class:`parkdesk.indicators.IndicatorManager`, so the calls are
``desk.indicators.save(...)``, ``.retire(...)``, ``.delete(...)``.
Names and aliases are unique across the catalog; an indicator that holds
data is never deleted, only retired.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import re

from .catalog import GROWTH_ONLY, KINDS, RATE, canonical_unit
from .errors import UnitError, ValidationError
from .numbers import convert

_NAME_NOISE = re.compile(r"[\s“”\"'‘’「」（）()]")


def normalize_name(text: str) -> str:
    """Key used to match names from statistics sheets: no spaces, quotes or brackets."""
    return _NAME_NOISE.sub("", str(text)).replace("　", "")


def clean_indicator(ind):
    """A copy of ``ind`` with trimmed texts and checked fields.

    :raises ValidationError: for an empty name, unknown kind, bad decimals or limits.
    """
    name = " ".join(str(ind.name or "").split())
    if not name:
        raise ValidationError("指标名称不能为空")
    if len(name) > 40:
        raise ValidationError("指标名称过长（最多 40 字）")
    unit = "".join(str(ind.unit or "").split())
    if not unit:
        raise ValidationError("计量单位不能为空")
    unit = canonical_unit(unit) or unit
    if len(unit) > 12:
        raise ValidationError("计量单位过长（最多 12 字）")
    category = "".join(str(ind.category or "").split())
    if not category:
        raise ValidationError("类别不能为空")
    if ind.kind not in KINDS:
        raise ValidationError(f"未知的指标类型“{ind.kind}”")
    if ind.direction not in (1, -1):
        raise ValidationError("方向应为“越高越好”或“越低越好”")
    if not isinstance(ind.decimals, int) or not 0 <= ind.decimals <= 6:
        raise ValidationError("小数位数应为 0—6")
    if not isinstance(ind.growth_decimals, int) or not 0 <= ind.growth_decimals <= 4:
        raise ValidationError("增速小数位数应为 0—4")
    vmin, vmax = ind.min_value, ind.max_value
    if vmin is not None and vmax is not None and vmin > vmax:
        raise ValidationError(f"最小值 {vmin:g} 大于最大值 {vmax:g}")
    key = normalize_name(name)
    aliases: list[str] = []
    seen = {key}
    for alias in ind.aliases:
        alias = " ".join(str(alias).split())
        akey = normalize_name(alias)
        if not akey or akey in seen:
            continue
        if len(alias) > 60:
            raise ValidationError(f"别名“{alias[:20]}…”过长")
        seen.add(akey)
        aliases.append(alias)
    description = str(ind.description or "").strip()
    if len(description) > 500:
        raise ValidationError("说明过长（最多 500 字）")
    return dataclasses.replace(
        ind, name=name, unit=unit, category=category, nominal_growth=bool(ind.nominal_growth),
        description=description, in_report=bool(ind.in_report), aliases=aliases,
    )


def split_aliases(text: str) -> list[str]:
    """Aliases typed in one box, separated by 、，, ; or new lines."""
    return [a for a in re.split(r"[、，,;；\n]+", str(text or "")) if a.strip()]



class CatalogEditing:
    """Catalog changes; expects ``self._desk``, ``self._db`` and ``self.get`` of the manager."""

    def save(self, indicator):
        """Add (``id`` None) or update an indicator of the catalog.

        Names and aliases must be unique across the whole catalog. Changing the
        unit of an indicator with data converts its stored figures (万元 → 亿元)
        or, when the units measure different things, is refused.
        :raises ValidationError: with a message naming the problem.
        """
        ind = clean_indicator(indicator)
        with self._desk.atomic():
            self._check_names(ind)
            columns = {
                "name": ind.name, "unit": ind.unit, "category": ind.category, "kind": ind.kind,
                "decimals": ind.decimals, "growth_decimals": ind.growth_decimals,
                "direction": ind.direction, "nominal_growth": int(ind.nominal_growth),
                "min_value": ind.min_value, "max_value": ind.max_value,
                "description": ind.description, "in_report": int(ind.in_report),
            }
            if ind.id is None:
                columns["sort_order"] = ind.sort_order or self._db.execute(
                    "SELECT coalesce(max(sort_order), 0) + 10 FROM indicators"
                ).fetchone()[0]
                cur = self._db.execute(
                    f"INSERT INTO indicators ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
                    list(columns.values()),
                )
                ind_id = cur.lastrowid
            else:
                ind_id = ind.id
                old = self.get(ind_id)
                factor = self._unit_factor(old, ind)
                if factor is not None and factor != 1.0:
                    self._scale_figures(ind_id, factor)
                    # Limits the clerk left alone were in the old unit.
                    if ind.min_value is not None and ind.min_value == old.min_value:
                        columns["min_value"] = ind.min_value * factor
                    if ind.max_value is not None and ind.max_value == old.max_value:
                        columns["max_value"] = ind.max_value * factor
                self._check_kind_change(old, ind)
                sets = ", ".join(f"{c} = ?" for c in columns)
                self._db.execute(f"UPDATE indicators SET {sets} WHERE id = ?", [*columns.values(), ind_id])
                self._check_limits(ind_id, columns["min_value"], columns["max_value"], ind.unit)
            self._replace_aliases(ind_id, ind.aliases)
        return self.get(ind_id)

    def usage(self, indicator_id: int) -> dict[str, int]:
        """How much data refers to an indicator: month rows, year rows, plan items."""
        db = self._db
        return {
            "values": db.execute(
                "SELECT count(*) FROM indicator_values WHERE indicator_id = ?", [indicator_id]
            ).fetchone()[0],
            "years": db.execute(
                "SELECT count(*) FROM indicator_years WHERE indicator_id = ?", [indicator_id]
            ).fetchone()[0],
            "plan_items": db.execute(
                "SELECT count(*) FROM plan_items WHERE target_indicator_id = ?", [indicator_id]
            ).fetchone()[0],
        }

    def retire(self, indicator_id: int, retired: bool = True) -> None:
        """Hide an indicator from entry and reports, keeping all its data (``retired=False`` restores it)."""
        self.get(indicator_id)
        with self._desk.atomic():
            self._db.execute("UPDATE indicators SET retired = ? WHERE id = ?", [int(retired), indicator_id])

    def delete(self, indicator_id: int) -> None:
        """Delete an indicator that has never held data.

        :raises ValidationError: when figures or plan items refer to it (retire it instead).
        """
        ind = self.get(indicator_id)
        used = self.usage(indicator_id)
        if any(used.values()):
            parts = []
            if used["values"]:
                parts.append(f"{used['values']} 个月的数据")
            if used["years"]:
                parts.append(f"{used['years']} 个年度的目标或预计")
            if used["plan_items"]:
                parts.append(f"{used['plan_items']} 项工作计划")
            raise ValidationError(f"“{ind.name}”已有{'、'.join(parts)}，不能删除；不再使用时请“停用”。")
        with self._desk.atomic():
            self._db.execute("DELETE FROM indicator_aliases WHERE indicator_id = ?", [indicator_id])
            self._db.execute("DELETE FROM indicators WHERE id = ?", [indicator_id])

    def _check_names(self, ind) -> None:
        owners: dict[str, tuple[int, str]] = {}
        for other_id, alias in self._db.execute("SELECT indicator_id, alias FROM indicator_aliases"):
            owners.setdefault(normalize_name(alias), (other_id, alias))
        names = dict(self._db.execute("SELECT id, name FROM indicators").fetchall())
        for other_id, name in names.items():
            owners[normalize_name(name)] = (other_id, name)
        for text in [ind.name, *ind.aliases]:
            owner = owners.get(normalize_name(text))
            if owner is not None and owner[0] != ind.id:
                what = "名称" if text == ind.name else "别名"
                raise ValidationError(f"{what}“{text}”已被指标“{names.get(owner[0], owner[1])}”使用")

    def _replace_aliases(self, indicator_id: int, aliases: list[str]) -> None:
        current = {a: i for i, a in self._db.execute(
            "SELECT id, alias FROM indicator_aliases WHERE indicator_id = ?", [indicator_id])}
        for alias, row_id in current.items():
            if alias not in aliases:
                self._db.execute("DELETE FROM indicator_aliases WHERE id = ?", [row_id])
        for alias in aliases:
            if alias not in current:
                self._db.execute(
                    "INSERT INTO indicator_aliases (indicator_id, alias) VALUES (?, ?)", [indicator_id, alias]
                )

    def _has_amounts(self, indicator_id: int) -> bool:
        return bool(self._db.execute(
            "SELECT 1 FROM indicator_values WHERE indicator_id = ? AND (value IS NOT NULL OR prior_value IS NOT NULL) "
            "UNION ALL SELECT 1 FROM indicator_years WHERE indicator_id = ? AND (target IS NOT NULL OR forecast IS NOT NULL) "
            "LIMIT 1", [indicator_id, indicator_id]
        ).fetchone())

    def _unit_factor(self, old, new) -> float | None:
        """Factor that turns stored figures into the new unit; None when nothing needs converting."""
        if normalize_name(old.unit) == normalize_name(new.unit):
            return None
        if not self._has_amounts(old.id):
            return None
        if old.kind == RATE or new.kind == RATE:
            raise ValidationError(f"“{old.name}”已有数据，比率指标不能更改计量单位")
        try:
            return convert(1.0, old.unit, new.unit)
        except UnitError:
            raise ValidationError(
                f"“{old.name}”已有数据，计量单位不能从“{old.unit}”改为“{new.unit}”（二者无法换算）"
            ) from None

    def _scale_figures(self, indicator_id: int, factor: float) -> None:
        db = self._db
        db.execute(
            "UPDATE indicator_values SET value = value * ?, prior_value = prior_value * ? WHERE indicator_id = ?",
            [factor, factor, indicator_id],
        )
        db.execute(
            "UPDATE indicator_years SET target = target * ?, forecast = forecast * ? WHERE indicator_id = ?",
            [factor, factor, indicator_id],
        )
        db.execute(
            "UPDATE plan_items SET target_value = target_value * ? "
            "WHERE target_kind = 'indicator' AND target_indicator_id = ?",
            [factor, indicator_id],
        )

    def _check_kind_change(self, old, new) -> None:
        if new.kind == GROWTH_ONLY and old.kind != GROWTH_ONLY and self._has_amounts(old.id):
            raise ValidationError(f"“{old.name}”已录入数值，不能改为“仅增速”指标")

    def _check_limits(self, indicator_id: int, vmin: float | None, vmax: float | None, unit: str) -> None:
        if vmin is None and vmax is None:
            return
        lo = -1e300 if vmin is None else vmin
        hi = 1e300 if vmax is None else vmax
        row = self._db.execute(
            "SELECT year, month, v FROM ("
            " SELECT year, month, value AS v FROM indicator_values WHERE indicator_id = :i"
            " UNION ALL SELECT year, month, prior_value FROM indicator_values WHERE indicator_id = :i"
            " UNION ALL SELECT year, NULL, target FROM indicator_years WHERE indicator_id = :i"
            " UNION ALL SELECT year, NULL, forecast FROM indicator_years WHERE indicator_id = :i"
            ") WHERE v IS NOT NULL AND (v < :lo OR v > :hi) ORDER BY year, month LIMIT 1",
            {"i": indicator_id, "lo": lo, "hi": hi},
        ).fetchone()
        if row:
            when = f"{row[0]}年{row[1]}月" if row[1] else f"{row[0]}年"
            raise ValidationError(
                f"已有数据超出新的取值范围（例如 {when}：{row[2]:g}{unit}），请先修改数据或放宽范围"
            )



def _now() -> str:
    return _dt.datetime.now().isoformat(timespec="seconds")
