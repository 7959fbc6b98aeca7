"""
How fast can any Python tool measure a user's small file? The floor under ``corridors lengths``.

Made here, in a temporary folder: 100,000 two-point lines as GeoPackage (as in
``bench_large.py``). Each run is a separate process, timed end to end (interpreter start
included), best of ``--repeat``; printed with its ratio to the naive script of the same run
(``geopandas.read_file`` + ``Geod.geometry_length`` per feature):

- importing numpy, shapely and pyproj, and nothing else: what any geodesic tool pays;
- the leanest script that still measures the file: its GeoPackage read with ``sqlite3``
  (the GeoPackage header stripped off each blob by hand, no GDAL, no pandas), geodesic
  lengths of all pairs in one ``Geod.inv`` call, a CSV written with plain ``write`` — no
  checks, no CRS, no layers;
- ``corridors lengths FILE --out RESULT.csv``.

The bar of 5x the naive script's speed is printed beside them: where the imports alone
come near it, no tool written in Python reaches it on this machine.

Usage: python benchmarks/bench_floor.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pyogrio
from bench_large import CORRIDORS, NAIVE_LENGTHS, walks

IMPORTS = "import numpy, shapely, pyproj"

LEAN = textwrap.dedent(
    """
    import sys, sqlite3
    import numpy as np, shapely
    from pyproj import Geod
    con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
    table, column = con.execute("select table_name, column_name from gpkg_geometry_columns").fetchone()
    rows = con.execute(f'select fid, "{column}" from "{table}"').fetchall()
    envelope = np.array([0, 32, 48, 48, 64, 0, 0, 0])  # bytes, by the flags' bits 1-3
    blobs = [blob[8 + envelope[(blob[3] >> 1) & 7]:] for _, blob in rows]
    coords, index = shapely.get_coordinates(shapely.from_wkb(blobs), return_index=True)
    _, _, pair = Geod(ellps="WGS84").inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    km = np.bincount(index[1:], weights=np.where(index[1:] == index[:-1], pair, 0)) / 1000
    with open(sys.argv[2], "w") as out:
        out.write("fid,km\\n" + "".join(f"{r[0]},{k:.6f}\\n" for r, k in zip(rows, km.tolist())))
    """
)


def best(command: list[str], repeat: int) -> float:
    """Return the shortest wall time of `repeat` runs of `command`."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="corridors-floor-"))
    try:
        path = folder / "short.gpkg"
        pyogrio.write_dataframe(walks(100_000, vertices=2, seed=3), path)
        out = str(folder / "out.csv")
        naive = best([sys.executable, "-c", NAIVE_LENGTHS, str(path)], args.repeat)
        runs = {
            "import numpy, shapely, pyproj": [sys.executable, "-c", IMPORTS],
            "sqlite3 + shapely + Geod.inv, no checks": [sys.executable, "-c", LEAN, str(path), out],
            "corridors lengths --out": [*CORRIDORS, "lengths", str(path), "--out", out],
        }
        print(
            f"100,000 short lines, GeoPackage; best of {args.repeat} runs, interpreter start included"
        )
        print(f"{'read_file + Geod loop (the naive script)':<44} {naive:6.2f} s")
        print(f"{'5x faster than it (the bar)':<44} {naive / 5:6.2f} s")
        for label, command in runs.items():
            seconds = best(command, args.repeat)
            print(
                f"{label:<44} {seconds:6.2f} s   {naive / seconds:4.1f}x the naive script's speed"
            )
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
