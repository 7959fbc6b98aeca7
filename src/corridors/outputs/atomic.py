"""Atomic writes: a file, or a whole output folder, appears whole or not at all."""

from __future__ import annotations

import ctypes
import fcntl
import json
import logging
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from corridors.errors import CorridorOutputError

__all__ = [
    "MANIFEST",
    "WrittenFile",
    "check_writable",
    "committed",
    "locked",
    "replaced_folder",
    "write_bytes",
    "write_folder",
    "write_text",
]

log = logging.getLogger(__name__)


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
        stop_if_interrupted()
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


# --- A whole output folder, switched in one step -------------------------------------------

#: The list of the files the tool wrote into an output folder, kept in that folder.
MANIFEST = ".corridors-manifest.json"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None

#: Output folders this process switched to a new content (the CLI says so when interrupted).
committed: list[Path] = []
#: The signals the command line received (its handler adds them). A handler's
#: KeyboardInterrupt can be lost (Python drops exceptions raised while a finaliser runs), so
#: nothing is committed once one has come in: see :func:`stop_if_interrupted`.
interrupted: list[str] = []


def stop_if_interrupted() -> None:
    """Raise KeyboardInterrupt if a signal came in, even one whose exception was lost."""
    if interrupted:
        raise KeyboardInterrupt(interrupted[0])


@dataclass(frozen=True)
class WrittenFile:
    """One file a command wrote: its path relative to the output folder and its size."""

    path: str
    size: int


def _cannot(out: Path, error: OSError) -> CorridorOutputError:
    return CorridorOutputError(
        f"{out}: cannot write here ({error.strerror}); choose another --out folder."
    )


def _checked_out(out: Path) -> Path:
    """Return the folder to write: a link is followed to its folder; a missing target fails."""
    if out.is_symlink():
        target = Path(os.path.realpath(out))
        if not target.is_dir():
            raise CorridorOutputError(
                f"{out}: a link to {target}, which is not a folder — create it or choose "
                "another --out folder."
            )
        return target
    if out.exists() and not out.is_dir():
        raise CorridorOutputError(f"{out}: not a folder — choose another --out folder.")
    return out


def _staging_prefix(out: Path) -> str:
    return f".{out.name}.build-"


def _other_owner(staging: Path, out: Path) -> int | None:
    """Return the pid in a staging folder's name if it is another live process, else None."""
    pid = staging.name[len(_staging_prefix(out)) :].split("-")[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass
    return int(pid)


def _holder(out: Path) -> str:
    """Return " (pid N)" for the process holding the lock on `out` (Linux ``/proc/locks``)."""
    try:
        info = os.stat(out)
        locks = Path("/proc/locks").read_text(encoding="ascii")
    except OSError:
        return ""
    device = f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"
    for line in locks.splitlines():
        fields = line.split()
        if "FLOCK" in fields and device in fields:
            pid = fields[fields.index(device) - 1]
            if pid.isdigit() and int(pid) != os.getpid():
                return f" (pid {pid})"
    return ""


_held: set[Path] = set()


@contextmanager
def locked(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """
    Hold an exclusive OS lock on the output folder; fail at once if another process has it.

    The lock (``flock`` on the folder itself) dies with its holder, so no lock file can
    outlive a crash. The folder is made if missing, and removed again if it is still empty
    when the block fails. Re-entrant within one process.
    """
    out = _checked_out(Path(out_dir))
    if out in _held:
        yield out
        return
    made = [folder for folder in (out, *out.parents) if not folder.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise _cannot(out, error) from error
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CorridorOutputError(
                f"{out}: another corridors command{_holder(out)} is writing here; wait for it "
                "to finish or choose another --out folder."
            ) from None
        _held.add(out)
        try:
            _remove_leftovers(out)
            yield out
        except BaseException:
            for folder in made:  # the folders this made, if the failure left them empty
                with suppress(OSError):
                    folder.rmdir()
            raise
        finally:
            _held.discard(out)
    finally:
        os.close(fd)


def _remove_leftovers(out: Path) -> None:
    """Remove what an interrupted command left: staging folders beside `out`, old ones in it."""
    stale = [p for p in out.parent.glob(_staging_prefix(out) + "*") if _other_owner(p, out) is None]
    stale += [p for p in out.glob(".build-*") if p.is_dir()]  # the layout of older versions
    for path in sorted(stale):
        shutil.rmtree(path, ignore_errors=True)
        log.warning("removed the leftovers of an interrupted build: %s", path)


def _manifest(out: Path) -> set[str]:
    try:
        listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {str(p) for p in listed} if isinstance(listed, list) else set()


def _carried(out: Path, files: Mapping[str, bytes], exact: bool) -> list[str]:
    """Return the files of `out` the new folder keeps: the user's and, unless exact, other products."""
    ours = _manifest(out)
    kept = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(out).as_posix()
        if relative == MANIFEST or relative in files or (exact and relative in ours):
            continue
        kept.append(relative)
    return kept


def _in_the_way(out: Path, files: Mapping[str, bytes]) -> None:
    """Raise one line if a folder stands where an output file goes, or a file where a folder."""
    for relative in sorted(files):
        target = out / relative
        if target.is_dir() and not target.is_symlink():
            raise CorridorOutputError(
                f"{target}: a folder is in the way of an output file — move it away or choose "
                "another --out folder."
            )
        for parent in PurePosixPath(relative).parents:
            if str(parent) != "." and (out / parent).is_file():
                raise CorridorOutputError(
                    f"{out / parent}: a file is in the way of an output folder — move it away "
                    "or choose another --out folder."
                )


def _write_tree(stage: Path, out: Path, files: Mapping[str, bytes], kept: list[str]) -> None:
    for relative, data in sorted(files.items()):
        target = stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    for relative in kept:
        source, target = out / relative, stage / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
            continue
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)


def _exchange(stage: Path, out: Path) -> None:
    """Swap `stage` and `out` in one step (Linux ``renameat2``); else two renames."""
    if _libc is not None:
        done = _libc.renameat2(
            _AT_FDCWD, os.fsencode(stage), _AT_FDCWD, os.fsencode(out), _RENAME_EXCHANGE
        )
        if done == 0:
            return
        errno = ctypes.get_errno()
        if errno not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: no exchange here
            raise OSError(errno, os.strerror(errno))
    aside = stage.with_name(stage.name + "-old")
    os.rename(out, aside)
    os.rename(stage, out)
    os.rename(aside, stage)


def write_folder(
    files: Mapping[str, bytes], out_dir: str | os.PathLike[str], *, exact: bool = False
) -> list[WrittenFile]:
    """
    Write `files` under `out_dir` so that the folder switches from its old to its new content at once.

    The new content is written complete into a hidden folder beside `out_dir`
    (``.NAME.build-PID-…``): every new file, the files the user put there (hard links), and,
    unless `exact`, the other files earlier commands wrote. The two folders are then swapped
    in one atomic step (``renameat2(RENAME_EXCHANGE)``), and the old content removed. A process
    killed at any moment leaves `out_dir` either as it was or complete; the next command that
    writes there removes the hidden folder it left. With `exact` (a build), files an earlier
    build wrote that this one does not make are left out of the new folder; a manifest in the
    folder (``.corridors-manifest.json``) tells them from the user's own files.

    Raises :class:`CorridorOutputError` if the folder cannot be written, another process is
    writing it, or a folder stands where an output file goes.
    """
    with locked(out_dir) as out:
        _in_the_way(out, files)
        kept = _carried(out, files, exact)
        ours = sorted(
            set(files) | ({p for p in _manifest(out) if p in kept} if not exact else set())
        )
        _switch(_new_stage(out), out, {**files, MANIFEST: _manifest_bytes(ours)}, kept)
    return [WrittenFile(path, len(data)) for path, data in sorted(files.items())]


def _new_stage(out: Path) -> Path:
    """Make the hidden sibling folder a new output is written into before the switch."""
    try:
        return Path(
            tempfile.mkdtemp(prefix=f"{_staging_prefix(out)}{os.getpid()}-", dir=out.parent)
        )
    except OSError as error:
        raise _cannot(out, error) from error


def _switch(stage: Path, out: Path, files: Mapping[str, bytes], kept: list[str]) -> None:
    """Add `files` to `stage`, swap it with `out` in one step, and remove what is left of it."""
    try:
        _write_tree(stage, out, files, kept)
        with _signals_held():
            stop_if_interrupted()
            _exchange(stage, out)
            committed.append(out)
    except OSError as error:
        shutil.rmtree(stage, ignore_errors=True)
        raise _cannot(out, error) from error
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def replaced_folder(out_dir: str | os.PathLike[str]) -> Iterator[Path]:
    """
    Yield an empty hidden folder that replaces `out_dir` whole when the block succeeds.

    For a result that other processes write, such as the workers of a Dask cluster: the
    block fills the hidden folder beside `out_dir` (``.NAME.build-PID-…``); on success a
    manifest listing its files is added and the two folders are swapped in one step, as in
    :func:`write_folder`; on failure or interruption the hidden folder is removed and
    `out_dir` stays as it was. `out_dir` is locked meanwhile (:func:`locked`).

    The new folder holds only what the block wrote, so `out_dir` must be missing, empty, or
    hold only files that an earlier command wrote there (its manifest lists them): anything
    else raises :class:`CorridorOutputError` before the block runs, instead of being lost.
    """
    with locked(out_dir) as out:
        ours = _manifest(out)
        foreign = [
            path
            for path in sorted(out.rglob("*"))
            if (path.is_symlink() or not path.is_dir())
            and path.relative_to(out).as_posix() not in {*ours, MANIFEST}
        ]
        if foreign:
            raise CorridorOutputError(
                f"{out}: holds {foreign[0].relative_to(out)}, which corridors did not write, "
                "and the folder is replaced whole — choose another --out folder or empty it."
            )
        stage = _new_stage(out)
        try:
            yield stage
            written = sorted(
                p.relative_to(stage).as_posix() for p in stage.rglob("*") if not p.is_dir()
            )
            for relative in written:  # other processes wrote them: on disk before the swap
                _fsync(stage / relative)
        except BaseException as error:
            shutil.rmtree(stage, ignore_errors=True)
            if isinstance(error, OSError):
                raise _cannot(out, error) from error
            raise
        _switch(stage, out, {MANIFEST: _manifest_bytes(written)}, [])


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _manifest_bytes(paths: list[str]) -> bytes:
    return (json.dumps(paths, indent=0) + "\n").encode("utf-8")


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C, SIGTERM and SIGHUP while the folders are swapped."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def check_writable(out_dir: str | os.PathLike[str]) -> None:
    """
    Raise :class:`CorridorOutputError` now if `out_dir` cannot be written.

    Call it before long work, so that a bad ``--out`` fails in a second rather than after
    every product was made. It leaves no trace: folders it had to create are removed again.
    """
    out = _checked_out(Path(out_dir))
    missing = [folder for folder in (out, *out.parents) if not folder.exists()]
    try:
        out.mkdir(parents=True, exist_ok=True)
        Path(tempfile.mkdtemp(prefix=f".{out.name}.probe-", dir=out.parent)).rmdir()
    except OSError as error:
        raise _cannot(out, error) from error
    finally:
        for folder in missing:
            with suppress(OSError):
                folder.rmdir()
