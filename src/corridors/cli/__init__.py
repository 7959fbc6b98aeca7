"""Command-line interface: ``corridors <command>``; the only place that prints."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import version

from corridors.errors import CorridorDataError, CorridorOutputError

__all__ = ["main"]

# Each module named here defines ``register(subparsers)``; the parser it adds sets
# ``func`` to a callable taking the parsed arguments and returning an exit code.
COMMAND_MODULES = (
    "corridors.cli.catalog",
    "corridors.cli.build",
    "corridors.cli.bilateral",
    "corridors.cli.network",
    "corridors.cli.export",
    "corridors.cli.measure",
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="corridors",
        description="Map and measure the corridors between Pakistan, Central Asia and the Caucasus.",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    parser.add_argument("--version", action="version", version=f"corridors {version('corridors')}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 bad input, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except (CorridorDataError, CorridorOutputError) as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
