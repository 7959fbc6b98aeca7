"""
The Dask engine beside the streamed one: ``lengths DATASET --engine dask`` against ``--jobs 2``.

Made here, in a temporary folder: 200,000 random walks of 10 vertices (2M vertices;
segments of 50 m to 20 km, starting in 60–80°E, 25–45°N), written as a dataset of 4
GeoParquet files and, for the streamed engine, as one file of the same lines in the same
order. Both engines run in this process, on the same 2 cores:

- streamed: :func:`corridors.outputs.stream.measure_file` with ``jobs=2`` (two threads);
- Dask: :func:`corridors.outputs.dask_lengths.measure_dataset` on a LocalCluster of 2 worker
  processes with one thread each, timed warm (cluster up, workers' imports done: the
  steady state of a long-lived cluster) and end to end as the CLI runs it (starting and
  stopping its own local cluster).

Printed: the wall time of each, the ratio against the streamed run, and whether the two
engines' records are equal to 1 mm (same features, ids, countries and order). Times are the
best of ``--repeat`` runs (wall clock: the work is spread over processes).

Usage: python benchmarks/bench_dask.py [--lines 200000] [--files 4] [--by segment country]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from bench_large import walks

from corridors.data.atlas import measuring_boundaries
from corridors.outputs.dask_lengths import local_cluster, measure_dataset
from corridors.outputs.stream import measure_file

VERTICES = 10
ROW_GROUP = 16_384
#: 1 mm in km, and the float noise of two roundings to the mm (batches cut differently
#: sum a line's pieces in another order, about 1e-10 km apart).
MM = 1e-6 + 1e-9


def write_dataset(frame: gpd.GeoDataFrame, folder: Path, files: int) -> tuple[Path, Path]:
    """Write `frame` as `files` GeoParquet files and as one; return (dataset, whole file)."""
    dataset = folder / "dataset"
    dataset.mkdir()
    for k, rows in enumerate(np.array_split(np.arange(len(frame)), files)):
        frame.iloc[rows].to_parquet(dataset / f"part.{k}.parquet", row_group_size=ROW_GROUP)
    whole = folder / "whole.parquet"
    frame.to_parquet(whole, row_group_size=ROW_GROUP)
    return dataset, whole


def best(repeats: int, function: Callable[..., Any], *args: Any, **kwargs: Any) -> float:
    """Return the best wall time of `repeats` calls of ``function(*args, **kwargs)``."""
    times = []
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def same_records(dask_result: Path, streamed: Path) -> tuple[bool, float]:
    """Whether the records match (all but source_file exactly, km to 1 mm); largest km gap."""
    ours = pd.read_parquet(dask_result).sort_values("feature", kind="stable")
    theirs = pd.read_parquet(streamed)
    ours = ours.drop(columns="source_file").reset_index(drop=True)
    theirs = theirs.drop(columns="source_file").reset_index(drop=True)
    if len(ours) != len(theirs) or list(ours.columns) != list(theirs.columns):
        return False, float("inf")
    gap = float(np.abs(ours["length_km"] - theirs["length_km"]).max()) if len(ours) else 0.0
    text = [c for c in ours.columns if c != "length_km"]
    return bool(ours[text].equals(theirs[text]) and gap <= MM), gap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--by", nargs="*", default=["segment", "country"])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="corridors-bench-dask-"))
    try:
        dataset, whole = write_dataset(walks(args.lines), folder, args.files)
        boundaries = measuring_boundaries()
        vertices = args.lines * VERTICES
        print(
            f"{vertices / 1e6:.0f}M vertices ({args.lines:,} lines × {VERTICES}), "
            f"{args.files} GeoParquet files; 2 threads streamed, 2 Dask worker processes"
        )
        started = time.perf_counter()
        with local_cluster(2) as cluster:
            print(f"local cluster started in {time.perf_counter() - started:.1f} s")
            address = cluster.scheduler_address
            warm_up = folder / "warm-up"
            measure_dataset(dataset, warm_up, by="segment", scheduler=address)  # workers' imports
            for by in args.by:
                shapes = boundaries if by == "country" else None
                streamed, result = folder / f"streamed-{by}.parquet", folder / f"dask-{by}"
                stream_s = best(
                    args.repeat, measure_file, whole, streamed, by=by, boundaries=shapes, jobs=2
                )
                dask_s = best(
                    args.repeat,
                    measure_dataset,
                    dataset,
                    result,
                    by=by,
                    boundaries=shapes,
                    scheduler=address,
                )
                equal, gap = same_records(result, streamed)
                print(
                    f"--by {by:<8} streamed --jobs 2 {stream_s:6.1f} s "
                    f"({vertices / stream_s / 1e6:.2f}M vertices/s) | Dask, warm cluster "
                    f"{dask_s:6.1f} s ({vertices / dask_s / 1e6:.2f}M vertices/s) | "
                    f"Dask/streamed {dask_s / stream_s:.2f}x | records equal to 1 mm: "
                    f"{'yes' if equal else 'NO'} (largest gap {gap * 1e6:.4f} mm)"
                )
        for by in args.by:
            shapes = boundaries if by == "country" else None
            result = folder / f"dask-{by}-local"
            cold_s = best(1, measure_dataset, dataset, result, by=by, boundaries=shapes)
            print(f"--by {by:<8} Dask end to end, starting its own local cluster {cold_s:6.1f} s")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
