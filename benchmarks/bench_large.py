"""
Large networks: streamed ``corridors lengths FILE --by country --out`` against naive scripts.

Made here, in a temporary folder: networks of random walks of 10 vertices (segments of 50 m
to 20 km, starting in 60–80°E, 25–45°N), as GeoParquet and as GeoPackage, of 200,000 and
1,000,000 lines (2M and 10M vertices). Every run is a separate process, whose peak memory
(VmHWM, see :data:`PROBE`) is its own. Printed, with ratios against the baselines run
in this same script:

- peak RSS and time of the streamed run at 2M and 10M vertices (the peak should not grow
  with the file) beside ``geopandas.read_file`` (``read_parquet`` for GeoParquet) +
  ``geopandas.overlay`` + geodesic length (the script a user would write), or the limit it ran into;
- throughput (vertices per second, read + split + write) with ``--jobs 2``, and the
  speed-up of ``--jobs 2`` over ``--jobs 1``;
- end to end on user files against ``geopandas.read_file`` + ``Geod.geometry_length`` per
  feature: 100,000 short lines (GeoJSON, GeoPackage) and one line of 3M vertices, each the
  best of ``--repeat`` runs taken in turn; that line by country too, beside ``read_file`` +
  ``overlay`` + ``Geod``.

Usage: python benchmarks/bench_large.py [--sizes 200000 1000000] [--baseline-limit-s 900]
       [--repeat 3]; ``--sizes`` with no sizes runs the user files only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

VERTICES = 10


def walks(lines: int, vertices: int = VERTICES, seed: int = 16) -> gpd.GeoDataFrame:
    """Random walks: `lines` lines of `vertices` vertices, segments 50 m to 20 km."""
    rng = np.random.default_rng(seed)
    lon0 = rng.uniform(60, 80, lines)
    lat0 = rng.uniform(25, 45, lines)
    step_m = rng.uniform(50, 20_000, (lines, vertices - 1))
    heading = rng.uniform(0, 2 * np.pi, (lines, vertices - 1))
    dlat = step_m * np.cos(heading) / 111_320
    lat = np.concatenate([lat0[:, None], lat0[:, None] + np.cumsum(dlat, axis=1)], axis=1)
    dlon = step_m * np.sin(heading) / (111_320 * np.cos(np.radians(lat[:, :-1])))
    lon = np.concatenate([lon0[:, None], lon0[:, None] + np.cumsum(dlon, axis=1)], axis=1)
    coords = np.stack([lon.ravel(), lat.ravel()], axis=1)
    geometry = shapely.linestrings(coords, indices=np.repeat(np.arange(lines), vertices))
    return gpd.GeoDataFrame(
        {
            "id": np.arange(lines, dtype=np.int64),
            "name": np.char.add("way ", np.arange(lines).astype(str)),
        },
        geometry=geometry,
        crs="EPSG:4326",
    )


def write(frame: gpd.GeoDataFrame, folder: Path, stem: str) -> dict[str, Path]:
    paths = {"GeoParquet": folder / f"{stem}.parquet", "GeoPackage": folder / f"{stem}.gpkg"}
    frame.to_parquet(paths["GeoParquet"], row_group_size=65_536)
    pyogrio.write_dataframe(frame, paths["GeoPackage"], layer="ways", use_arrow=True)
    os.sync()  # the kernel writing these files back to disk would slow the first timed runs
    return paths


#: Prepended to every measured script: at exit it writes the process's peak RSS (VmHWM, the
#: high-water mark of its own memory since exec) to $PEAK_FILE. ``ru_maxrss`` would not do:
#: Linux carries the forking parent's resident memory over into the child's.
PROBE = textwrap.dedent(
    """
    import atexit, os
    def _peak():
        with open("/proc/self/status") as status, open(os.environ["PEAK_FILE"], "w") as out:
            out.write(next(l.split()[1] for l in status if l.startswith("VmHWM")))
    atexit.register(_peak)
    """
)


def run(
    command: list[str], limit_s: float | None = None, memory_gb: float | None = None
) -> tuple[str, float, float]:
    """Run ``python -c SCRIPT ARGS``; return (outcome, seconds, peak RSS in MiB, NaN if unknown)."""
    peak_file = Path(tempfile.mkstemp(prefix="peak-")[1])
    env = {**os.environ, "PEAK_FILE": str(peak_file)}

    def limits() -> None:
        if memory_gb:
            cap = int(memory_gb * 2**30)
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    process = subprocess.Popen(
        [command[0], "-c", PROBE + command[2], *command[3:]],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limits,
        env=env,
    )
    try:
        _, err_bytes = process.communicate(timeout=limit_s)
        outcome = "ok"
    except subprocess.TimeoutExpired:
        process.kill()
        _, err_bytes = process.communicate()
        outcome = f"stopped after {limit_s:.0f} s"
    seconds = time.perf_counter() - start
    err = err_bytes.decode(errors="replace")
    if outcome == "ok" and process.returncode != 0:
        last = err.strip().splitlines()[-1] if err.strip() else "no message"
        outcome = (
            "ran out of memory"
            if "MemoryError" in err or "bad_alloc" in err
            else f"failed: {last[:80]}"
        )
    text = peak_file.read_text().strip()
    peak_file.unlink()
    return outcome, seconds, (int(text) / 1024 if text else float("nan"))


CORRIDORS = [
    sys.executable,
    "-c",
    "import sys\nfrom corridors.cli import main\nsys.exit(main(sys.argv[1:]))",
    "-q",
]

NAIVE_OVERLAY = textwrap.dedent(
    """
    import sys, geopandas as gpd, pyproj
    from corridors.data.atlas import measuring_boundaries
    path = sys.argv[1]
    lines = gpd.read_parquet(path) if path.endswith(".parquet") else gpd.read_file(path)
    parts = gpd.overlay(lines, measuring_boundaries()[["iso3", "geometry"]], how="intersection", keep_geom_type=True)
    geod = pyproj.Geod(ellps="WGS84")
    parts["km"] = [geod.geometry_length(g) / 1000 for g in parts.geometry]
    parts.drop(columns="geometry").to_parquet(sys.argv[2])
    """
)

NAIVE_LENGTHS = textwrap.dedent(
    """
    import sys, geopandas as gpd, pyproj
    geod = pyproj.Geod(ellps="WGS84")
    path = sys.argv[1]
    lines = gpd.read_parquet(path) if path.endswith(".parquet") else gpd.read_file(path)
    km = [geod.geometry_length(g) / 1000 for g in lines.geometry]
    print(len(km), sum(km))
    """
)


def naive(script: str, *args: str) -> list[str]:
    return [sys.executable, "-c", script, *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200_000, 1_000_000])
    parser.add_argument("--baseline-limit-s", type=float, default=900)
    parser.add_argument("--baseline-memory-gb", type=float, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each user file; the best")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="corridors-bench-"))
    try:
        peaks: dict[str, list[float]] = {}
        print(f"{'file':<34} {'run':<34} {'time':>8} {'peak RSS':>10}  outcome")
        for lines in args.sizes:
            paths = write(walks(lines), folder, f"walks_{lines}")
            for kind, path in paths.items():
                label = f"{lines * VERTICES / 1e6:.0f}M vertices, {kind}"
                out = folder / "result.parquet"
                outcome, seconds, peak = run(
                    [
                        *CORRIDORS,
                        "lengths",
                        str(path),
                        "--by",
                        "country",
                        "--out",
                        str(out),
                        "--jobs",
                        "2",
                    ]
                )
                peaks.setdefault(kind, []).append(peak)
                rate = lines * VERTICES / seconds / 1e6
                print(
                    f"{label:<34} {'corridors --by country --jobs 2':<34} {seconds:7.1f}s {peak:8.0f}MiB  {outcome}, {rate:.2f}M vertices/s"
                )
                one, seconds_1, peak_1 = run(
                    [
                        *CORRIDORS,
                        "lengths",
                        str(path),
                        "--by",
                        "country",
                        "--out",
                        str(out),
                        "--jobs",
                        "1",
                    ]
                )
                print(
                    f"{'':<34} {'corridors --by country --jobs 1':<34} {seconds_1:7.1f}s {peak_1:8.0f}MiB  {one}; --jobs 2 is {seconds_1 / seconds:.2f}x faster"
                )
                base, seconds_b, peak_b = run(
                    naive(NAIVE_OVERLAY, str(path), str(out)),
                    args.baseline_limit_s,
                    args.baseline_memory_gb,
                )
                print(
                    f"{'':<34} {'read_file + overlay + Geod':<34} {seconds_b:7.1f}s {peak_b:8.0f}MiB  {base}; corridors {seconds_b / seconds:.1f}x faster, {peak_b / peak:.1f}x less memory"
                )
        for kind, values in peaks.items():
            if len(values) > 1:
                print(
                    f"peak RSS, {kind}: {values[-1] / values[0]:.2f}x from the smallest to the largest file"
                )
        print()
        short = walks(100_000, vertices=2, seed=3)
        one_line = gpd.GeoDataFrame(
            {"id": [1]},
            geometry=[shapely.LineString(walks(300_000, seed=5).get_coordinates().to_numpy())],
            crs="EPSG:4326",
        )
        cases = {
            "100,000 short lines, GeoJSON": folder / "short.geojson",
            "100,000 short lines, GeoPackage": folder / "short.gpkg",
            "one line of 3M vertices, GeoPackage": folder / "long.gpkg",
        }
        pyogrio.write_dataframe(short, cases["100,000 short lines, GeoJSON"], driver="GeoJSON")
        pyogrio.write_dataframe(short, cases["100,000 short lines, GeoPackage"])
        pyogrio.write_dataframe(one_line, cases["one line of 3M vertices, GeoPackage"])
        os.sync()
        for label, path in cases.items():
            out = folder / "result.csv"
            ours, theirs = [], []
            for _ in range(args.repeat):  # in turn, so that both meet the machine's same moods
                ours.append(run([*CORRIDORS, "lengths", str(path), "--out", str(out)]))
                theirs.append(run(naive(NAIVE_LENGTHS, str(path))))
            _, seconds, peak = min(ours, key=lambda r: r[1])
            _, seconds_n, peak_n = min(theirs, key=lambda r: r[1])
            print(
                f"{label:<38} corridors lengths --out {seconds:6.2f}s {peak:6.0f}MiB | read_file + Geod loop {seconds_n:6.2f}s {peak_n:6.0f}MiB | {seconds_n / seconds:.1f}x faster"
            )
        # The same line by country: its 300,000 jumps of up to 2,750 km are 36M pairs once
        # densified every 10 km, cut a bounded chunk at a time.
        long_line = cases["one line of 3M vertices, GeoPackage"]
        command = [*CORRIDORS, "lengths", str(long_line), "--by", "country", "--out"]
        outcome, seconds, peak = run([*command, str(folder / "result.csv")])
        base, seconds_b, peak_b = run(
            naive(NAIVE_OVERLAY, str(long_line), str(folder / "overlay.parquet")),
            args.baseline_limit_s,
            args.baseline_memory_gb,
        )
        print(
            f"{'the same line, --by country':<38} corridors lengths --out {seconds:6.2f}s {peak:6.0f}MiB {outcome} | read_file + overlay + Geod {seconds_b:6.2f}s {peak_b:6.0f}MiB {base}"
        )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
