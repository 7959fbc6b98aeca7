"""A run imports only its command's module: the map of commands matches what each registers."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from corridors.cli import COMMAND_MODULES, COMMANDS, build_parser, main


def _registered(module: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(module).register(subparsers)
    return set(subparsers.choices)


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_commands__name_every_command_a_module_registers(module: str) -> None:
    assert _registered(module) == {c for c, m in COMMANDS.items() if m == module}


def test_build_parser__one_command_parses_as_with_all() -> None:
    argv = ["lengths", "lines.gpkg", "--by", "country", "--out", "r.parquet", "--jobs", "2"]
    whole = vars(build_parser().parse_args(argv))
    alone = vars(build_parser("lengths").parse_args(argv))
    assert whole == alone


def test_main__lengths_does_not_import_the_network_libraries() -> None:
    script = (
        "import sys\n"
        "from corridors.cli import main\n"
        "try:\n"
        "    main(['-q', 'lengths', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('networkx' in sys.modules, 'corridors.cli.network' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "False False"


def test_main__unknown_command_still_lists_every_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["lenghts"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert "invalid choice: 'lenghts'" in error
    assert all(command in error for command in COMMANDS)
