"""Every computed figure of a period, as one JSON-ready dict.

The report drafts from it and ``main.py summary --json`` prints it, so both
always agree. Each domain contributes one key (``indicators``, ``projects``,
``plans``) through the ``SECTIONS`` table.
"""

from __future__ import annotations

from typing import Any, Callable

from .numbers import month_range

# key -> function(desk, year, through) -> JSON-ready value. Filled per domain.
SECTIONS: dict[str, Callable[[Any, int, int], Any]] = {}


def build_summary(desk, year: int, through: int) -> dict[str, Any]:
    """The period's computed figures (plain data: numbers, strings, lists, dicts)."""
    profile = desk.park.profile()
    data: dict[str, Any] = {
        "park": {
            "name": profile.name,
            "organization": profile.signature,
            "superiors": profile.superiors,
            "leading_industries": profile.leading_industries,
        },
        "period": {
            "year": year,
            "through": through,
            "label": f"{year}年{month_range(through)}",
            "time_progress_pct": round(through / 12 * 100, 1),
        },
    }
    for key, section in SECTIONS.items():
        data[key] = section(desk, year, through)
    return data


from .summary_text import summary_text  # noqa: E402,F401 - the terminal rendering

# Domains register their key here (one import each, at the end to keep summary.py light).
from .indicator_figures import indicators_section  # noqa: E402
from .key_projects import key_projects_section  # noqa: E402
from .plan_progress import plans_summary  # noqa: E402
from .project_stats import projects_section  # noqa: E402

SECTIONS["indicators"] = indicators_section
SECTIONS["projects"] = projects_section
SECTIONS["plans"] = plans_summary
SECTIONS["key_projects"] = key_projects_section
