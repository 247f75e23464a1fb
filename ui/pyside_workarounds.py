"""Work-arounds for defects of the PySide6 release ParkDesk runs on.

PySide6 6.12.0 on Python 3.11: every call of a wrapped C++ method that returns
``void`` (``setText``, ``setBold``, ``insertText`` …) returns ``None`` without
taking a reference to it. None's reference count (about 5000 at start-up)
therefore drops by one per call, and when it reaches zero the interpreter
aborts with "Fatal Python error: none_dealloc". Laying out one report makes
thousands of such calls. From Python 3.12 on None is immortal and the defect
is harmless; on 3.11 :func:`keep_none_alive` puts the count back up front.
"""

from __future__ import annotations

import ctypes
import sys

_AFFECTED = sys.implementation.name == "cpython" and sys.version_info < (3, 12)
FLOOR = 1_000_000
TARGET = 50_000_000  # headroom for 50 million void calls; None is never freed anyway


def keep_none_alive() -> None:
    """Raise None's reference count far above zero when it ran low (CPython < 3.12 only).

    Cheap (one comparison) when nothing is needed: call it before work that
    makes many Qt calls, or from a timer.
    """
    if not _AFFECTED:
        return
    count = sys.getrefcount(None)
    if count < FLOOR:
        # ob_refcnt is the first field of every CPython object (Include/object.h)
        ctypes.c_ssize_t.from_address(id(None)).value += TARGET - count
