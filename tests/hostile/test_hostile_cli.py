"""The hostile-input corpus through every command that reads user data, in-process and once as a
console script: exit 1, one ``error:`` line per problem, no traceback, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile_cases import CASES, geodata_with, snapshot, target

from corridors.cli import main

ATLAS = {"corridor", "places", "boundaries", "catalog", "sources"}
TABLES = {"trade", "partners", "visits", "mechanisms"}
ALL = ATLAS | TABLES

# Each command: its arguments after the data folder is known, and the kinds of file it reads.
# ``{data}``, ``{file}`` and ``{out}`` are filled in per case.
COMMANDS: dict[str, tuple[list[str], set[str]]] = {
    "validate-file": (["validate", "{file}"], {"corridor", "places", "catalog"}),
    "validate-folder": (["validate", "{data}"], ALL | {"links"}),
    "lengths-file": (["lengths", "{file}"], {"corridor"}),
    "lengths-folder": (["lengths", "--by", "country", "--data", "{data}"], ATLAS),
    "crossings": (["crossings", "--data", "{data}"], ATLAS),
    "build": (["build", "--data", "{data}", "--out", "{out}"], ALL | {"links"}),
    "profile": (["profile", "KAZ", "--data", "{data}"], TABLES),
    "timeline": (["timeline", "--data", "{data}"], TABLES | {"catalog"}),
    "list": (["list", "--data", "{data}"], {"catalog"}),
    "route": (["route", "termez", "peshawar", "--data", "{data}"], ATLAS | {"links"}),
    "reach": (["reach", "--data", "{data}"], ALL | {"links"}),
    "export": (["export", "--data", "{data}", "--out", "{out}"], ALL),
    "figure": (["figure", "--data", "{data}", "--out", "{out}"], ATLAS),
    "report": (["report", "--data", "{data}", "--out", "{out}"], ALL),
}

# These commands open the data with the same loaders as ``build``; they get the first case of
# each kind of file, the other commands get the whole corpus, to keep the suite fast.
SAME_LOADERS = {
    "lengths-folder",
    "crossings",
    "route",
    "reach",
    "export",
    "figure",
    "report",
}
FIRST_OF_KIND = {name.split("__")[0]: name for name in sorted(CASES, reverse=True)}

# Problems of the corridor schema only: ``validate`` and ``--data`` report them, but a user's
# lines are only lines, so ``lengths FILE`` measures these files (test below).
SCHEMA_ONLY = {"corridor__duplicate_ids.geojson", "corridor__swapped_axes.geojson"}

RUNS = [
    (name, command)
    for name in sorted(CASES)
    for command, (_, kinds) in COMMANDS.items()
    if name.split("__")[0] in kinds
    and (command not in SAME_LOADERS or FIRST_OF_KIND[name.split("__")[0]] == name)
    and not (command == "lengths-file" and name in SCHEMA_ONLY)
]


def _argv(command: str, data: Path, name: str, out: Path) -> list[str]:
    values = {"data": str(data), "file": str(data / target(name)), "out": str(out)}
    return [arg.format(**values) for arg in COMMANDS[command][0]]


def _previous_output(out: Path) -> Path:
    """An output folder holding a previous build's files, which must survive untouched."""
    (out / "maps").mkdir(parents=True)
    (out / "index.html").write_bytes(b"<!doctype html><title>previous build</title>\n")
    (out / "maps" / "tapi.html").write_bytes(b"previous map\n")
    return out


def _error_lines(err: str, command: str) -> list[str]:
    lines = err.splitlines()
    if command.startswith("validate"):
        assert lines[-1] == f"{len(lines) - 1} problem(s) found."
        lines = lines[:-1]
    return lines


@pytest.mark.parametrize(("name", "command"), RUNS)
def test_cli__hostile_input_exits_1_with_one_line_errors(
    name: str, command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = geodata_with(name, tmp_path / "geodata")
    out = _previous_output(tmp_path / "output")
    before_data, before_out = snapshot(data), snapshot(out)
    capsys.readouterr()
    assert main(_argv(command, data, name, out)) == 1
    captured = capsys.readouterr()
    lines = _error_lines(captured.err, command)
    message, count = CASES[name]
    assert captured.out == ""
    assert len(lines) == count, lines
    assert message in lines[0]
    assert all(line.startswith("error: ") and Path(target(name)).name in line for line in lines)
    assert snapshot(data) == before_data
    assert snapshot(out) == before_out


def test_cli__every_kind_of_hostile_file_reaches_a_command() -> None:
    kinds = {name.split("__")[0] for name in CASES}
    assert kinds <= set().union(*(k for _, k in COMMANDS.values()))
    assert len(RUNS) >= 3 * len(CASES)


def test_console_script__hostile_corpus_without_traceback(tmp_path: Path) -> None:
    # One real process for every case `validate` takes as a single file; the others run
    # in-process above, through the same ``main``.
    names = [name for name in sorted(CASES) if name.split("__")[0] in COMMANDS["validate-file"][1]]
    files = [geodata_with(name, tmp_path / name) / target(name) for name in names]
    result = subprocess.run(
        [sys.executable, "-m", "corridors", "validate", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = result.stderr.splitlines()
    expected = sum(CASES[name][1] for name in names)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert lines[-1] == f"{expected} problem(s) found."
    assert len(lines) == expected + 1
    for name, path in zip(names, files, strict=True):
        mine = [line for line in lines if line.startswith(f"error: {path}: ")]
        assert len(mine) == CASES[name][1] and CASES[name][0] in mine[0], name
