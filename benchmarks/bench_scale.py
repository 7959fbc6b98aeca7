"""
Build time against the number of segments: the shipped data, then one corridor with extra segments.

Each extra segment is a copy of the QTTA corridor's first segment under a new id (role
``alternative``, so corridor totals stay as they are). A build should grow linearly with the
segments: the target is that 2,000 extra segments build in under 2x the shipped data's time.
The ratios are against the shipped build in this same process.

Usage: python benchmarks/bench_scale.py [--extra 500 1000 2000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from corridors.build import build
from corridors.data.paths import default_data_dir


def with_extra(data: Path, extra: int) -> Path:
    """Copy `data` and append `extra` copies of QTTA's first segment to qtta.geojson."""
    target = Path(tempfile.mkdtemp()) / "geodata"
    shutil.copytree(data, target)
    path = target / "corridors" / "qtta.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    first = collection["features"][0]
    for i in range(extra):
        copy = json.loads(json.dumps(first))
        copy["properties"]["segment_id"] = f"qtta_extra_{i:04d}"
        copy["properties"]["role"] = "alternative"
        collection["features"].append(copy)
    path.write_text(json.dumps(collection), encoding="utf-8")
    return target


def seconds(data: Path) -> float:
    out = Path(tempfile.mkdtemp()) / "output"
    start = time.perf_counter()
    build(data, out)
    elapsed = time.perf_counter() - start
    shutil.rmtree(out.parent)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--extra", type=int, nargs="*", default=[500, 1000, 2000])
    args = parser.parse_args()
    seconds(default_data_dir())  # warm imports and caches
    base = seconds(default_data_dir())
    print(f"shipped data (38 segments)      {base:6.1f} s  1.00x")
    for extra in args.extra:
        data = with_extra(default_data_dir(), extra)
        took = seconds(data)
        shutil.rmtree(data.parent)
        print(f"+{extra:>5,} segments in one corridor {took:6.1f} s  {took / base:.2f}x")


if __name__ == "__main__":
    main()
