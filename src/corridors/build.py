"""
``corridors build``: validate the data, then write every product into one folder.

A build runs in two phases so that no failure, interruption or kill ever leaves a
half-written output folder. First every *producer* returns its files as bytes in memory;
only when all of them have succeeded is the new folder written complete beside the old
one and the two swapped in one atomic step (:func:`corridors.outputs.atomic.write_folder`).
An exception in any producer therefore writes nothing, and a process killed at any moment
leaves the old output or the new one, never a mix.

A producer is a function ``producer(atlas, bilateral, options) -> iterable of
(relative_path, bytes)``, named in :data:`PRODUCERS` as ``"module:function"`` and
imported when the build runs.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from corridors.bilateral.tables import Bilateral, load_bilateral
from corridors.data.atlas import Atlas, load_atlas
from corridors.data.memo import one_build
from corridors.data.paths import default_output_dir
from corridors.network.graph import LINKS_FILE, load_network
from corridors.outputs.atomic import WrittenFile, check_writable, locked, write_folder

__all__ = [
    "PRODUCERS",
    "BuildContext",
    "build",
    "collect",
    "write_all",
]

log = logging.getLogger(__name__)

# The products of a build, in the order they are made.
PRODUCERS: list[str] = [
    "corridors.maps.pages:produce_maps",
    "corridors.outputs.reach_report:reach_report",
    "corridors.outputs.figures:produce_figures",
    "corridors.outputs.export:produce_exports",
    "corridors.outputs.report:produce_report",
    "corridors.outputs.lengths_report:lengths_report",
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


Producer = Callable[[Atlas, Bilateral, Mapping[str, Any]], Iterable[tuple[str, bytes]]]


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
        for relative, data in _producer(name)(context.atlas, context.bilateral, context.options):
            path = _checked_path(relative, name)
            if path in files:
                raise ValueError(f"two producers write {path}")
            files[path] = data
    return files


def write_all(files: dict[str, bytes], out_dir: str | os.PathLike[str]) -> list[WrittenFile]:
    """
    Write a build's `files` as the whole content of `out_dir`, switched in one atomic step.

    Files an earlier build wrote that this one does not make are gone afterwards; files the
    user put into the folder stay. See :func:`corridors.outputs.atomic.write_folder`.
    """
    return write_folder(files, out_dir, exact=True)


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
        Where to write; ``output/`` in the current folder by default.
    **options
        Passed to the producers (for example ``tiles="osm"``).

    Returns
    -------
    written
        The files written, in path order, with their sizes in bytes.
    """
    out = out_dir if out_dir is not None else default_output_dir()
    check_writable(out)
    with locked(out), one_build():  # one build at a time per folder; each measure once
        atlas = load_atlas(data_dir)
        bilateral = load_bilateral(atlas.data_dir)
        if (atlas.data_dir / LINKS_FILE).is_file():
            load_network(atlas)  # check the links file before any product is made
        context = BuildContext(atlas, bilateral, dict(options))
        files = collect(context)
        return write_all(files, out)
