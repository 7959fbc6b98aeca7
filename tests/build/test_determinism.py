"""Every output file is byte-identical across runs, time zones, locales and working folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from hostile_cases import snapshot

CORRIDORS = Path(sys.executable).with_name("corridors")


def _build(cwd: Path, tz: str, lang: str) -> dict[str, str]:
    cwd.mkdir(parents=True)
    env = {**os.environ, "TZ": tz, "LC_ALL": lang, "LANG": lang}
    run = subprocess.run(
        [str(CORRIDORS), "-q", "build"], cwd=cwd, env=env, capture_output=True, text=True,
        check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return snapshot(cwd / "output")


def test_build__identical_under_two_time_zones_and_locales(tmp_path: Path) -> None:
    first = _build(tmp_path / "a", "UTC", "C.UTF-8")
    second = _build(tmp_path / "b" / "deeper", "Asia/Karachi", "POSIX")
    assert len(first) > 70
    assert first == second
