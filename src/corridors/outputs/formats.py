"""The file formats of the products, importable without the libraries that write them."""

from __future__ import annotations

__all__ = ["FIGURE_FORMATS"]

#: Formats of the static figures (drawn by :mod:`corridors.outputs.figures` with Matplotlib).
FIGURE_FORMATS = ("png", "svg")
