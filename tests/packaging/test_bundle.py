"""From a clean copy of the repository, build_linux.sh makes a bundle and a .deb whose binary runs bare.

Slow (a few minutes: virtual environment, PyInstaller, xz): run with
``python3 scripts/dev.py test -m slow tests/packaging``.
"""

from __future__ import annotations

import configparser
import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import parkdesk

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
APPID = parkdesk.APP_ID
VERSION = parkdesk.__version__


def _clean_copy(target: Path) -> Path:
    """The repository as a fresh clone would have it: tracked and new, not ignored, files."""
    listed = subprocess.run(["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        src = ROOT / name
        if src.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, target / name)
    return target


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """Run packaging/build_linux.sh in a clean copy; extract the .deb it makes."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-deb"):
        pytest.skip("the .deb is built on Debian-based Linux")
    src = _clean_copy(tmp_path_factory.mktemp("clone"))
    env = dict(os.environ, PYTHON=shutil.which("python3") or sys.executable)
    result = subprocess.run(["sh", "packaging/build_linux.sh"], cwd=src, env=env, capture_output=True,
                            text=True, timeout=3000)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    deb = src / "dist" / f"parkdesk_{VERSION}_amd64.deb"
    assert deb.is_file(), result.stdout[-2000:]
    root = tmp_path_factory.mktemp("installed")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    control = tmp_path_factory.mktemp("control")
    subprocess.run(["dpkg-deb", "-e", str(deb), str(control)], check=True)
    return {"src": src, "bundle": src / "dist" / "parkdesk", "deb": deb, "root": root,
            "control": control, "log": result.stdout}


def _bare_run(exe: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed binary with an empty environment (only HOME and an offscreen Qt)."""
    return subprocess.run(["env", "-i", f"HOME={home}", "QT_QPA_PLATFORM=offscreen", str(exe), *args],
                          capture_output=True, text=True, timeout=300)


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def test_bundle_is_built_within_budget(build):
    """dist/parkdesk/parkdesk exists, prints the version, and the bundle stays under 250 MB."""
    exe = build["bundle"] / "parkdesk"
    assert os.access(exe, os.X_OK)
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == f"ParkDesk {VERSION}"
    size = sum(p.lstat().st_size for p in build["bundle"].rglob("*") if p.is_file() and not p.is_symlink())
    assert size < 250e6, f"bundle is {size / 1e6:.0f} MB"


def test_bundle_keeps_what_parkdesk_uses_and_leaves_out_the_rest(build):
    """Qt plugins for X11, offscreen, ibus/compose input and printing are in; QML, network, wayland are out."""
    internal = build["bundle"] / "_internal"
    names = {p.relative_to(internal).as_posix() for p in internal.rglob("*")}
    plugins = "PySide6/Qt/plugins/"
    for needed in ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                   "platforminputcontexts/libibusplatforminputcontextplugin.so",
                   "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
                   "printsupport/libcupsprintersupport.so", "imageformats/libqsvg.so",
                   "iconengines/libqsvgicon.so"):
        assert plugins + needed in names, needed
    for name in names:
        base = name.rsplit("/", 1)[-1]
        assert not base.startswith(("libQt6Qml", "libQt6Quick", "libQt6Network", "libQt6Wayland", "libQt6Pdf")), name
        assert "qwayland" not in base and "qtvirtualkeyboard" not in base, name
        assert not base.startswith(("libxcb.so", "libfontconfig", "libX11.so", "libGL.so")), name  # from the system
        if "/translations/" in name:
            assert base.endswith("_zh_CN.qm"), name
    assert "resources/icons/parkdesk-48.png" in names
    assert "docx/templates/default.docx" in names  # python-docx's template
    assert not any("backend_tkagg" in n or "sample_data" in n for n in names)


def test_deb_layout_for_uos_and_kylin(build):
    """Files, desktop entries, icons, UOS info and the /usr/bin launcher are where UOS/Kylin expect them."""
    root = build["root"]
    app = root / "opt" / "apps" / APPID
    assert os.access(app / "files" / "parkdesk", os.X_OK)
    entries = [app / "entries" / "applications" / f"{APPID}.desktop",
               root / "usr" / "share" / "applications" / f"{APPID}.desktop"]
    assert entries[0].read_text(encoding="utf-8") == entries[1].read_text(encoding="utf-8")
    desktop = configparser.ConfigParser(interpolation=None)
    desktop.optionxform = str
    desktop.read(entries[0], encoding="utf-8")
    entry = desktop["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name[zh_CN]"] == "园区工作台"
    assert entry["Exec"] == f"/opt/apps/{APPID}/files/parkdesk" and entry["Icon"] == APPID
    assert entry["Terminal"] == "false" and "Office" in entry["Categories"]
    for base in (app / "entries" / "icons" / "hicolor", root / "usr" / "share" / "icons" / "hicolor"):
        for size in (16, 24, 32, 48, 64, 128, 256):
            assert _png_size(base / f"{size}x{size}" / "apps" / f"{APPID}.png") == (size, size)
        assert (base / "scalable" / "apps" / f"{APPID}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
    info = json.loads((app / "info").read_text(encoding="utf-8"))
    assert info["appid"] == APPID and info["version"] == VERSION and info["name"] == parkdesk.APP_NAME
    assert info["arch"] == ["amd64"] and info["support-arch"] == ["amd64"]
    assert isinstance(info["permissions"], dict) and info["permissions"]["autostart"] is False
    launcher = root / "usr" / "bin" / "parkdesk"
    assert launcher.is_symlink() and os.readlink(launcher) == f"/opt/apps/{APPID}/files/parkdesk"


def test_control_depends_on_system_libraries_and_a_cjk_font(build):
    """Package = appid, and Depends names the Qt system libraries, glibc and a CJK font; no maintainer scripts."""
    fields = dict(line.split(": ", 1) for line in (build["control"] / "control").read_text(encoding="utf-8")
                  .splitlines() if ": " in line and not line.startswith(" "))
    assert fields["Package"] == APPID and fields["Version"] == VERSION and fields["Architecture"] == "amd64"
    depends = [d.strip() for d in fields["Depends"].split(",")]
    for package in ("libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libdbus-1-3",
                    "libxkbcommon0", "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
                    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0",
                    "libxcb-xfixes0", "libxcb-xkb1", "libcups2"):
        assert package in depends, package
    assert any(d.startswith("libc6 (>= 2.") for d in depends)
    assert "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei" in depends
    scripts = {p.name for p in build["control"].iterdir()} - {"control", "md5sums"}
    assert not scripts, f"maintainer scripts in the package: {scripts}"


def test_installed_binary_runs_in_a_bare_environment(build, tmp_path):
    """env -i: the installed binary prints its version, creates the demo park, summarises, screenshots."""
    exe = build["root"] / "opt" / "apps" / APPID / "files" / "parkdesk"
    home = tmp_path / "home"
    home.mkdir()
    db = home / "demo.db"
    result = _bare_run(exe, home, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"ParkDesk {VERSION}"
    assert "Detected locale" not in result.stderr  # C.UTF-8 is asked for under the C locale
    result = _bare_run(exe, home, "demo", "--db", str(db), "--as-of", "2026-11-22")
    assert result.returncode == 0, result.stderr
    assert db.stat().st_size > 100_000
    result = _bare_run(exe, home, "summary", "--db", str(db), "--year", "2026", "--through", "10", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    from PIL import Image

    for tab in ("indicators", "report"):
        shot = home / f"{tab}.png"
        result = _bare_run(exe, home, "--db", str(db), "--screenshot", str(shot), "--tab", tab)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr and "Detected locale" not in result.stderr
        image = Image.open(shot).convert("RGB")
        assert image.width >= 900 and image.height >= 600
        colours = image.resize((120, 80)).getcolors(maxcolors=10_000)
        assert colours is not None and len(colours) > 20, "screenshot looks blank"
    # For a person to look at after the run.
    keep = os.environ.get("PARKDESK_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(home / "indicators.png", keep)


def test_installed_binary_writes_the_report_with_charts_and_pdf(build, tmp_path):
    """env -i: report --out .docx --pdf .pdf works (python-docx templates, numpy/matplotlib charts, Qt PDF)."""
    import io

    import docx
    from PIL import Image
    from pypdf import PdfReader

    exe = build["root"] / "opt" / "apps" / APPID / "files" / "parkdesk"
    home = tmp_path / "home"
    home.mkdir()
    db = home / "demo.db"
    assert _bare_run(exe, home, "demo", "--db", str(db), "--as-of", "2026-11-22").returncode == 0
    out, pdf = home / "报告.docx", home / "报告.pdf"
    result = _bare_run(exe, home, "report", "--db", str(db), "--year", "2026", "--through", "10",
                       "--out", str(out), "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Detected locale" not in result.stderr

    document = docx.Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年1—10月" in text and "主要指标完成情况" in text
    footer = "".join(p.text for p in document.sections[0].footer.paragraphs)
    assert footer.strip(), "the page-number footer is missing"
    # The trend charts (附件3) are PNGs that matplotlib drew inside the bundle.
    charts = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(charts) >= 2, "no charts in the report"
    for blob in charts:
        image = Image.open(io.BytesIO(blob)).convert("RGB")
        assert image.width >= 600 and image.height >= 300
        colours = image.resize((120, 60)).getcolors(maxcolors=10_000)
        assert colours is not None and len(colours) > 10, "chart looks blank"

    reader = PdfReader(str(pdf))
    assert len(reader.pages) >= 5
    pdf_text = "".join(page.extract_text() for page in reader.pages)
    assert "主要指标完成情况" in pdf_text.replace("\n", "")
    assert sum(len(page.images) for page in reader.pages) >= len(charts)


def test_installed_binary_exports_and_imports_excel(build, tmp_path):
    """env -i: openpyxl in the bundle writes a template and an export that it (and openpyxl here) reads back."""
    from openpyxl import load_workbook

    exe = build["root"] / "opt" / "apps" / APPID / "files" / "parkdesk"
    home = tmp_path / "home"
    home.mkdir()
    db = home / "demo.db"
    assert _bare_run(exe, home, "demo", "--db", str(db), "--as-of", "2026-11-22").returncode == 0
    for kind in ("indicators", "projects", "plans"):
        template = home / f"{kind}-模板.xlsx"
        result = _bare_run(exe, home, "template", kind, "--out", str(template))
        assert result.returncode == 0, result.stderr
        assert "填写说明" in load_workbook(template).sheetnames
        exported = home / f"{kind}-2026.xlsx"
        result = _bare_run(exe, home, "export", kind, "--year", "2026", "--out", str(exported), "--db", str(db))
        assert result.returncode == 0, result.stderr
        book = load_workbook(exported)
        assert book[book.sheetnames[0]].max_row > 2, f"{kind}: export is empty"
    # Reading an .xlsx back in the bundle: importing the export changes nothing and says so.
    result = _bare_run(exe, home, "import", "indicators", str(home / "indicators-2026.xlsx"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and result.stdout.strip()


def test_windows_installer_script_compiles_against_the_linux_bundle(build, tmp_path):
    """makensis packs the real onedir bundle (zlib here, for speed) into a setup .exe."""
    if not shutil.which("makensis"):
        pytest.fail("makensis not found: apt-get install nsis")
    out = tmp_path / f"ParkDesk-{VERSION}-win64-setup.exe"
    result = subprocess.run(
        ["makensis", "-V2", f"-DVERSION={VERSION}", f"-DSRCDIR={build['bundle']}", f"-DOUTFILE={out}",
         "-XSetCompressor /FINAL zlib", str(build["src"] / "packaging" / "windows" / "parkdesk.nsi")],
        capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert out.stat().st_size > 30e6


def test_measure_reports_sizes_and_start_up(build):
    """packaging/measure.py times the bundle against the source and passes the size budget."""
    result = subprocess.run([sys.executable, str(build["src"] / "packaging" / "measure.py"),
                             "--bundle", str(build["bundle"]), "--runs", "1"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert "`--screenshot` (demo park)" in result.stdout and "size on disk" in result.stdout
    print(result.stdout)
