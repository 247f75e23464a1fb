"""The work report: model (``model``), drafting (``draft``), Word writer (``docx_writer``).

The core cannot import Qt, yet PDF export is drawn by Qt (``ui/report``). The
UI layer registers its renderer here (``ui.report.pdf.install()``, called by
``main.py`` before the ``report`` command and by the GUI); the core asks for it
with :func:`get_pdf_renderer`. Submodules are imported on demand so that
importing this package stays cheap (python-docx and matplotlib are slow).
"""

from __future__ import annotations

from typing import Callable, Optional

# render_pdf(document, path, progress=None) -> None
PdfRenderer = Callable[..., None]
_pdf_renderer: Optional[PdfRenderer] = None


def set_pdf_renderer(fn: Optional[PdfRenderer]) -> None:
    """Register the function that draws a ReportDocument into a PDF file (None clears it)."""
    global _pdf_renderer
    _pdf_renderer = fn


def get_pdf_renderer() -> Optional[PdfRenderer]:
    """The registered PDF renderer, or None when no UI layer installed one."""
    return _pdf_renderer
