"""Command-line interface: ``corridors <command>``; the only place that prints."""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
from collections.abc import Sequence
from importlib.metadata import version

from corridors.errors import CorridorDataError, CorridorOutputError
from corridors.outputs import atomic

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


#: The commands each module registers, so that a run imports only its command's module
#: (``corridors lengths`` need not import the network's libraries); help imports them all.
COMMANDS = {
    "validate": "corridors.cli.catalog",
    "list": "corridors.cli.catalog",
    "build": "corridors.cli.build",
    "profile": "corridors.cli.bilateral",
    "timeline": "corridors.cli.bilateral",
    "route": "corridors.cli.network",
    "reach": "corridors.cli.network",
    "claims": "corridors.cli.network",
    "export": "corridors.cli.export",
    "figure": "corridors.cli.export",
    "report": "corridors.cli.export",
    "lengths": "corridors.cli.measure",
    "crossings": "corridors.cli.measure",
}


def _command(argv: Sequence[str]) -> str | None:
    """Return the command `argv` runs, if its first word after the global options is one."""
    for word in argv:
        if word in ("-q", "--quiet"):
            continue
        return word if word in COMMANDS else None
    return None


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand registered (or `command`'s module's)."""
    parser = argparse.ArgumentParser(
        prog="corridors",
        description="Map and measure the corridors between Pakistan, Central Asia and the Caucasus.",
    )
    parser.add_argument("--quiet", "-q", action="store_true", help="print only errors")
    parser.add_argument("--version", action="version", version=f"corridors {version('corridors')}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMAND_MODULES if command is None else (COMMANDS[command],):
        importlib.import_module(name).register(subparsers)
    return parser


def _interrupt(signum: int, frame: object) -> None:
    name = signal.Signals(signum).name
    atomic.interrupted.append(name)  # kept even if a finaliser swallows the exception below
    raise KeyboardInterrupt(name)


def _blank_argument(args: argparse.Namespace) -> str | None:
    """Name the first empty or blank --out, --data or file argument, if any."""
    for name in ("out", "data", "file"):
        value = getattr(args, name, None)
        if isinstance(value, str) and not value.strip():
            return f"--{name}"
    for value in getattr(args, "paths", None) or []:
        if isinstance(value, str) and not value.strip():
            return "a file argument"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 bad input, 2 usage, 130 interrupted)."""
    atomic.interrupted.clear()  # this run's signals and commits only
    atomic.committed.clear()
    handlers = {
        s: signal.signal(s, _interrupt) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    }
    try:
        code = _run(argv)
        atomic.stop_if_interrupted()  # a signal whose KeyboardInterrupt was lost on the way
        return code
    except KeyboardInterrupt:
        changed = ", ".join(str(p) for p in atomic.committed)
        what = f"{changed} holds the new output" if changed else "no output was changed"
        print(f"interrupted — {what}", file=sys.stderr)
        return 130
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        atomic.interrupted.clear()  # handled: writes after this run (a notebook's) go ahead


def _run(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command(words))
    argv = words
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(message)s",
        stream=sys.stderr,
    )
    if not hasattr(args, "func"):
        parser.print_help()
        return 2
    blank = _blank_argument(args)
    if blank is not None:
        print(f"error: {blank} is empty — give a path, or leave the option out.", file=sys.stderr)
        return 1
    try:
        return int(args.func(args))
    except (CorridorDataError, CorridorOutputError) as error:
        for line in str(error).splitlines():
            print(f"error: {line}", file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
