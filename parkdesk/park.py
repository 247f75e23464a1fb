"""The park profile: name, superior bodies, leading industries, zones, author."""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass, field

from .errors import ValidationError


@dataclass
class ParkProfile:
    """Who the reports are written by and for."""

    name: str = ""
    short_name: str = ""  # "园区" or a short name used inside sentences
    organization: str = ""  # the signing body, e.g. "示范产业开发区管委会"
    superiors: str = "区委、区政府"
    leading_industries: list[str] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)
    author: str = ""
    first_year: int | None = None  # first year of use: no history before it

    @property
    def display_name(self) -> str:
        return self.name or "（未命名园区）"

    @property
    def signature(self) -> str:
        return self.organization or (f"{self.name}管委会" if self.name else "")


class ParkManager:
    """Reads and updates the single park profile row."""

    _LIST_FIELDS = ("leading_industries", "zones")

    def __init__(self, desk):
        self._desk = desk

    def profile(self) -> ParkProfile:
        row = self._desk.db.execute(
            "SELECT name, short_name, organization, superiors, leading_industries, zones, "
            "author, first_year FROM park_profile WHERE id = 1"
        ).fetchone()
        if row is None:  # pragma: no cover - created by the first migration
            return ParkProfile()
        name, short, org, sup, inds, zones, author, first_year = row
        return ParkProfile(
            name=name,
            short_name=short,
            organization=org,
            superiors=sup,
            leading_industries=_load_list(inds),
            zones=_load_list(zones),
            author=author,
            first_year=first_year,
        )

    def update(self, **changes) -> ParkProfile:
        """Change some fields of the profile.

        :raises ValidationError: for an unknown field or a wrong type.
        """
        allowed = set(ParkProfile.__dataclass_fields__)
        unknown = set(changes) - allowed
        if unknown:
            raise ValidationError(f"未知的园区信息字段：{', '.join(sorted(unknown))}")
        values = {}
        for key, value in changes.items():
            if key in self._LIST_FIELDS:
                if isinstance(value, str):
                    value = [v.strip() for v in value.replace("，", "、").replace(",", "、").split("、") if v.strip()]
                values[key] = json.dumps(list(value), ensure_ascii=False)
            elif key == "first_year":
                values[key] = int(value) if value not in (None, "") else None
            else:
                values[key] = "" if value is None else str(value).strip()
        if not values:
            return self.profile()
        values["updated_at"] = _dt.datetime.now().isoformat(timespec="seconds")
        sets = ", ".join(f"{k} = ?" for k in values)
        with self._desk.atomic():
            self._desk.db.execute(f"UPDATE park_profile SET {sets} WHERE id = 1", list(values.values()))
        return self.profile()

    def as_dict(self) -> dict:
        return asdict(self.profile())


def _load_list(text: str) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
