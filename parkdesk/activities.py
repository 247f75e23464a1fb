"""Investment-promotion activities (招商活动) and the projects they are linked to.

The methods of :class:`ActivityMixin` belong to ``desk.projects``.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import asdict, dataclass, field, fields

from . import catalog
from .errors import ValidationError
from .numbers import parse_date

OUTBOUND, RECEPTION, VISIT, PROMOTION = catalog.ACTIVITY_TYPES  # 外出招商, 接待客商, 拜访企业, 推介会


@dataclass
class Activity:
    """One activity: a trip, a reception, a visit or a promotion event."""

    id: int | None = None
    held_on: str | None = None
    activity_type: str = OUTBOUND
    title: str = ""
    place: str = ""
    leader: str = ""
    days: int = 1
    companies_visited: int = 0
    delegations_received: int = 0
    leads_collected: int = 0
    companies: str = ""  # names of the companies visited or received
    notes: str = ""
    project_ids: list[int] = field(default_factory=list)
    project_names: list[str] = field(default_factory=list)  # filled when read


_COLUMNS = tuple(f.name for f in fields(Activity) if f.name not in ("project_ids", "project_names"))
_COUNTS = {"days": "天数", "companies_visited": "拜访企业数", "delegations_received": "接待客商批次",
           "leads_collected": "收集线索数"}


def validate_activity(a: Activity) -> None:
    """:raises ValidationError: for a missing date, unknown type or a negative count."""
    if not a.held_on:
        raise ValidationError("请填写活动日期")
    if a.activity_type not in catalog.ACTIVITY_TYPES:
        raise ValidationError(f"未知的活动类型“{a.activity_type}”（应为{'、'.join(catalog.ACTIVITY_TYPES)}）")
    for f, label in _COUNTS.items():
        v = getattr(a, f)
        if not isinstance(v, int) or isinstance(v, bool):
            raise ValidationError(f"{label}应为整数")
        if v < 0:
            raise ValidationError(f"{label}不能为负数")
        if v > 100000:
            raise ValidationError(f"{label}过大：{v}")
    for f in ("title", "place", "leader"):
        if len(getattr(a, f) or "") > 200:
            raise ValidationError("活动名称、地点或带队领导过长（最多 200 字）")


class ActivityMixin:
    """Activities with their linked projects (part of ``desk.projects``)."""

    _desk = None

    @property
    def _db(self):  # pragma: no cover - overridden by the manager
        return self._desk.db

    def activity_list(self, start: _dt.date | str | None = None, end: _dt.date | str | None = None,
                      *, activity_type: str | None = None) -> list[Activity]:
        """Activities held between ``start`` and ``end`` (inclusive), newest first, with linked projects."""
        where, args = ["1 = 1"], []
        if start:
            where.append("a.held_on >= ?")
            args.append(str(start)[:10])
        if end:
            where.append("a.held_on <= ?")
            args.append(str(end)[:10])
        if activity_type:
            where.append("a.activity_type = ?")
            args.append(activity_type)
        cond = " AND ".join(where)
        cols = ", ".join(f"a.{c}" for c in _COLUMNS)
        items = [Activity(*row) for row in self._db.execute(
            f"SELECT {cols} FROM activities a WHERE {cond} ORDER BY a.held_on DESC, a.id DESC", args)]
        by_id = {a.id: a for a in items}
        if by_id:
            for aid, pid, name in self._db.execute(
                    "SELECT ap.activity_id, p.id, p.name FROM activity_projects ap "
                    "JOIN activities a ON a.id = ap.activity_id JOIN projects p ON p.id = ap.project_id "
                    f"WHERE {cond} ORDER BY p.name", args):
                a = by_id[aid]
                a.project_ids.append(pid)
                a.project_names.append(name)
        return items

    def get_activity(self, activity_id: int) -> Activity:
        """One activity. :raises ValidationError: when it does not exist."""
        row = self._db.execute(f"SELECT {', '.join(_COLUMNS)} FROM activities WHERE id = ?", [activity_id]).fetchone()
        if row is None:
            raise ValidationError("该招商活动不存在或已被删除")
        a = Activity(*row)
        for pid, name in self._db.execute(
                "SELECT p.id, p.name FROM activity_projects ap JOIN projects p ON p.id = ap.project_id "
                "WHERE ap.activity_id = ? ORDER BY p.name", [activity_id]):
            a.project_ids.append(pid)
            a.project_names.append(name)
        return a

    def save_activity(self, activity: Activity) -> Activity:
        """Insert or update an activity and its linked projects in one transaction.

        :raises ValidationError: when it is invalid or a linked project does not exist.
        """
        a = Activity(**asdict(activity))
        try:
            day = parse_date(a.held_on)
        except ValidationError as exc:
            raise ValidationError(f"活动日期：{exc.message}") from None
        a.held_on = day.isoformat() if day else None
        for f in ("title", "place", "leader", "companies", "notes"):
            setattr(a, f, (getattr(a, f) or "").strip())
        for f in _COUNTS:
            v = getattr(a, f)
            if isinstance(v, float) and v.is_integer():
                setattr(a, f, int(v))
            elif v is None:
                setattr(a, f, 0)
        validate_activity(a)
        ids = list(dict.fromkeys(int(i) for i in a.project_ids))
        values = {c: getattr(a, c) for c in _COLUMNS if c != "id"}
        with self._desk.atomic():
            if ids:
                marks = ", ".join("?" for _ in ids)
                found = {r[0] for r in self._db.execute(f"SELECT id FROM projects WHERE id IN ({marks})", ids)}
                if len(found) != len(ids):
                    raise ValidationError("关联的项目不存在（可能已被删除）")
            if a.id is None:
                cur = self._db.execute(
                    f"INSERT INTO activities ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                    list(values.values()))
                a.id = cur.lastrowid
            else:
                sets = ", ".join(f"{c} = ?" for c in values)
                if self._db.execute(f"UPDATE activities SET {sets} WHERE id = ?", [*values.values(), a.id]).rowcount == 0:
                    raise ValidationError("该招商活动已被删除")
            current = {r[0] for r in self._db.execute(
                "SELECT project_id FROM activity_projects WHERE activity_id = ?", [a.id])}
            for pid in current - set(ids):
                self._db.execute("DELETE FROM activity_projects WHERE activity_id = ? AND project_id = ?", [a.id, pid])
            for pid in ids:
                if pid not in current:
                    self._db.execute("INSERT INTO activity_projects (activity_id, project_id) VALUES (?, ?)", [a.id, pid])
        a.project_ids = ids
        return a

    def delete_activity(self, activity_id: int) -> None:
        """Delete an activity (its links to projects go with it)."""
        with self._desk.atomic():
            self._db.execute("DELETE FROM activities WHERE id = ?", [activity_id])

    def activity_totals(self, start: _dt.date | str, end: _dt.date | str) -> dict:
        """Totals of the activities held between ``start`` and ``end`` (inclusive).

        outbound_trips: number of 外出招商; outbound_days: their days;
        companies_visited, delegations_received, leads_collected: sums over all
        activities, where a 拜访企业 counts at least one company and a 接待客商 at
        least one delegation; promotion_events: number of 推介会; total: number
        of activities; by_type: number of each type.
        """
        row = self._db.execute(
            """SELECT count(*),
                      coalesce(sum(activity_type = ?), 0),
                      coalesce(sum(CASE WHEN activity_type = ? THEN days ELSE 0 END), 0),
                      coalesce(sum(CASE WHEN activity_type = ? THEN max(companies_visited, 1)
                                        ELSE companies_visited END), 0),
                      coalesce(sum(CASE WHEN activity_type = ? THEN max(delegations_received, 1)
                                        ELSE delegations_received END), 0),
                      coalesce(sum(leads_collected), 0),
                      coalesce(sum(activity_type = ?), 0),
                      coalesce(sum(activity_type = ?), 0),
                      coalesce(sum(activity_type = ?), 0)
               FROM activities WHERE held_on >= ? AND held_on <= ?""",
            [OUTBOUND, OUTBOUND, VISIT, RECEPTION, PROMOTION, VISIT, RECEPTION, str(start)[:10], str(end)[:10]],
        ).fetchone()
        total, trips, days, visited, received, leads, events, visits, receptions = row
        return {
            "outbound_trips": trips,
            "outbound_days": days,
            "companies_visited": visited,
            "delegations_received": received,
            "leads_collected": leads,
            "promotion_events": events,
            "total": total,
            "by_type": {OUTBOUND: trips, RECEPTION: receptions, VISIT: visits, PROMOTION: events},
        }
