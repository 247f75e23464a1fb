#!/bin/sh
# Build ParkDesk for Linux from a clean clone, with nothing but Python 3.11+ and
# the package registries:
#
#   packaging/build_linux.sh
#     -> dist/parkdesk/parkdesk               the onedir bundle (PyInstaller)
#     -> dist/parkdesk_<version>_amd64.deb    laid out for UOS / Kylin (packaging/make_deb.py)
#
# Build tools go into build/venv (PyInstaller from PyPI; the project's runtime
# dependencies from pyproject.toml). readelf (binutils) and dpkg-deb are needed;
# run as root on Debian/UOS/Kylin they are apt-get installed when missing.
# PYTHON=/path/to/python3.11 chooses the interpreter that gets bundled.
# PARKDESK_PYSIDE6='PySide6-Essentials==6.9.3' pins the Qt version (a pip requirement
# used as a constraint), e.g. for UOS 20 / Kylin V10: PySide6 6.10+ needs glibc 2.34
# (see packaging/README.md, "Older systems").
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}
VENV="$ROOT/build/venv"

say() { printf '[build_linux] %s\n' "$*"; }

# --- system tools ---------------------------------------------------------------------
missing=""
command -v readelf >/dev/null 2>&1 || missing="$missing binutils"
command -v dpkg-deb >/dev/null 2>&1 || missing="$missing dpkg"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "apt-get install$missing"
        DEBIAN_FRONTEND=noninteractive apt-get update -q
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
    else
        say "missing tools:$missing (sudo apt-get install$missing)"
        exit 1
    fi
fi

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    say "Python 3.11 or newer is needed ($PYTHON is $("$PYTHON" -V 2>&1))"; exit 1; }

# --- build environment ------------------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PYSIDE6_PIN=${PARKDESK_PYSIDE6:-}
case "$PYSIDE6_PIN" in
    ""|PySide6-Essentials*|pyside6-essentials*|PySide6_Essentials*) ;;
    *) say "PARKDESK_PYSIDE6 must name PySide6-Essentials, e.g. 'PySide6-Essentials==6.9.3' (got '$PYSIDE6_PIN')"; exit 1 ;;
esac
printf '%s\n' "$PYSIDE6_PIN" > "$ROOT/build/constraints.txt"
stamp="$VENV/.parkdesk-build"
digest=$(cat pyproject.toml packaging/requirements-build.txt "$ROOT/build/constraints.txt" | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    say "installing PyInstaller and the runtime dependencies (pip)${PYSIDE6_PIN:+, $PYSIDE6_PIN}"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > "$ROOT/build/requirements-runtime.txt"
    "$VENV/bin/python" -m pip install -q -c "$ROOT/build/constraints.txt" \
        -r packaging/requirements-build.txt -r "$ROOT/build/requirements-runtime.txt"
    echo "$digest" > "$stamp"
fi

VERSION=$("$VENV/bin/python" -c 'import parkdesk; print(parkdesk.__version__)')
QT=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("PySide6-Essentials"))')
say "ParkDesk $VERSION, $("$VENV/bin/python" -V), PySide6-Essentials $QT, PyInstaller $("$VENV/bin/python" -m PyInstaller --version)"

# --- bundle -------------------------------------------------------------------------------------
rm -rf "$ROOT/dist/parkdesk" "$ROOT/build/pyinstaller"
"$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$ROOT/dist" --workpath "$ROOT/build/pyinstaller" packaging/parkdesk.spec
out=$(env -i HOME="$ROOT/build" "$ROOT/dist/parkdesk/parkdesk" --version)
[ "$out" = "ParkDesk $VERSION" ] || { say "bundle self-check failed: '$out'"; exit 1; }
say "bundle: dist/parkdesk ($(du -sh dist/parkdesk | cut -f1))"

# --- .deb ---------------------------------------------------------------------------------------
"$VENV/bin/python" packaging/make_deb.py --bundle "$ROOT/dist/parkdesk" --out "$ROOT/dist" --work "$ROOT/build/deb"
say "done: dist/parkdesk/parkdesk and dist/parkdesk_${VERSION}_amd64.deb"
