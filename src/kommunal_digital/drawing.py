"""Figures for the documents: made and saved one way for every built-in picture.

Pictures are drawn with matplotlib, imported only here and only when a
picture is drawn. A figure is made without pyplot (no global figure list,
nothing to close) on an Agg canvas at the resolution it is saved in, so the
layout pass (``tight_layout``) and the final drawing measure the texts once
at the same size. A PNG is encoded straight from the canvas: one drawing
per picture (``savefig`` would lay the figure out a second time). Metadata
are fixed, so the same input gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "PICTURE_STYLE",
    "TEXT_WIDTH",
    "ImageFormat",
    "figure_bytes",
    "new_figure",
    "picture_bytes",
]

ImageFormat = Literal["png", "svg"]

#: Width of an A4 page's text area, in inches (16 cm).
TEXT_WIDTH = 16 / 2.54
#: Resolution of PNG pictures, in dots per inch (print quality at 16 cm).
DPI = 200
#: matplotlib settings every built-in picture is laid out and drawn with.
#: Font hinting snaps glyph outlines to a screen's pixel grid; at print
#: resolution it changes nothing one sees and costs a sixth of the drawing.
PICTURE_STYLE: dict[str, object] = {"text.hinting": "no_hinting"}
#: zlib level of PNG pictures: 1 encodes several times faster than the
#: default 6, for files about a quarter larger (lossless either way).
_PNG_COMPRESSION = 1


def new_figure(width: float, height: float) -> Figure:
    """A figure of ``width`` x ``height`` inches on its own Agg canvas, at :data:`DPI`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: matplotlib
    from matplotlib.figure import Figure  # lazy: matplotlib

    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def figure_bytes(figure: Figure, fmt: ImageFormat) -> bytes:
    """The figure as PNG or SVG bytes, the same bytes for the same figure.

    SVG keeps labels as text, so they stay searchable and editable.
    """
    if fmt == "png":
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: matplotlib
        from PIL import Image  # lazy: pillow (a matplotlib dependency)

        canvas = figure.canvas
        assert isinstance(canvas, FigureCanvasAgg)  # made by new_figure
        canvas.draw()  # type: ignore[no-untyped-call]
        size = canvas.get_width_height()
        pixels = canvas.buffer_rgba()  # type: ignore[no-untyped-call]
        picture = Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
        buffer = io.BytesIO()
        picture.save(buffer, format="png", compress_level=_PNG_COMPRESSION, dpi=(DPI, DPI))
        return buffer.getvalue()
    import matplotlib  # lazy: matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "kommunal-digital"}):
        figure.savefig(buffer, format=fmt, metadata={"Date": None})
    return buffer.getvalue()


def picture_bytes(make: Callable[[], Figure], fmt: ImageFormat) -> bytes:
    """The figure ``make()`` returns, laid out and drawn with :data:`PICTURE_STYLE`, as bytes.

    The settings hold while the figure is made and drawn (texts are
    measured for the layout with the same settings they are drawn with),
    and are restored afterwards.
    """
    import matplotlib  # lazy: matplotlib

    with matplotlib.rc_context(PICTURE_STYLE):  # type: ignore[arg-type]  # keys typed as literals
        return figure_bytes(make(), fmt)
