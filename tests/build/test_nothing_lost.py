"""Nothing lost: a failed or interrupted build leaves the previous output whole, and an
unwritable ``--out`` fails cleanly."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hostile_cases import geodata_with, snapshot

from corridors import build as build_module
from corridors.bilateral.tables import Bilateral
from corridors.build import build
from corridors.cli import main
from corridors.data.atlas import Atlas
from corridors.errors import CorridorOutputError
from corridors.outputs import atomic

VERSION = {"n": 1}


def produce_pages(atlas: Atlas, bilateral: Bilateral, options: Any) -> Iterator[tuple[str, bytes]]:
    """Three small pages naming the build version; a stand-in for the real producers."""
    for name in ("a.html", "maps/b.html", "maps/c.html"):
        yield name, f"<p>{name} of build {VERSION['n']}: {len(atlas.segments)}</p>".encode()


def produce_table(atlas: Atlas, bilateral: Bilateral, options: Any) -> Iterator[tuple[str, bytes]]:
    yield "tables/segments.csv", f"build,{VERSION['n']}\n".encode()


def produce_then_fail(
    atlas: Atlas, bilateral: Bilateral, options: Any
) -> Iterator[tuple[str, bytes]]:
    yield "late.html", b"never written"
    raise RuntimeError("producer failed half-way")


PAGES = [f"{__name__}:produce_pages", f"{__name__}:produce_table"]


@pytest.fixture
def first_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An output folder holding a complete build 1 of the stand-in producers."""
    monkeypatch.setattr(build_module, "PRODUCERS", PAGES)
    VERSION["n"] = 1
    out = tmp_path / "output"
    written = build(out_dir=out)
    assert [f.path for f in written] == [
        "a.html",
        "maps/b.html",
        "maps/c.html",
        "tables/segments.csv",
    ]
    VERSION["n"] = 2
    return out


def test_build__producer_failing_part_way_writes_nothing(
    first_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(first_build)
    monkeypatch.setattr(build_module, "PRODUCERS", [*PAGES, f"{__name__}:produce_then_fail"])
    with pytest.raises(RuntimeError, match="producer failed half-way"):
        build(out_dir=first_build)
    assert snapshot(first_build) == before
    assert (first_build / "a.html").read_text().startswith("<p>a.html of build 1")


def test_build__disk_full_while_staging_changes_nothing(
    first_build: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(first_build)
    real_fsync = os.fsync
    calls: list[int] = []

    def fsync_until_third(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync_until_third)
    assert main(["build", "--out", str(first_build)]) == 1
    err = capsys.readouterr().err
    assert err.endswith(
        f"error: {first_build}: cannot write here (No space left on device); "
        "choose another --out folder.\n"
    )
    assert len(calls) == 3
    assert snapshot(first_build) == before
    assert sorted(p.name for p in first_build.parent.iterdir()) == ["output"]


def test_build__a_folder_in_the_way_of_an_output_file_is_one_line(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.mkdir()
    (out / "keep.txt").write_bytes(b"previous\n")
    (out / "b.html").mkdir()  # a folder where the build wants a file
    with pytest.raises(CorridorOutputError, match=r"b\.html: a folder is in the way of an output"):
        build_module.write_all({"a.html": b"new", "b.html": b"new", "keep.txt": b"new"}, out)
    assert not (out / "a.html").exists()
    assert (out / "keep.txt").read_bytes() == b"previous\n"


def test_build__old_products_go_and_the_users_files_stay(
    first_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (first_build / "my notes.txt").write_bytes(b"mine\n")
    monkeypatch.setattr(build_module, "PRODUCERS", PAGES[:1])  # no tables this time
    build(out_dir=first_build)
    names = sorted(p.relative_to(first_build).as_posix() for p in first_build.rglob("*"))
    assert names == [
        ".corridors-manifest.json", "a.html", "maps", "maps/b.html", "maps/c.html", "my notes.txt"
    ]  # fmt: skip
    assert (first_build / "my notes.txt").read_bytes() == b"mine\n"


def test_build__succeeds_over_a_previous_build(first_build: Path) -> None:
    build(out_dir=first_build)
    assert (first_build / "maps" / "c.html").read_text().startswith("<p>maps/c.html of build 2")
    assert sorted(p.name for p in first_build.parent.iterdir()) == ["output"]


@pytest.mark.parametrize("command", ["build", "export", "figure", "report"])
def test_cli__out_under_a_regular_file_fails_cleanly(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # chmod cannot make a folder unwritable for root; a path below a regular file can.
    blocker = tmp_path / "not_a_folder"
    blocker.write_bytes(b"a file\n")
    out = blocker / "output"
    assert main([command, "--out", str(out)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {out}")
    assert "choose another --out folder" in lines[0] or "not a folder" in lines[0]
    assert blocker.read_bytes() == b"a file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not_a_folder"]


def test_cli__out_that_is_a_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "output"
    out.write_bytes(b"not a folder\n")
    assert main(["build", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"error: {out}: not a folder — choose another --out folder.")
    assert out.read_bytes() == b"not a folder\n"


def test_build__bad_data_leaves_no_new_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = geodata_with("catalog__nan_literal.json", tmp_path / "geodata")
    out = tmp_path / "new" / "output"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 1
    assert "NaN is not valid JSON" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["geodata"]


_NAMESPACES = (
    ["unshare", "--mount", "--propagation", "private"],
    ["unshare", "--mount", "--map-root-user", "--propagation", "private"],
)


def _mount_namespace(tmp_path: Path) -> list[str] | None:
    """The unshare command that may mount a tmpfs here, or None where the machine refuses."""
    point = tmp_path / "probe"
    point.mkdir()
    for command in _NAMESPACES:
        try:
            probe = subprocess.run(
                [*command, "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{point}'"],
                capture_output=True,
                timeout=30,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return command
    return None


def test_build__a_real_full_disk_fails_with_one_line_and_keeps_the_old_output(
    tmp_path: Path,
) -> None:
    """A tmpfs with room for one build but not two: the second build runs out of space."""
    unshare = _mount_namespace(tmp_path)
    if unshare is None:
        pytest.skip("this machine does not allow mounting a tmpfs (the fsync seam test covers it)")
    reference = tmp_path / "reference" / "output"
    build(out_dir=reference)
    pages = sum(-(-p.stat().st_size // 4096) for p in reference.rglob("*") if p.is_file())
    disk, after = tmp_path / "disk", tmp_path / "after"
    disk.mkdir()
    script = f"""
        mount -t tmpfs -o size={pages * 4096 * 3 // 2} tmpfs '{disk}' || exit 99
        cp -a '{reference}' '{disk}/output'
        cd '{tmp_path}'
        '{sys.executable}' -m corridors build --out '{disk}/output' 2> '{tmp_path}/err'
        echo "rc=$?"
        ls -A '{disk}'
        cp -a '{disk}/output' '{after}'
    """
    done = subprocess.run(
        [*unshare, "sh", "-c", script], capture_output=True, text=True, timeout=600
    )
    lines = done.stdout.split()
    assert lines[0] == "rc=1", done.stdout + done.stderr
    assert lines[1:] == ["output"]  # no staging or probe folder left on the full disk
    err = (tmp_path / "err").read_text().splitlines()
    assert err[-1] == (
        f"error: {disk}/output: cannot write here (No space left on device); "
        "choose another --out folder."
    )
    assert "Traceback" not in "\n".join(err)
    assert snapshot(after) == snapshot(reference)
