"""ui.app.import_qt: modules loaded before Qt are recorded as not using PySide6, so
PySide6's import hook does not read their sources again."""

from __future__ import annotations

import importlib
import sys

import pytest

from ui.app import import_qt


@pytest.fixture
def plain_module(tmp_path, monkeypatch):
    """A module without Qt, loaded (as if) before Qt, not yet seen by PySide6."""
    (tmp_path / "pd_plain_mod.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("pd_plain_mod")
    yield module
    sys.modules.pop("pd_plain_mod", None)


def test_loaded_modules_are_recorded_without_reading_them(plain_module, monkeypatch):
    feature = sys.modules.get("PySide6.support.feature")
    if not isinstance(getattr(feature, "pyside_feature_dict", None), dict):
        pytest.skip("this PySide6 has no feature table")
    table = feature.pyside_feature_dict
    table.pop("pd_plain_mod", None)
    read = []
    original = feature._mod_uses_pyside
    monkeypatch.setattr(feature, "_mod_uses_pyside", lambda m: read.append(m.__name__) or original(m))

    import_qt()
    assert table["pd_plain_mod"] == -1
    exec("import pd_plain_mod", {})  # an import statement after Qt: the hook finds it recorded
    assert "pd_plain_mod" not in read
    table.pop("pd_plain_mod", None)
    exec("import pd_plain_mod", {})  # unrecorded: PySide6 reads it as it would
    assert "pd_plain_mod" in read and table["pd_plain_mod"] == -1


def test_ui_modules_are_left_to_pyside(monkeypatch):
    feature = sys.modules.get("PySide6.support.feature")
    table = getattr(feature, "pyside_feature_dict", None)
    if not isinstance(table, dict):
        pytest.skip("this PySide6 has no feature table")
    monkeypatch.delitem(table, "ui.style", raising=False)
    import_qt()
    assert "ui.style" not in table


def test_survives_a_pyside_without_the_table(monkeypatch):
    import types

    monkeypatch.setitem(sys.modules, "PySide6.support.feature", types.SimpleNamespace())
    import_qt()  # nothing to record, no error
