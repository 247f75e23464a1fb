#!/usr/bin/env python3
"""Pack the onedir bundle ``dist/parkdesk`` into a .deb laid out for UOS and Kylin.

    python3 packaging/make_deb.py [--bundle dist/parkdesk] [--out dist]

Layout (the UOS application packaging rules; Kylin installs it the same way):

    /opt/apps/<appid>/files/                  the PyInstaller bundle
    /opt/apps/<appid>/entries/applications/<appid>.desktop
    /opt/apps/<appid>/entries/icons/hicolor/<N>x<N>/apps/<appid>.png, scalable/apps/<appid>.svg
    /opt/apps/<appid>/info                    the UOS JSON info file
    /usr/share/applications/<appid>.desktop   the same entry for every other desktop
    /usr/share/icons/hicolor/...              the icons, so Icon=<appid> resolves everywhere
    /usr/bin/parkdesk -> /opt/apps/<appid>/files/parkdesk

``Depends`` is derived from the bundle: every shared library an ELF file in it
needs and that it does not carry is mapped to its Debian package (``dpkg -S``
on this machine, else a built-in table); glibc gets the highest GLIBC_x.y symbol
version the bundle uses. No maintainer scripts: the desktop database and icon
cache are refreshed by the dpkg triggers of desktop-file-utils and
gtk-update-icon-cache, nothing else on the system is changed.
Standard library only; needs readelf (binutils) and dpkg-deb.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import parkdesk  # noqa: E402 - name, version and appid live there

OLDEST_TARGET_GLIBC = (2, 28)  # UOS 20 (Debian 10 based)
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)
CJK_FONTS = "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"
GLIBC_SONAMES = {"libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
                 "ld-linux-x86-64.so.2", "libutil.so.1", "libresolv.so.2"}
# soname -> Debian package, used when dpkg cannot tell (library not installed here).
KNOWN_PACKAGES = {
    "libEGL.so.1": "libegl1", "libGL.so.1": "libgl1", "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0", "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0", "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1", "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libxcb-xkb.so.1": "libxcb-xkb1", "libcups.so.2": "libcups2", "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1", "libstdc++.so.6": "libstdc++6", "libgcc_s.so.1": "libgcc-s1",
}


def is_elf(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(4) == b"\x7fELF"
    except OSError:
        return False


def elf_files(bundle: Path) -> list[Path]:
    """Every ELF file (executable or shared library) in the bundle, symlinks excluded."""
    return sorted(p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink() and is_elf(p))


def _readelf(*args: str) -> str:
    return subprocess.run(["readelf", *args], capture_output=True, text=True, check=True,
                          env={"LC_ALL": "C", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}).stdout


def needed_sonames(files: list[Path]) -> set[str]:
    """The DT_NEEDED entries of all the files (``readelf -d``)."""
    needed: set[str] = set()
    for path in files:
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", _readelf("-d", str(path))))
    return needed


def glibc_minimum(files: list[Path]) -> str | None:
    """The highest GLIBC_x.y symbol version any file needs (``readelf -V``), e.g. '2.34'."""
    best: tuple[int, ...] = ()
    for path in files:
        for version in re.findall(r"Name: GLIBC_([0-9.]+)", _readelf("-V", str(path))):
            key = tuple(int(n) for n in version.split("."))
            best = max(best, key)
    return ".".join(map(str, best)) if best else None


def _library_path(soname: str) -> str | None:
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout if shutil.which(
        "ldconfig") else ""
    for line in out.splitlines():
        parts = line.strip().split(" => ")
        if len(parts) == 2 and parts[0].split(" ", 1)[0] == soname and "x86-64" in parts[0]:
            return parts[1].strip()
    return None


def package_of(soname: str) -> str | None:
    """The Debian package that ships ``soname`` on this machine (``dpkg -S``), else the table's."""
    path = _library_path(soname) if shutil.which("dpkg") else None
    if path:
        candidates = {path, os.path.realpath(path)}
        for p in list(candidates):  # merged /usr: dpkg may know either spelling
            candidates.add(p[4:] if p.startswith("/usr/") else "/usr" + p)
        for candidate in sorted(candidates):
            out = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if out.returncode == 0 and ":" in out.stdout:
                return out.stdout.split(":", 1)[0].split(",")[0].strip()
    return KNOWN_PACKAGES.get(soname)


def derive_depends(bundle: Path) -> tuple[list[str], dict[str, str]]:
    """The Depends entries for the bundle and the soname -> package map behind them."""
    files = elf_files(bundle)
    carried = {p.name for p in bundle.rglob("*")}
    missing = sorted(needed_sonames(files) - carried)
    mapping: dict[str, str] = {}
    unknown = []
    for soname in missing:
        if soname in GLIBC_SONAMES:
            mapping[soname] = "libc6"
            continue
        package = package_of(soname)
        if package is None:
            unknown.append(soname)
        else:
            mapping[soname] = package
    if unknown:
        raise SystemExit("make_deb: no Debian package known for " + ", ".join(unknown)
                         + " (install the library here or add it to KNOWN_PACKAGES)")
    packages = sorted(set(mapping.values()) - {"libc6"})
    glibc = glibc_minimum(files)
    depends = [f"libc6 (>= {glibc})" if glibc else "libc6"] + packages + [CJK_FONTS]
    return depends, mapping


def desktop_entry(appid: str) -> str:
    """The freedesktop entry (Chinese name first for zh_CN desktops)."""
    return f"""[Desktop Entry]
Type=Application
Version=1.0
Name=ParkDesk
Name[zh_CN]=园区工作台
GenericName=Industrial park workbench
GenericName[zh_CN]=园区经济指标与项目台账
Comment=Park indicators, project ledger, work plans and the annual work report
Comment[zh_CN]=园区经济指标、招商项目台账、工作计划与年度工作总结
Exec=/opt/apps/{appid}/files/parkdesk
TryExec=/opt/apps/{appid}/files/parkdesk
Icon={appid}
Terminal=false
Categories=Office;
Keywords=park;indicators;report;园区;指标;项目;台账;工作总结;
StartupNotify=true
"""


def uos_info(appid: str, version: str, arch: str) -> dict:
    """The UOS ``info`` file: identity, architecture and the (minimal) permissions asked for."""
    return {
        "appid": appid,
        "name": parkdesk.APP_NAME,
        "version": version,
        "arch": [arch],
        "permissions": {
            "autostart": False,
            "notification": False,
            "trayicon": False,
            "clipboard": True,
            "account": False,
            "bluetooth": False,
            "camera": False,
            "audio_record": False,
            "installed_apps": False,
        },
        "support-arch": [arch],
    }


def control_file(appid: str, version: str, arch: str, depends: list[str], installed_kb: int) -> str:
    return f"""Package: {appid}
Version: {version}
Architecture: {arch}
Maintainer: ParkDesk <parkdesk@parkdesk.cn>
Installed-Size: {installed_kb}
Depends: {", ".join(depends)}
Section: office
Priority: optional
Description: {parkdesk.APP_NAME} — 园区经济指标、项目台账、工作计划与年度工作总结
 ParkDesk is an offline desktop application for the management committees of
 industrial parks: monthly economic indicators, the ledger of investment
 promotion and construction projects, work plans, trend charts, and the annual
 work summary as an official-format Word document.
"""


def _copy_tree(src: Path, dst: Path) -> None:
    shutil.copytree(src, dst, symlinks=True)
    for path in [dst, *dst.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir() or os.access(path, os.X_OK) or is_elf(path):
            path.chmod(0o755)
        else:
            path.chmod(0o644)


def stage(bundle: Path, root: Path, arch: str, depends: list[str]) -> None:
    """Lay out the package tree under ``root``."""
    appid, version = parkdesk.APP_ID, parkdesk.__version__
    icons = ROOT / "resources" / "icons"
    app = root / "opt" / "apps" / appid
    _copy_tree(bundle, app / "files")
    entry = desktop_entry(appid)
    for folder in (app / "entries" / "applications", root / "usr" / "share" / "applications"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{appid}.desktop").write_text(entry, encoding="utf-8")
    for base in (app / "entries" / "icons" / "hicolor", root / "usr" / "share" / "icons" / "hicolor"):
        for size in ICON_SIZES:
            target = base / f"{size}x{size}" / "apps"
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(icons / f"parkdesk-{size}.png", target / f"{appid}.png")
        (base / "scalable" / "apps").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(icons / "parkdesk.svg", base / "scalable" / "apps" / f"{appid}.svg")
    (app / "info").write_text(json.dumps(uos_info(appid, version, arch), ensure_ascii=False, indent=4) + "\n",
                              encoding="utf-8")
    (root / "usr" / "bin").mkdir(parents=True, exist_ok=True)
    (root / "usr" / "bin" / "parkdesk").symlink_to(f"/opt/apps/{appid}/files/parkdesk")
    for path in root.rglob("*"):
        if not path.is_symlink() and path.is_dir():
            path.chmod(0o755)
        elif not path.is_symlink() and "files" not in path.relative_to(root).parts:
            path.chmod(0o644)
    size_kb = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink()) // 1024
    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    (debian / "control").write_text(control_file(appid, version, arch, depends, size_kb), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "parkdesk")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "deb")
    parser.add_argument("--arch", default="amd64")
    args = parser.parse_args(argv)
    for tool in ("readelf", "dpkg-deb"):
        if not shutil.which(tool):
            raise SystemExit(f"make_deb: {tool} not found (apt-get install binutils dpkg)")
    if not (args.bundle / "parkdesk").is_file():
        raise SystemExit(f"make_deb: no bundle at {args.bundle} (run pyinstaller packaging/parkdesk.spec first)")
    depends, mapping = derive_depends(args.bundle)
    for soname, package in sorted(mapping.items()):
        print(f"  {soname:28} -> {package}")
    if args.work.exists():
        shutil.rmtree(args.work)
    root = args.work / "root"
    root.mkdir(parents=True)
    stage(args.bundle, root, args.arch, depends)
    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"parkdesk_{parkdesk.__version__}_{args.arch}.deb"
    # xz at level 6 keeps the USB-stick file small; --root-owner-group: files owned by root.
    subprocess.run(["dpkg-deb", "--root-owner-group", "-Zxz", "-z6", "--build", str(root), str(deb)], check=True)
    print(f"Depends: {', '.join(depends)}")
    glibc = depends[0].partition(">= ")[2].rstrip(")")
    if glibc and tuple(map(int, glibc.split("."))) > OLDEST_TARGET_GLIBC:
        print(f"note: this .deb needs glibc >= {glibc} (the build machine's); UOS 20 has 2.28 and "
              "Kylin V10 2.31 — build on the oldest target system to install there (README, Packaging).")
    print(f"built {deb} ({deb.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
