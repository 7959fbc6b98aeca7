"""A signal whose KeyboardInterrupt is lost (Python drops exceptions raised while a finaliser
runs) still stops the command: nothing is committed after it, and the exit is 130."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

import corridors.cli as cli
from corridors.outputs import atomic


def _lost_signal() -> None:
    """Deliver SIGTERM's handler as Python does inside a finaliser: the exception is dropped."""
    try:
        cli._interrupt(signal.SIGTERM, None)
    except KeyboardInterrupt:
        pass


def _run_losing_a_signal(argv: object) -> int:
    """A command during which SIGTERM arrives and its KeyboardInterrupt is lost."""
    _lost_signal()
    return 0


def test_main__a_lost_interrupt_still_exits_130_with_nothing_changed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_run", _run_losing_a_signal)
    assert cli.main(["list"]) == 130
    assert capsys.readouterr().err == "interrupted — no output was changed\n"


def test_write_bytes__nothing_replaced_after_a_lost_interrupt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "lengths.csv"
    target.write_text("old\n")
    monkeypatch.setattr(atomic, "interrupted", [])
    _lost_signal()
    with pytest.raises(KeyboardInterrupt):
        atomic.write_bytes(target, b"new\n")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lengths.csv"]


def test_main__a_new_run_forgets_an_earlier_interrupt(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(atomic, "interrupted", ["SIGTERM"])
    assert cli.main(["list", "--format", "json"]) == 0
    assert capsys.readouterr().out.startswith("[")


def test_main__an_interrupted_run_does_not_stop_later_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_run", _run_losing_a_signal)
    assert cli.main(["list"]) == 130
    atomic.write_bytes(tmp_path / "after.csv", b"new\n")  # a notebook's next write
    assert (tmp_path / "after.csv").read_text() == "new\n"
