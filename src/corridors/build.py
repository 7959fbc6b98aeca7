"""
``corridors build``: validate the data, then write every product into one folder.

A build runs in two phases so that a failure never leaves a half-written output
folder. First every *producer* returns its files as bytes in memory; only when all
of them have succeeded are the files staged in a hidden folder inside the output
folder and moved into place one by one with ``os.replace``. An exception in any
producer therefore writes nothing, and each file that is replaced is replaced
whole.

A producer is a function ``producer(context) -> iterable of (relative_path, bytes)``,
named in :data:`PRODUCERS` as ``"module:function"`` and imported when the build runs.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from corridors.bilateral import Bilateral, load_bilateral
from corridors.data import Atlas, load_atlas
from corridors.errors import CorridorOutputError
from corridors.paths import default_output_dir

__all__ = ["PRODUCERS", "BuildContext", "WrittenFile", "build", "collect", "write_all"]

log = logging.getLogger(__name__)

# The products of a build, in the order they are made.
PRODUCERS: list[str] = [
    "corridors.maps:produce_maps",
    "corridors.reach:reach_report",
    "corridors.figures:produce_figures",
    "corridors.export:produce_exports",
    "corridors.report:produce_report",
]


@dataclass
class BuildContext:
    """
    What every producer receives.

    Attributes
    ----------
    atlas
        The validated corridor data.
    bilateral
        The validated bilateral tables.
    options
        Build options from the command line (for example ``tiles``).
    """

    atlas: Atlas
    bilateral: Bilateral
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WrittenFile:
    """One file a build wrote: its path relative to the output folder and its size."""

    path: str
    size: int


Producer = Callable[[BuildContext], Iterable[tuple[str, bytes]]]


def _producer(name: str) -> Producer:
    module, _, function = name.partition(":")
    producer: Producer = getattr(importlib.import_module(module), function)
    return producer


def _checked_path(name: str, producer: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts or name.startswith("."):
        raise ValueError(f"producer {producer} returned an unsafe output path {name!r}")
    return str(path)


def collect(context: BuildContext, producers: Iterable[str] | None = None) -> dict[str, bytes]:
    """
    Run the producers and return every output file's bytes by relative path.

    Nothing is written. Two producers returning the same path is a programming error.
    """
    files: dict[str, bytes] = {}
    names = PRODUCERS if producers is None else list(producers)
    for step, name in enumerate(names, 1):
        log.info("[%d/%d] %s", step, len(names), name.partition(":")[2].replace("_", " "))
        for relative, data in _producer(name)(context):
            path = _checked_path(relative, name)
            if path in files:
                raise ValueError(f"two producers write {path}")
            files[path] = data
    return files


def write_all(files: dict[str, bytes], out_dir: str | os.PathLike[str]) -> list[WrittenFile]:
    """
    Write `files` under `out_dir`: stage them all, then move each into place.

    Raises :class:`CorridorOutputError` if the folder cannot be written; files
    already in `out_dir` are left as they were when staging fails.
    """
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    except OSError as error:
        raise CorridorOutputError(
            f"{out}: cannot write here ({error.strerror}); choose another --out folder."
        ) from error
    written = []
    try:
        for relative, data in sorted(files.items()):
            staged = stage / relative
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
        for relative, data in sorted(files.items()):
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(stage / relative, target)
            written.append(WrittenFile(relative, len(data)))
    except OSError as error:
        raise CorridorOutputError(
            f"{out}: cannot write here ({error.strerror}); choose another --out folder."
        ) from error
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written


def build(
    data_dir: str | Path | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    **options: Any,
) -> list[WrittenFile]:
    """
    Validate the data in `data_dir` and write every product into `out_dir`.

    Parameters
    ----------
    data_dir
        A folder laid out like ``geodata/``; the shipped data by default.
    out_dir
        Where to write; the repository's ``output/`` by default.
    **options
        Passed to the producers (for example ``tiles="osm"``).

    Returns
    -------
    written
        The files written, in path order, with their sizes in bytes.
    """
    atlas = load_atlas(data_dir)
    bilateral = load_bilateral(atlas.data_dir)
    context = BuildContext(atlas, bilateral, dict(options))
    files = collect(context)
    return write_all(files, out_dir if out_dir is not None else default_output_dir())
