"""
Build time against the number of segments: the shipped data, then one corridor with extra segments.

The extra segments go into the QTTA corridor (role ``alternative``, so corridor totals stay
as they are), laid out two ways:

- ``pieces`` (the target's case): QTTA's first segment cut into that many consecutive short
  segments, as a corridor mapped in 2,000 pieces is — the drawn length stays the same;
- ``copies``: that many full-length copies of the segment on top of each other, the worst
  case for drawing (figures rasterise every copy over the same pixels).

A build should grow linearly with the segments: the target is that 2,000 extra segments
build in under 2x the shipped data's time.
The ratios are against the shipped build in this same process, best of ``--repeat`` builds
(wall clock, and CPU time of the process, which a busy neighbour on the machine disturbs less).

Usage: python benchmarks/bench_scale.py [--extra 500 1000 2000] [--layout pieces copies]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import shapely
import shapely.geometry
from shapely.ops import substring

from corridors.build import build
from corridors.data.paths import default_data_dir


def with_extra(data: Path, extra: int, layout: str = "pieces") -> Path:
    """Copy `data` and add `extra` segments to qtta.geojson, as ``pieces`` or ``copies``."""
    target = Path(tempfile.mkdtemp()) / "geodata"
    shutil.copytree(data, target)
    path = target / "corridors" / "qtta.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    first = collection["features"][0]
    line = shapely.geometry.shape(first["geometry"])
    for i in range(extra):
        copy = json.loads(json.dumps(first))
        copy["properties"]["segment_id"] = f"qtta_extra_{i:04d}"
        copy["properties"]["role"] = "alternative"
        if layout == "pieces":
            piece = substring(line, i / extra, (i + 1) / extra, normalized=True)
            copy["geometry"] = shapely.geometry.mapping(piece)
        collection["features"].append(copy)
    path.write_text(json.dumps(collection), encoding="utf-8")
    return target


def seconds(data: Path, repeat: int) -> tuple[float, float]:
    """Best wall and CPU seconds of `repeat` builds of `data` (the least disturbed run)."""
    wall, cpu = [], []
    for _ in range(repeat):
        out = Path(tempfile.mkdtemp()) / "output"
        start, start_cpu = time.perf_counter(), time.process_time()
        build(data, out)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        shutil.rmtree(out.parent)
    return min(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--extra", type=int, nargs="*", default=[500, 1000, 2000])
    parser.add_argument("--layout", nargs="*", default=["pieces", "copies"])
    parser.add_argument("--repeat", type=int, default=3, help="builds of each; the best counts")
    args = parser.parse_args()
    seconds(default_data_dir(), 1)  # warm imports and caches
    base, base_cpu = seconds(default_data_dir(), args.repeat)
    print(f"{'data':<34} {'wall':>7} {'ratio':>6} {'cpu':>7} {'ratio':>6}")
    print(f"{'shipped data (38 segments)':<34} {base:6.1f}s {1:5.2f}x {base_cpu:6.1f}s {1:5.2f}x")
    for layout in args.layout:
        for extra in args.extra:
            data = with_extra(default_data_dir(), extra, layout)
            took, took_cpu = seconds(data, args.repeat)
            shutil.rmtree(data.parent)
            label = f"+{extra:,} segments ({layout})"
            print(
                f"{label:<34} {took:6.1f}s {took / base:5.2f}x {took_cpu:6.1f}s {took_cpu / base_cpu:5.2f}x"
            )


if __name__ == "__main__":
    main()
