"""ParkDesk (园区工作台) core: storage, domain rules, computations and report writers.

This package never imports Qt; the GUI in ``ui/`` is a layer on top of it.
"""

__version__ = "0.1.0"
APP_NAME = "园区工作台 ParkDesk"
APP_ID = "cn.parkdesk.parkdesk"


def _import_sqlite_utils() -> None:
    """Import sqlite-utils (only where its table API is used: creating or upgrading a
    database) without numpy: it loads numpy (~0.1 s) only to map numpy scalar types to
    column types, which ParkDesk never inserts. matplotlib still imports numpy normally
    when a chart is first drawn."""
    import sys

    if "sqlite_utils" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # makes `import numpy` raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        if sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]

