"""Writing exported files safely: into a temporary file, then renamed into place.

A crash half-way leaves the old file untouched; a target held open by Excel,
WPS or Word gives a clear message instead of a traceback.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import ParkDeskError


class ExportError(ParkDeskError):
    """An export could not be written."""


@contextlib.contextmanager
def atomic_output(target, *, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it over ``target`` on success.

    :raises ExportError: when the folder is missing or not writable, or the
        target is open in another program.
    """
    target = Path(target).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ExportError(f"保存位置“{folder}”不存在。")
    if target.is_dir():
        raise ExportError(f"“{target}”是一个文件夹，请给出文件名。")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=suffix or target.suffix or ".tmp",
                                        dir=folder)
    except OSError as exc:
        raise ExportError(f"无法在“{folder}”中写入文件：{exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); an export should get the usual
    # permissions of a new file, as if it had been written directly.
    umask = os.umask(0)
    os.umask(umask)
    with contextlib.suppress(OSError):
        os.chmod(tmp, 0o666 & ~umask)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, target)
        except PermissionError as exc:
            raise ExportError(
                f"无法写入“{target.name}”：文件可能正在被其他程序（如 Excel、WPS、Word）打开，请关闭后重试。"
            ) from exc
        except OSError as exc:
            raise ExportError(f"无法写入“{target}”：{exc.strerror or exc}") from exc
    finally:
        if tmp.exists():
            with contextlib.suppress(OSError):
                tmp.unlink()
