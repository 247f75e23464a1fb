"""The families the Qt renderer draws each report role with.

The same fallback chain as the Word document (``parkdesk.fonts.REPORT_FONT_CHAINS``:
小标宋 → 华文中宋 → 宋体, 仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 黑体), then the
CJK families Linux systems ship (Noto CJK, Source Han, AR PL, WenQuanYi),
resolved against what ``QFontDatabase`` knows on this machine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from PySide6.QtGui import QFontDatabase

from parkdesk.fonts import REPORT_FONT_CHAINS, find_cjk_fonts

_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "思源宋体", "AR PL UMing CN",
          "AR PL SungtiL GB")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "思源黑体", "WenQuanYi Micro Hei",
         "WenQuanYi Zen Hei", "Microsoft YaHei", "微软雅黑")
LINUX_FALLBACKS: dict[str, tuple[str, ...]] = {
    "title": _SERIF + _SANS,
    "fangsong": ("STFangsong", "华文仿宋", "AR PL UMing CN") + _SERIF + _SANS,
    "kai": ("STKaiti", "华文楷体", "AR PL UKai CN", "AR PL KaitiM GB") + _SERIF + _SANS,
    "hei": _SANS + _SERIF,
    "song": ("NSimSun", "新宋体") + _SERIF + _SANS,
}
LATIN_CHAIN = ("Times New Roman", "Liberation Serif", "TeX Gyre Termes", "Nimbus Roman", "Nimbus Roman No9 L",
               "FreeSerif", "DejaVu Serif")
# Faces heavy enough for a title without bold (小标宋, 华文中宋).
_HEAVY_TITLE = {a.casefold() for entry in REPORT_FONT_CHAINS["title"][:2] for a in entry}


@dataclass(frozen=True)
class QtReportFonts:
    """Family per role, the Latin family for digits and letters, the title weight."""

    families: dict
    latin: str
    title_bold: bool


@functools.lru_cache(maxsize=1)
def resolve_fonts() -> QtReportFonts:
    """Resolve every role once per process (QFontDatabase needs a QGuiApplication)."""
    known = {f.casefold(): f for f in QFontDatabase.families()}

    def first(names) -> str | None:
        for name in names:
            hit = known.get(name.casefold())
            if hit:
                return hit
        return None

    any_cjk = next((known[f.family.casefold()] for f in find_cjk_fonts() if f.family.casefold() in known), None)
    families = {}
    for role, chain in REPORT_FONT_CHAINS.items():
        names = [alias for entry in chain for alias in entry] + list(LINUX_FALLBACKS[role])
        families[role] = first(names) or any_cjk or "serif"
    latin = first(LATIN_CHAIN) or families["song"]
    title_bold = families["title"].casefold() not in _HEAVY_TITLE
    return QtReportFonts(families, latin, title_bold)
