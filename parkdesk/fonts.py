"""Finding a CJK font on this machine and registering it with matplotlib.

Nothing is downloaded: the fonts come from the system (Windows: SimHei,
Microsoft YaHei, FangSong, KaiTi, SimSun; Linux: Noto CJK, WenQuanYi, AR PL).
When none is found the caller is told (``missing_font_message``) instead of
drawing boxes.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class CjkFont:
    """A font file with Chinese glyphs and the style it stands for."""

    family: str
    path: Path
    style: str  # "hei" (sans), "song" (serif), "fangsong", "kai"


# (file name, family, style) in order of preference within each style.
_WINDOWS = (
    ("msyh.ttc", "Microsoft YaHei", "hei"),
    ("simhei.ttf", "SimHei", "hei"),
    ("simfang.ttf", "FangSong", "fangsong"),
    ("simkai.ttf", "KaiTi", "kai"),
    ("simsun.ttc", "SimSun", "song"),
    ("STZHONGS.TTF", "STZhongsong", "song"),
)
_LINUX = (
    ("NotoSansCJK-Regular.ttc", "Noto Sans CJK SC", "hei"),
    ("NotoSansCJKsc-Regular.otf", "Noto Sans CJK SC", "hei"),
    ("NotoSansSC-Regular.otf", "Noto Sans SC", "hei"),
    ("wqy-microhei.ttc", "WenQuanYi Micro Hei", "hei"),
    ("wqy-zenhei.ttc", "WenQuanYi Zen Hei", "hei"),
    ("NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", "song"),
    ("NotoSerifCJKsc-Regular.otf", "Noto Serif CJK SC", "song"),
    ("uming.ttc", "AR PL UMing CN", "song"),
    ("ukai.ttc", "AR PL UKai CN", "kai"),
    # UOS / Kylin ship these, and clerks often copy the Windows ones over.
    ("simfang.ttf", "FangSong", "fangsong"),
    ("simkai.ttf", "KaiTi", "kai"),
    ("simhei.ttf", "SimHei", "hei"),
    ("simsun.ttc", "SimSun", "song"),
    ("msyh.ttc", "Microsoft YaHei", "hei"),
)


def _font_dirs() -> list[Path]:
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":  # pragma: no cover - not a target platform
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library/Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        Path.home() / ".local/share/fonts",
        Path.home() / ".fonts",
    ]


@functools.lru_cache(maxsize=1)
def find_cjk_fonts() -> tuple[CjkFont, ...]:
    """Every known CJK font installed on this machine, best first within a style."""
    if os.environ.get("PARKDESK_NO_CJK_FONT"):  # lets tests see the "no font" path
        return ()
    table = _WINDOWS if sys.platform == "win32" else _LINUX
    wanted = {name.lower(): (family, style) for name, family, style in table}
    found: dict[str, CjkFont] = {}
    for root in _font_dirs():
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for fname in files:
                key = fname.lower()
                if key in wanted and key not in found:
                    family, style = wanted[key]
                    found[key] = CjkFont(family, Path(dirpath) / fname, style)
    order = [name.lower() for name, _f, _s in table]
    return tuple(found[k] for k in order if k in found)


def best_font(style: str = "hei") -> CjkFont | None:
    """The preferred font of a style, falling back to any CJK font."""
    fonts = find_cjk_fonts()
    for font in fonts:
        if font.style == style:
            return font
    return fonts[0] if fonts else None


def missing_font_message() -> str:
    return (
        "未找到中文字体，图表和报告中的汉字将无法正常显示。"
        "请安装中文字体：Windows 自带黑体/微软雅黑；统信 UOS、麒麟系统请安装 "
        "fonts-noto-cjk 或 fonts-wqy-microhei 字体包。"
    )


@functools.lru_cache(maxsize=1)
def register_matplotlib() -> str | None:
    """Register the CJK fonts with matplotlib and make a sans one the default.

    Imports matplotlib (slow), so call it only when a chart is first drawn.
    Returns the family used, or None when the machine has no CJK font.
    """
    from matplotlib import font_manager, rcParams

    fonts = find_cjk_fonts()
    sans: list[str] = []
    others: list[str] = []
    for font in fonts:
        try:
            font_manager.fontManager.addfont(str(font.path))
            name = font_manager.FontProperties(fname=str(font.path)).get_name()
        except (OSError, RuntimeError, ValueError):
            continue
        target = sans if font.style == "hei" else others
        if name not in target:
            target.append(name)
    families = sans + others  # charts read best in a sans (黑体) face
    if not families:
        return None
    rcParams["font.sans-serif"] = families + list(rcParams.get("font.sans-serif", []))
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False  # the CJK fonts often lack U+2212
    return families[0]


# --- the official-document families a report names -----------------------------------------
# Per role, the families in order of preference (DESIGN 3.1); each entry lists the
# names one font goes by, the Chinese name first (it is what Word/WPS documents use).
# The last entry of each role is a Windows family: on a machine that has none of
# them (Linux) the .docx still names it, and Word/WPS on the clerk's PC has it.
REPORT_FONT_CHAINS: dict[str, tuple[tuple[str, ...], ...]] = {
    "title": (("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXBSJW--GB1-0"),
              ("华文中宋", "STZhongsong"),
              ("宋体", "SimSun")),
    "fangsong": (("仿宋_GB2312", "FangSong_GB2312"), ("仿宋", "FangSong")),
    "kai": (("楷体_GB2312", "KaiTi_GB2312"), ("楷体", "KaiTi")),
    "hei": (("黑体", "SimHei"),),
    "song": (("宋体", "SimSun"),),
}
LATIN_FONT = "Times New Roman"  # digits and Latin letters in every role

# Font files of those families (Windows and what clerks copy to UOS/Kylin), for
# machines where the names cannot be listed (no fontconfig, no registry).
_REPORT_FONT_FILES = {
    "fzxbsjw.ttf": "方正小标宋简体",
    "方正小标宋简体.ttf": "方正小标宋简体",
    "stzhongs.ttf": "华文中宋",
    "simsun.ttc": "宋体",
    "simfang.ttf": "仿宋",
    "simkai.ttf": "楷体",
    "simhei.ttf": "黑体",
    "仿宋_gb2312.ttf": "仿宋_GB2312",
    "fs_gb2312.ttf": "仿宋_GB2312",
    "fsgb2312.ttf": "仿宋_GB2312",
    "楷体_gb2312.ttf": "楷体_GB2312",
    "kaiti_gb2312.ttf": "楷体_GB2312",
    "ktgb2312.ttf": "楷体_GB2312",
}


@dataclass(frozen=True)
class ReportFont:
    """The family a report role is written with, and whether this machine has it."""

    role: str
    name: str
    installed: bool
    preferred: bool  # the first choice of its role (e.g. 方正小标宋简体 for the title)


def _registry_families() -> set[str]:  # pragma: no cover - Windows only
    import winreg

    names: set[str] = set()
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            key = winreg.OpenKey(hive, key_path)
        except OSError:
            continue
        with key:
            i = 0
            while True:
                try:
                    value_name, _data, _type = winreg.EnumValue(key, i)
                except OSError:
                    break
                i += 1
                base = value_name.split(" (")[0]
                names.update(part.strip() for part in base.split("&") if part.strip())
    return names


def _fontconfig_families() -> set[str]:
    import shutil
    import subprocess

    exe = shutil.which("fc-list")
    if not exe:
        return set()
    try:
        out = subprocess.run([exe, ":", "family"], capture_output=True, text=True, encoding="utf-8",
                             errors="replace", timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",") if name.strip()}


@functools.lru_cache(maxsize=1)
def installed_families() -> frozenset[str]:
    """Names of the font families installed on this machine (as far as can be told)."""
    names: set[str] = set()
    if sys.platform == "win32":  # pragma: no cover - Windows only
        try:
            names |= _registry_families()
        except OSError:
            pass
    else:
        names |= _fontconfig_families()
    for root in _font_dirs():
        if not root.is_dir():
            continue
        for _dirpath, _dirs, files in os.walk(root):
            for fname in files:
                family = _REPORT_FONT_FILES.get(fname.lower())
                if family:
                    names.add(family)
    return frozenset(names)


def report_fonts(families=None) -> dict[str, ReportFont]:
    """The family to name for each report role, falling back by what is installed.

    ``families`` (the installed names) defaults to :func:`installed_families`.
    A role none of whose families is installed gets its last (Windows) family.
    """
    have = {f.casefold() for f in (installed_families() if families is None else families)}
    chosen: dict[str, ReportFont] = {}
    for role, chain in REPORT_FONT_CHAINS.items():
        for i, aliases in enumerate(chain):
            if any(a.casefold() in have for a in aliases):
                chosen[role] = ReportFont(role, aliases[0], True, i == 0)
                break
        else:
            chosen[role] = ReportFont(role, chain[-1][0], False, len(chain) == 1)
    return chosen
