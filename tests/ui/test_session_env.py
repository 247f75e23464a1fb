"""The Linux session environment is mapped onto the input-method and display plugins the bundle has."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from ui.session_env import fcitx5_running, qt_environment_overrides


def _never() -> bool:
    raise AssertionError("fcitx5 detection must not run when the environment already decides")


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"QT_IM_MODULE": "fcitx"}, "ibus"),
        ({"QT_IM_MODULE": "fcitx5"}, "ibus"),
        ({"QT_IM_MODULE": "FCITX"}, "ibus"),
        ({"XMODIFIERS": "@im=fcitx"}, "ibus"),
        ({"XMODIFIERS": "@im=fcitx5"}, "ibus"),
        ({"GTK_IM_MODULE": "fcitx"}, "ibus"),
        ({"XMODIFIERS": "@im=ibus"}, "ibus"),
        ({"QT_IM_MODULE": "xim", "XMODIFIERS": "@im=fcitx"}, "ibus"),
    ],
)
def test_fcitx_sessions_get_the_ibus_module(env, expected):
    """A session running fcitx (named by any of its variables) is given Qt's ibus plugin."""
    changes = qt_environment_overrides(env, platform="linux", fcitx5_running=_never)
    assert changes.get("QT_IM_MODULE") == expected


@pytest.mark.parametrize(
    "env",
    [
        {"QT_IM_MODULE": "ibus"},
        {"QT_IM_MODULE": "compose", "XMODIFIERS": "@im=fcitx"},
        {"QT_IM_MODULE": "xim", "XMODIFIERS": "@im=none"},
    ],
)
def test_explicit_working_choices_are_left_alone(env):
    """A module the bundle has, or an unknown one with no fcitx/ibus session, is not touched."""
    assert "QT_IM_MODULE" not in qt_environment_overrides(env, platform="linux", fcitx5_running=_never)


def test_running_fcitx5_is_detected_only_when_nothing_is_named():
    """With no input-method variable at all, a running fcitx5 decides; without it nothing is set."""
    assert qt_environment_overrides({}, platform="linux", fcitx5_running=lambda: True) == {"QT_IM_MODULE": "ibus"}
    assert qt_environment_overrides({}, platform="linux", fcitx5_running=lambda: False) == {}


def test_plural_module_list_gets_ibus_fallback():
    """QT_IM_MODULES listing only fcitx gets ibus appended; a list that has ibus stays."""
    changes = qt_environment_overrides({"QT_IM_MODULES": "fcitx"}, platform="linux", fcitx5_running=_never)
    assert changes["QT_IM_MODULES"] == "fcitx;ibus"
    changes = qt_environment_overrides({"QT_IM_MODULES": "fcitx;ibus"}, platform="linux", fcitx5_running=_never)
    assert "QT_IM_MODULES" not in changes


def test_wayland_only_platform_falls_back_to_xcb():
    """QT_QPA_PLATFORM=wayland with an X display gets ';xcb'; offscreen and xcb stay as they are."""
    env = {"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0", "QT_IM_MODULE": "ibus"}
    assert qt_environment_overrides(env, platform="linux") == {"QT_QPA_PLATFORM": "wayland;xcb"}
    for value in ("offscreen", "xcb", "wayland;xcb", "xcb:nomitshm"):
        env = {"QT_QPA_PLATFORM": value, "DISPLAY": ":0", "QT_IM_MODULE": "ibus"}
        assert qt_environment_overrides(env, platform="linux") == {}
    # No X server: nothing to fall back to, Qt's own error is the honest answer.
    assert qt_environment_overrides({"QT_QPA_PLATFORM": "wayland", "QT_IM_MODULE": "ibus"}, platform="linux") == {}


def test_other_platforms_are_untouched():
    """On Windows nothing is changed, whatever the variables say."""
    assert qt_environment_overrides({"QT_IM_MODULE": "fcitx"}, platform="win32") == {}


def test_fcitx5_detection_reads_process_names(tmp_path):
    """fcitx5_running finds a process called fcitx5 in a /proc-like folder and nothing else."""
    (tmp_path / "self").mkdir()
    (tmp_path / "12").mkdir()
    (tmp_path / "12" / "comm").write_text("bash\n")
    assert not fcitx5_running(tmp_path)
    (tmp_path / "345").mkdir()
    (tmp_path / "345" / "comm").write_text("fcitx5\n")
    assert fcitx5_running(tmp_path)
    assert not fcitx5_running(tmp_path / "missing")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux session variables")
def test_gui_start_applies_the_mapping(tmp_path):
    """Starting the app (screenshot mode) with QT_IM_MODULE=fcitx runs Qt with the ibus module."""
    code = (
        "import os, sys; sys.argv=['x']; import ui.app as a; a._prepare_environment(True);"
        "print(os.environ.get('QT_IM_MODULE'))"
    )
    env = dict(os.environ, QT_IM_MODULE="fcitx")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))), timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ibus"
