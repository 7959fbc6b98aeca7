"""Atomic writes: a file appears whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from corridors.errors import CorridorOutputError

__all__ = ["write_bytes", "write_text"]


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """
    Write `data` to `path` through a temporary file and ``os.replace``.

    A failure leaves any previous file at `path` untouched and raises
    :class:`CorridorOutputError` naming the path.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise CorridorOutputError(
            f"{target}: cannot write here ({error.strerror}); choose another --out folder."
        ) from error
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException as error:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise CorridorOutputError(
                f"{target}: cannot write here ({error.strerror}); choose another --out folder."
            ) from error
        raise
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` as UTF-8 with newline line ends, atomically; see :func:`write_bytes`."""
    return write_bytes(path, text.encode("utf-8"))
