"""Killed, interrupted, terminated or run twice at once: the output is the old build or the new one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile_cases import snapshot

HERE = Path(__file__).parent
CORRIDORS = Path(sys.executable).with_name("corridors")
# A real `corridors build` whose producers are the stand-ins of crash_producers.py.
STAND_IN = (
    "import sys; sys.path.insert(0, {here!r}); import corridors.build as b; "
    "b.PRODUCERS = ['crash_producers:produce']; from corridors.cli import main; "
    "sys.exit(main(['build', '--out', {out!r}]))"
)


def _start(
    out: Path, tag: str, *, real: bool = False, data: Path | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "CRASH_TAG": tag}
    if real:
        argv = [
            str(CORRIDORS),
            "build",
            "--out",
            str(out),
            *(["--data", str(data)] if data else []),
        ]
    else:
        argv = [sys.executable, "-c", STAND_IN.format(here=str(HERE), out=str(out))]
    return subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _staging(out: Path) -> list[Path]:
    return sorted(out.parent.glob(f".{out.name}.build-*"))


def _wait_for_staging(out: Path, proc: subprocess.Popen[str], limit: float = 120.0) -> bool:
    """Poll until the build has a staging folder beside `out` (False if it ended first)."""
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        if _staging(out):
            return True
        time.sleep(0.002)
    return False


@pytest.fixture(scope="module")
def references(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The complete old and new stand-in builds, byte for byte."""
    base = tmp_path_factory.mktemp("refs")
    refs = {}
    for tag in ("old", "new"):
        proc = _start(base / tag, tag)
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        refs[tag] = snapshot(base / tag)
    refs["_old_dir"] = {"path": str(base / "old")}
    return refs


def _old_output(tmp_path: Path, references: dict[str, dict[str, str]]) -> Path:
    out = tmp_path / "output"
    shutil.copytree(references["_old_dir"]["path"], out)
    return out


# Kill moments: seconds after the process starts, or after its staging folder appears.
MOMENTS = [("start", 0.3), ("start", 1.5)] + [
    ("staging", d) for d in (0, 0.005, 0.02, 0.05, 0.1, 0.2, 0.4, 0.8)
]


@pytest.mark.parametrize(("after", "delay"), MOMENTS)
def test_sigkill__output_is_the_old_build_or_the_new_one(
    after: str, delay: float, tmp_path: Path, references: dict[str, dict[str, str]]
) -> None:
    out = _old_output(tmp_path, references)
    proc = _start(out, "new")
    if after == "staging":
        _wait_for_staging(out, proc)
    time.sleep(delay)
    proc.kill()
    proc.communicate(timeout=30)
    state = snapshot(out)
    assert state in (references["old"], references["new"])
    # The next build removes what the killed one left, says so, and succeeds.
    again = _start(out, "new")
    again.communicate(timeout=120)
    assert again.returncode == 0
    assert snapshot(out) == references["new"]
    assert _staging(out) == []


def test_sigkill__the_next_build_says_it_removed_the_leftovers(
    tmp_path: Path, references: dict[str, dict[str, str]]
) -> None:
    out = _old_output(tmp_path, references)
    proc = _start(out, "new")
    assert _wait_for_staging(out, proc)
    proc.kill()
    proc.communicate(timeout=30)
    left = _staging(out)
    assert left, "the kill left a staging folder"
    again = _start(out, "new")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0
    assert f"removed the leftovers of an interrupted build: {left[0]}" in err
    assert _staging(out) == []


@pytest.mark.parametrize(("sig", "after", "delay"), [
    (signal.SIGINT, "start", 0.3), (signal.SIGINT, "start", 1.5), (signal.SIGINT, "staging", 0.0),
    (signal.SIGTERM, "start", 1.0), (signal.SIGTERM, "staging", 0.02), (signal.SIGHUP, "start", 1.0),
])  # fmt: skip
def test_signal__one_line_exit_130_and_old_or_new_output(
    sig: signal.Signals, after: str, delay: float, tmp_path: Path,
    references: dict[str, dict[str, str]],
) -> None:  # fmt: skip
    out = _old_output(tmp_path, references)
    # From the start: the real command (its own data, so it never gets as far as writing);
    # while staging: the stand-in, whose producers write for long enough to be caught.
    proc = _start(out, "new", real=after == "start")
    if after == "staging":
        _wait_for_staging(out, proc)
    time.sleep(delay)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    state = snapshot(out)
    if proc.returncode == 0:  # the signal came after the build had finished
        assert state == references["new"]
        return
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    if state == references["old"]:
        assert last == "interrupted — no output was changed"
    else:
        assert state == references["new"] and last == f"interrupted — {out} holds the new output"
    assert _staging(out) == []


def test_two_builds_at_once__one_fails_naming_the_other_and_the_folder_is_one_build(
    tmp_path: Path, references: dict[str, dict[str, str]]
) -> None:
    out = _old_output(tmp_path, references)
    first, second = _start(out, "new"), _start(out, "new")
    results = [(*p.communicate(timeout=120), p.returncode) for p in (first, second)]
    codes = sorted(code for _, _, code in results)
    assert codes in ([0, 0], [0, 1])
    if codes == [0, 1]:
        err = next(err for _, err, code in results if code == 1)
        assert err.count("\n") == 1
        assert "another corridors command (pid " in err and "is writing here" in err
    assert snapshot(out) == references["new"]
    assert _staging(out) == []


def test_real_build__killed_while_staging_or_interrupted_leaves_old_or_new(
    tmp_path: Path,
) -> None:
    out = tmp_path / "output"
    assert (
        subprocess.run([str(CORRIDORS), "-q", "build", "--out", str(out)], check=False).returncode
        == 0
    )
    old = snapshot(out)
    proc = _start(out, "", real=True)
    assert _wait_for_staging(out, proc)
    proc.kill()
    proc.communicate(timeout=30)
    assert snapshot(out) == old  # the same data: the new build is the old one, byte for byte
    proc = _start(out, "", real=True)
    time.sleep(3.0)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130 and "Traceback" not in err
    assert err.splitlines()[-1] == "interrupted — no output was changed"
    assert snapshot(out) == old and _staging(out) == []
