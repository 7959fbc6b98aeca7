"""
Benchmark ``corridors reach`` with time and cost against the same reach without, in one process.

* :func:`corridors.network.reach.reach_table` with the CPMM parameters (hours and USD today,
  planned and saved for every partner and port) against the same call without parameters
  (km only): the baseline;
* :func:`corridors.network.claims.assess_claims` on the shipped claims (each claim's routes,
  estimates and the one-parameter-at-a-time swings that name what decides it).

Times are wall-clock seconds, the median of a few repeats, after one warm-up call; loading the
atlas, the network and the parameters is timed once on its own and not in the ratios. The
whole ``corridors reach`` command, loading included, must stay under 2 s on the shipped data.
Run ``python benchmarks/bench_travel.py`` (about ten seconds) or add ``--quick``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import time
from collections.abc import Callable
from typing import Any

from corridors.bilateral.tables import load_bilateral
from corridors.cli import main as cli_main
from corridors.data.atlas import load_atlas
from corridors.data.cpmm import read_claims, read_parameters
from corridors.network.claims import assess_claims
from corridors.network.graph import load_network
from corridors.network.reach import reach_table

#: The limit on reach with time and cost, in seconds, on the shipped data.
LIMIT_S = 2.0


def _median_seconds(calls: dict[str, Callable[[], Any]], repeats: int) -> dict[str, float]:
    """Median seconds of each call, the calls interleaved in every repeat, after a warm-up."""
    for call in calls.values():
        call()  # warm-up: caches, imports
    times: dict[str, list[float]] = {name: [] for name in calls}
    for _ in range(repeats):
        for name, call in calls.items():
            start = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _cli(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        cli_main(argv)


def main() -> int:
    """Print absolute seconds and ratios; exit 1 when reach with time and cost exceeds the limit."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one repeat instead of seven")
    repeats = 1 if parser.parse_args().quick else 7
    start = time.perf_counter()
    atlas = load_atlas()
    graph = load_network(atlas)
    partners = load_bilateral(atlas.data_dir).partners
    params, claims = read_parameters(atlas.data_dir), read_claims(atlas.data_dir)
    load_s = time.perf_counter() - start
    seconds = _median_seconds(
        {
            "baseline": lambda: reach_table(graph, partners),
            "timed": lambda: reach_table(graph, partners, params=params),
            "claims": lambda: assess_claims(graph, params, claims),
            "cli": lambda: _cli(["reach"]),
        },
        repeats,
    )
    baseline, timed, claimed = seconds["baseline"], seconds["timed"], seconds["claims"]
    rows = [
        ("load atlas, network, parameters, claims (once)", load_s, ""),
        ("reach, km only (baseline)", baseline, "1.00×"),
        ("reach with hours and USD", timed, f"{timed / baseline:.2f}×"),
        (f"claims ({len(claims)}) with the swings", claimed, f"{claimed / baseline:.2f}×"),
        ("corridors reach, whole command (loading included)", seconds["cli"], ""),
    ]
    for label, value, ratio in rows:
        print(f"{label:<48} {value:7.3f} s  {ratio}")
    timed = max(timed, seconds["cli"])
    verdict = "under" if timed < LIMIT_S else "OVER"
    print(f"corridors reach with hours and USD is {verdict} the {LIMIT_S:g} s limit")
    return 0 if timed < LIMIT_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
