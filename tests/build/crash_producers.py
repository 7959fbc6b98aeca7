"""Stand-in producers for the crash tests: many files, so that staging them takes a while."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

FILES = 120
SIZE = 200_000


def produce(atlas: Any, bilateral: Any, options: Any) -> Iterator[tuple[str, bytes]]:
    """Yield FILES files of SIZE bytes, each naming the build's tag (``CRASH_TAG``)."""
    tag = os.environ.get("CRASH_TAG", "old").encode()
    for i in range(FILES):
        yield f"part{i // 40}/file{i:03d}.bin", tag * (SIZE // len(tag))
