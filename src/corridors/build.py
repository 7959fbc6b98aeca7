"""
``corridors build``: validate the data, then write every product into one folder.

A build runs in two phases so that a failure never leaves a half-written output
folder. First every *producer* returns its files as bytes in memory; only when all
of them have succeeded are the files staged in a hidden folder inside the output
folder and moved into place one by one with ``os.replace``. An exception in any
producer therefore writes nothing, and each file that is replaced is replaced
whole.

A producer is a function ``producer(atlas, bilateral, options) -> iterable of
(relative_path, bytes)``, named in :data:`PRODUCERS` as ``"module:function"`` and
imported when the build runs.
"""

from __future__ import annotations

import importlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from corridors.bilateral.tables import Bilateral, load_bilateral
from corridors.data.atlas import Atlas, load_atlas
from corridors.data.paths import default_output_dir
from corridors.errors import CorridorOutputError
from corridors.network.graph import LINKS_FILE, load_network

__all__ = [
    "PRODUCERS",
    "BuildContext",
    "WrittenFile",
    "build",
    "check_writable",
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


@dataclass(frozen=True)
class WrittenFile:
    """One file a build wrote: its path relative to the output folder and its size."""

    path: str
    size: int


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
    Write `files` under `out_dir`: stage them all, then move each into place.

    Raises :class:`CorridorOutputError` if the folder cannot be written. Files
    already in `out_dir` are left as they were: a failure while staging touches
    nothing, and a failure while moving puts back every file already replaced.
    """
    out = Path(out_dir)
    stage = _stage_in(out)
    written = []
    moved: list[tuple[Path, Path | None]] = []
    try:
        for relative, data in sorted(files.items()):
            staged = stage / "new" / relative
            staged.parent.mkdir(parents=True, exist_ok=True)
            staged.write_bytes(data)
        for relative, data in sorted(files.items()):
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            moved.append((target, _keep(target, stage / "old" / relative)))
            os.replace(stage / "new" / relative, target)
            written.append(WrittenFile(relative, len(data)))
    except BaseException as error:
        _put_back(moved)
        if isinstance(error, OSError):
            raise CorridorOutputError(
                f"{out}: cannot write here ({error.strerror}); choose another --out folder."
            ) from error
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return written


def _stage_in(out: Path) -> Path:
    """Make `out` if needed and a hidden staging folder inside it; raise if it cannot."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    except OSError as error:
        raise CorridorOutputError(
            f"{out}: cannot write here ({error.strerror}); choose another --out folder."
        ) from error


def check_writable(out_dir: str | os.PathLike[str]) -> None:
    """
    Raise :class:`CorridorOutputError` now if `out_dir` cannot be written.

    Call it before long work, so that a bad ``--out`` fails in a second rather
    than after every product was made. It leaves no trace: folders it had to
    create are removed again.
    """
    out = Path(out_dir)
    missing = [folder for folder in (out, *out.parents) if not folder.exists()]
    shutil.rmtree(_stage_in(out))
    for folder in missing:
        folder.rmdir()


def _keep(target: Path, backup: Path) -> Path | None:
    """Keep a copy of `target` at `backup` (a hard link when it can); None if none exists."""
    if not target.is_file():
        return None
    backup.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, backup)
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _put_back(moved: list[tuple[Path, Path | None]]) -> None:
    """Undo the moves of a failed build, newest first: old files back, new ones removed."""
    for target, backup in reversed(moved):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        except OSError:
            log.exception("could not restore %s", target)


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
    atlas = load_atlas(data_dir)
    bilateral = load_bilateral(atlas.data_dir)
    if (atlas.data_dir / LINKS_FILE).is_file():
        load_network(atlas)  # check the links file before any product is made
    context = BuildContext(atlas, bilateral, dict(options))
    files = collect(context)
    return write_all(files, out)
