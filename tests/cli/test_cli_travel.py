"""``corridors route`` time and cost: ranges, borders, --assume, --date, one-line errors."""

from __future__ import annotations

import json

from corridors.cli import main


def test_main__route_road_json_has_ranges_and_sources(capsys):
    assert main(["route", "termez", "karachi", "--mode", "road", "--format", "json"]) == 0
    travel = json.loads(capsys.readouterr().out)["travel"]
    assert travel["hours_low"] < travel["hours_central"] < travel["hours_high"]
    assert [b["bcp"] for b in travel["borders"]] == ["termez–hairatan", "torkham"]
    assert travel["borders"][0]["fallback"] is True
    assert all(leg["sources"] for leg in travel["legs"])


def test_main__route_assume_is_listed_and_used(capsys):
    argv = ["route", "termez", "karachi", "--mode", "road", "--format", "json"]
    assert main([*argv, "--assume", "torkham_afg_pak_road_hours=12"]) == 0
    travel = json.loads(capsys.readouterr().out)["travel"]
    assert travel["assumptions"] == ["torkham_afg_pak_road_hours"]
    assert travel["borders"][1]["hours"] == 12.0
    assert travel["borders"][1]["sources"] == ["CPMM-2022-PAK", "assumption"]


def test_main__route_bad_assume_is_one_line(capsys):
    assert main(["route", "termez", "karachi", "--assume", "torkham_hourz=12"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: --assume torkham_hourz=12: unknown parameter — known: ")
    assert len(err.strip().splitlines()) == 1


def test_main__route_bad_assumptions_file_names_line(tmp_path, capsys):
    path = tmp_path / "a.txt"
    path.write_text("# mine\ntorkham_afg_pak_road_hours=x\n")
    assert main(["route", "termez", "karachi", "--assumptions", str(path)]) == 1
    assert (
        "a.txt: line 2: torkham_afg_pak_road_hours=x: value must be a number"
        in capsys.readouterr().err
    )


def test_main__route_date_over_khunjerab_waits(capsys):
    argv = ["route", "kashgar", "karachi", "--mode", "road", "--format", "json"]
    assert main([*argv, "--date", "2025-01-15"]) == 0
    waits = json.loads(capsys.readouterr().out)["travel"]["waits"]
    assert waits[0]["place"] == "khunjerab" and waits[0]["hours_central"] > 0


def test_main__route_bad_date_is_one_line(capsys):
    assert main(["route", "kashgar", "karachi", "--date", "15/01/2025"]) == 1
    assert "expected a day as YYYY-MM-DD" in capsys.readouterr().err


def test_main__route_rail_road_counts_the_transshipment(capsys):
    argv = ["route", "termez", "karachi", "--mode", "rail+road", "--status", "all"]
    assert main([*argv, "--format", "json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["mode"] == "rail+road"
    assert {leg["mode"] for leg in record["legs"]} == {"railway", "road"}
    travel = record["travel"]
    assert [t["place"] for t in travel["transshipments"]] == ["peshawar"]
    assert travel["hours_low"] < travel["hours_central"] < travel["hours_high"]
    assert "transshipment_hours" in travel["parameters"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "by rail+road (all links)" in out
    assert "transshipment at peshawar (railway → road)" in out


def test_main__claims_json_table_and_markdown(capsys):
    assert main(["claims", "--format", "json"]) == 0
    claims = {c["claim_id"]: c for c in json.loads(capsys.readouterr().out)["claims"]}
    assert claims["tar_30pct_time_karachi"]["model_central"] == 10.8
    assert claims["tar_30pct_time_karachi"]["verdict"].startswith("inside the range")
    assert main(["claims"]) == 0
    out = capsys.readouterr().out
    assert "tar_30pct_time_karachi" in out and "assumptions: none" in out
    assert main(["claims", "--format", "markdown", "--assume", "transshipment_hours=12"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("| claim_id |") and "assumptions: transshipment_hours" in out


def test_main__reach_has_hours_and_usd_today_planned_and_saved(capsys):
    assert main(["reach", "--format", "json"]) == 0
    rows = {r["partner"]: r for r in json.loads(capsys.readouterr().out)["reach"]}
    uzb = rows["UZB"]
    # Termez → Karachi today is the road route of `corridors route termez karachi --mode road`
    assert (uzb["karachi_today_hours_low"], uzb["karachi_today_hours_central"]) == (82.3, 141.3)
    assert uzb["karachi_today_hours"] == "141 (82–204)"
    saved = uzb["karachi_saved_hours_central"]
    assert saved == round(
        uzb["karachi_today_hours_central"] - uzb["karachi_planned_hours_central"], 1
    )
    assert rows["KGZ"]["karachi_saved_usd"] == "0 (0–0)"  # the same route today and planned
    assert rows["TJK"].get("karachi_today_hours") is None  # Dushanbe is not on the network
    assert main(["reach", "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0].split(",")
    assert "karachi_today_usd_central" in header and "gwadar_saved_hours_high" in header
    assert main(["reach", "--assume", "transshipment_hours=0"]) == 0
    assert "Hours and USD per 20-t load to the ports" in capsys.readouterr().out


def test_main__route_assume_a_crossing_in_every_direction(capsys):
    argv = ["route", "termez", "karachi", "--mode", "road", "--format", "json"]
    assert main([*argv, "--assume", "torkham_hours=12"]) == 0
    travel = json.loads(capsys.readouterr().out)["travel"]
    torkham = next(b for b in travel["borders"] if b["bcp"] == "torkham")
    assert torkham["hours"] == 12.0
    assert travel["assumptions"] == ["torkham_afg_pak_road_hours"]
