"""keep_freed_memory: a second batch of the same arrays reuses the first one's memory."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from corridors.data.allocator import _glibc

# Two rounds of 200 arrays of 1 MB: made, then all freed. Prints the page faults of the
# second round. Run in a child process: the setting is for the life of a process.
ROUNDS = textwrap.dedent(
    """
    import resource, sys
    import numpy as np
    from corridors.data.allocator import keep_freed_memory
    took = keep_freed_memory() if sys.argv[1] == "keep" else None
    def faults():
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for round in range(2):
        before = faults()
        arrays = [np.ones(1 << 17) for _ in range(200)]
        del arrays
    print(took, faults() - before)
    """
)


def _second_round(mode: str) -> tuple[str, int]:
    out = subprocess.run(
        [sys.executable, "-c", ROUNDS, mode], capture_output=True, text=True, check=True
    ).stdout.split()
    return out[0], int(out[1])


@pytest.mark.skipif(_glibc() is None, reason="the setting is glibc's; this C library has none")
def test_keep_freed_memory__the_second_round_of_arrays_takes_no_new_pages() -> None:
    took, kept = _second_round("keep")
    _, default = _second_round("default")
    assert took == "True"
    assert default > 40_000  # 200 MB handed back and taken again, 4 KiB at a time
    assert kept < default / 20
