"""Tests of corridors.bilateral.tables: shipped values against the source text, validation, joins."""

from __future__ import annotations

import csv
import math
import re
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from corridors.bilateral.schema import TABLES
from corridors.bilateral.tables import (
    Bilateral,
    corridors_for_partner,
    country_profile,
    load_bilateral,
    partners_for_corridor,
    partners_gdf,
    timeline,
)
from corridors.data.atlas import CORRIDOR_IDS, load_catalog
from corridors.data.paths import default_data_dir
from corridors.errors import CorridorDataError

FIXTURES = Path(__file__).parents[1] / "fixtures"
SOURCE_FILES = {
    "MOFA-SEED": "004_01e806f655677d46.txt",
    "SEED-OVN": "000_84056e0b837b16f8.txt",
}


@pytest.fixture(scope="module")
def shipped() -> Bilateral:
    return load_bilateral()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture tables, laid out like geodata/."""
    shutil.copytree(FIXTURES / "bilateral", tmp_path / "bilateral")
    return tmp_path


def edit(data_dir: Path, name: str, old: str, new: str) -> None:
    """Replace the first `old` in one fixture table; fail loudly if it is not there."""
    path = data_dir / "bilateral" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def set_column(data_dir: Path, name: str, column: str, value: str | None) -> None:
    """Add `column` holding `value` in every row of a fixture table, or drop it if None."""
    path = data_dir / "bilateral" / name
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row.pop(column, None) if value is None else row.update({column: value})
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def problems_of(data_dir: Path) -> list[str]:
    with pytest.raises(CorridorDataError) as caught:
        load_bilateral(data_dir)
    return caught.value.problems


def trade_row(bilateral: Bilateral, iso3: str) -> pd.Series:
    rows = bilateral.trade[bilateral.trade["iso3"] == iso3]
    assert len(rows) == 1
    return rows.iloc[0]


# --- shipped values, checked against the sentences of the sources -----------------------------


def test_load_bilateral__kazakhstan_export_receipts(shipped: Bilateral) -> None:
    # "Pakistan’s export receipts from Kazakhstan were US$ 250.7 million in FY 2024–25."
    row = trade_row(shipped, "KAZ")
    assert (row["period"], row["exports_usd_m"], row["imports_usd_m"]) == ("FY2024-25", 250.7, 1.12)
    assert (row["agency"], row["basis"]) == ("Ministry of Commerce", "receipts/payments")
    assert pd.isna(row["total_usd_m"])


def test_country_profile__kazakhstan_relations_since_24_february_1992(shipped: Bilateral) -> None:
    relations = country_profile(shipped, "KAZ")["relations_established"]
    assert (relations["date"], relations["precision"]) == ("1992-02-24", "day")
    assert "established 24 February 1992" in relations["quote"]


def test_country_profile__azerbaijan_relations_since_9_june_1992(shipped: Bilateral) -> None:
    relations = country_profile(shipped, "AZE")["relations_established"]
    assert (relations["date"], relations["precision"]) == ("1992-06-09", "day")


def test_country_profile__kyrgyz_relations_year_only(shipped: Bilateral) -> None:
    relations = country_profile(shipped, "KGZ")["relations_established"]
    assert (relations["date"], relations["precision"]) == ("1992", "year")


def test_country_profile__kyrgyz_trade_parts_add_up(shipped: Bilateral) -> None:
    # "US$ 5.18 million US$ of which US$ 4.85 million were Pakistani exports and US$ 0.33 million"
    (trade,) = country_profile(shipped, "KGZ")["trade"]
    assert (trade["exports_usd_m"], trade["imports_usd_m"], trade["total_usd_m"]) == (
        4.85,
        0.33,
        5.18,
    )
    assert trade["sum_usd_m"] == 5.18
    assert trade["balance_usd_m"] == 4.52
    assert "total_mismatch" not in trade["flag"]


def test_load_bilateral__tajik_total_disagrees_with_parts_and_is_flagged(
    shipped: Bilateral,
) -> None:
    row = trade_row(shipped, "TJK")
    assert (row["exports_usd_m"], row["imports_usd_m"], row["total_usd_m"]) == (26, 3.16, 29)
    assert row["flag"] == "total_mismatch"
    assert "29.16" in row["notes"]


def test_load_bilateral__uzbek_total_has_no_year_and_disagrees(shipped: Bilateral) -> None:
    row = trade_row(shipped, "UZB")
    assert (row["period"], row["total_usd_m"]) == ("unstated", 111)
    assert round(row["exports_usd_m"] + row["imports_usd_m"], 2) == 111.62
    assert row["flag"] == "total_mismatch; period_unstated"


def test_load_bilateral__azerbaijan_export_wording_kept_visible(shipped: Bilateral) -> None:
    row = trade_row(shipped, "AZE")
    assert (row["exports_usd_m"], row["imports_usd_m"], row["flag"]) == (5.05, 1.09, "wording")
    assert "export from Azerbaijan" in row["quote"]
    assert "export from Azerbaijan" in row["notes"]


def test_load_bilateral__kyrgyz_state_visit_signed_16(shipped: Bilateral) -> None:
    visits = shipped.visits[shipped.visits["iso3"] == "KGZ"]
    assert visits[["date_start", "date_end", "signed_count"]].values.tolist() == [
        ["2025-12-03", "2025-12-04", 16]
    ]
    agreements = shipped.agreements
    batch = agreements[(agreements["iso3"] == "KGZ") & (agreements["count"] == 16)]
    assert batch[["date", "title"]].values.tolist() == [["2025-12-03", "16 MoUs/Agreements"]]


def test_load_bilateral__mechanism_sessions_as_stated(shipped: Bilateral) -> None:
    mech = shipped.mechanisms.set_index(["iso3", "kind"])
    kaz = mech.loc[("KAZ", "intergovernmental_commission")]
    assert (kaz["sessions_held"], kaz["latest_date"], kaz["latest_place"]) == (
        13,
        "2025-04-14",
        "Islamabad",
    )
    assert pd.isna(kaz["latest_session"])  # "thirteen sessions" held; the latest is not numbered
    aze = mech.loc[("AZE", "intergovernmental_commission")]
    assert (aze["latest_session"], aze["latest_date"], aze["latest_date_end"]) == (
        8,
        "2025-01-23",
        "2025-01-24",
    )


def test_shipped_tables__quotes_are_verbatim_in_the_sources(shipped: Bilateral) -> None:
    texts = {
        key: re.sub(r"\s+", " ", (default_data_dir() / "sources" / name).read_text("utf-8"))
        for key, name in SOURCE_FILES.items()
    }
    checked = 0
    for frame in (
        shipped.partners,
        shipped.trade,
        shipped.mechanisms,
        shipped.visits,
        shipped.agreements,
        shipped.connectivity,
    ):
        for source, quote in frame[["source", "quote"]].itertuples(index=False):
            keys = [k for k in source.split("; ") if k in texts]
            assert any(re.sub(r"\s+", " ", quote) in texts[k] for k in keys), quote
            checked += 1
    assert checked == 6 + 6 + 15 + 13 + 13 + 11


def test_shipped_tables__every_source_key_is_in_sources_csv(shipped: Bilateral) -> None:
    with open(default_data_dir() / "sources.csv", encoding="utf-8", newline="") as handle:
        known = {row["key"] for row in csv.DictReader(handle)}
    cited: set[str] = set()
    for frame in (shipped.trade, shipped.mechanisms, shipped.visits, shipped.agreements):
        cited.update(k for cell in frame["source"] for k in cell.split("; "))
    partners = shipped.partners
    for column in ("source", "name_source", "capital_coord_source"):
        cited.update(k for cell in partners[column] for k in cell.split("; "))
    resolved = {"CSC" if key.startswith("CSC-") else key for key in cited}
    assert resolved - known == set()


def test_shipped_tables__connectivity_corridors_exist_in_catalog(shipped: Bilateral) -> None:
    catalog = load_catalog()
    assert set(shipped.connectivity["corridor"]) <= set(catalog)
    assert set(catalog) == set(CORRIDOR_IDS)


# --- joins and lookups ------------------------------------------------------------------------


def test_corridors_for_partner__turkmenistan(shipped: Bilateral) -> None:
    assert corridors_for_partner(shipped, "tkm") == ["tapi", "tap_power", "ktap_railway"]


def test_partners_for_corridor__qtta(shipped: Bilateral) -> None:
    assert partners_for_corridor(shipped, "qtta") == ["KAZ", "KGZ"]


def test_partners_for_corridor__rejects_unknown_id(shipped: Bilateral) -> None:
    with pytest.raises(CorridorDataError, match="unknown corridor 'silk_road' — use one of tapi"):
        partners_for_corridor(shipped, "silk_road")


def test_country_profile__rejects_unknown_code_listing_valid_ones(shipped: Bilateral) -> None:
    with pytest.raises(
        CorridorDataError, match="unknown partner 'XYZ' — use one of AZE, KAZ, KGZ, TJK, TKM, UZB"
    ):
        country_profile(shipped, "XYZ")


def test_country_profile__visits_latest_first(shipped: Bilateral) -> None:
    dates = [v["date_start"] for v in country_profile(shipped, "AZE")["visits"]]
    assert dates == ["2025-02", "2025", "2024-11", "2024-07", "2023-06"]


def boundaries() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "iso3": ["KAZ", "KGZ", "CHN"],
            "name": ["Kazakhstan", "Kyrgyzstan", "China"],
            "disputed": [False, False, False],
            "source": ["test", "test", "test"],
        },
        geometry=[box(46, 40, 87, 55), box(69, 39, 80, 43), box(73, 18, 135, 53)],
        crs="EPSG:4326",
    )


def test_partners_gdf__joins_polygons_by_iso3(data_dir: Path) -> None:
    joined = partners_gdf(load_bilateral(data_dir), boundaries())
    assert joined[["iso3", "capital", "boundary_name"]].values.tolist() == [
        ["KAZ", "Astana", "Kazakhstan"],
        ["KGZ", "Bishkek", "Kyrgyzstan"],
    ]
    assert joined.crs == boundaries().crs
    assert joined.geometry.iloc[1].equals(box(69, 39, 80, 43))


def test_partners_gdf__warns_about_partner_without_polygon(data_dir: Path) -> None:
    with pytest.warns(UserWarning, match="boundaries hold no polygon for KGZ"):
        joined = partners_gdf(load_bilateral(data_dir), boundaries().iloc[[0, 2]])
    assert joined["iso3"].tolist() == ["KAZ"]


def test_partners_gdf__rejects_boundaries_without_iso3(data_dir: Path) -> None:
    shapes = boundaries().drop(columns="iso3")
    with pytest.raises(CorridorDataError, match="boundaries: no 'iso3' column"):
        partners_gdf(load_bilateral(data_dir), shapes)


# --- timeline ---------------------------------------------------------------------------------


def test_timeline__sorted_with_qtta_once(shipped: Bilateral) -> None:
    events = timeline(shipped)
    assert events["date"].tolist() == sorted(events["date"])
    assert events.iloc[0][["date", "precision", "partner"]].tolist() == ["1992", "year", "KGZ"]
    qtta = events[events["corridor"] == "qtta"]
    assert qtta[["date", "partner", "kind"]].values.tolist() == [
        ["1995-03-09", "KAZ; KGZ", "agreement"]
    ]


def test_timeline__includes_jwg_agreement_of_19_july_2025(shipped: Bilateral) -> None:
    events = timeline(shipped)
    jwg = events[events["event"].str.contains("JWGs")]
    assert jwg[["date", "partner", "corridor"]].values.tolist() == [
        ["2025-07-19", "AZE", "pak_aze_rail"]
    ]


def test_timeline__merges_catalog_milestones(data_dir: Path) -> None:
    catalog = {
        "corridors": [
            {"id": "tapi", "name": "TAPI", "milestones": [
                {"date": "2010-12-11", "event": "Framework agreement", "sources": ["A", "B"]},
                {"date": "2018-12", "event": "Route survey approved", "sources": []},
            ]},
        ]
    }  # fmt: skip
    bilateral = load_bilateral(data_dir)
    events = timeline(bilateral, catalog)
    assert len(events) == len(timeline(bilateral)) + 2
    tapi = events[events["corridor"] == "tapi"]
    assert tapi[["date", "precision", "kind", "source"]].values.tolist() == [
        ["2010-12-11", "day", "milestone", "A; B"],
        ["2018-12", "month", "milestone", ""],
    ]


def test_timeline__accepts_catalog_keyed_by_id(shipped: Bilateral) -> None:
    catalog = load_catalog()
    milestones = sum(len(c["milestones"]) for c in catalog.values())
    assert len(timeline(shipped, catalog)) == len(timeline(shipped)) + milestones


def test_timeline__rejects_unreal_milestone_date(shipped: Bilateral) -> None:
    catalog = {"corridors": [{"id": "tapi", "milestones": [{"date": "2025-02-30", "event": "x"}]}]}
    with pytest.raises(
        CorridorDataError, match=r"catalog.json: corridor 'tapi': milestones.0.date: '2025-02-30'"
    ):
        timeline(shipped, catalog)


# --- validation: one test per rule, each asserting its message ---------------------------------


def test_load_bilateral__fixture_is_valid(data_dir: Path) -> None:
    bilateral = load_bilateral(data_dir)
    assert bilateral.partners["iso3"].tolist() == ["KAZ", "KGZ"]
    assert bilateral.trade["exports_usd_m"].tolist() == [250.7, 4.85]


def test_load_bilateral__rejects_missing_column(data_dir: Path) -> None:
    set_column(data_dir, "trade.csv", "flag", None)
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/trade\.csv: missing column 'flag' — add it to the header",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_extra_column(data_dir: Path) -> None:
    set_column(data_dir, "connectivity.csv", "comment", "x")
    with pytest.raises(
        CorridorDataError, match=r"connectivity.csv: unexpected column 'comment' — remove it"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_negative_trade(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",250.7,", ",-250.7,")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/trade\.csv: row 2 \(KAZ, FY2024-25\): exports_usd_m must be a number >= 0, "
        r"got '-250.7' — fix the value or leave the cell empty\.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_non_number(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",0.33,", ",n/a,")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/trade\.csv: row 3 \(KGZ, FY2024-25\): imports_usd_m must be a number >= 0, "
        r"got 'n/a' — fix the value or leave the cell empty\.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_infinite_number(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",5.18,", ",inf,")
    with pytest.raises(CorridorDataError, match="total_usd_m must be a number >= 0, got 'inf'"):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_unreal_calendar_date(data_dir: Path) -> None:
    edit(data_dir, "visits.csv", "2025-12-03,2025-12-04", "2025-02-30,2025-12-04")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/visits\.csv: row 2 \(KGZ, 2025-02-30\): date_start must be a real calendar date "
        r"written YYYY-MM-DD, YYYY-MM or YYYY, got '2025-02-30' — fix the day, month or year\.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_year_out_of_range(data_dir: Path) -> None:
    edit(data_dir, "agreements.csv", "1995-03-09", "0995-03-09")
    with pytest.raises(
        CorridorDataError, match=r"date must be a real calendar date .* '0995-03-09'"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_unknown_iso3(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", "KAZ,FY2024-25", "XYZ,FY2024-25")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/trade\.csv: row 2 \(XYZ, FY2024-25\): iso3 must be one of the partner codes "
        r"KAZ, KGZ, got 'XYZ' — use an ISO 3166-1 alpha-3 code listed in partners.csv\.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_partner_outside_the_six(data_dir: Path) -> None:
    edit(data_dir, "partners.csv", "KGZ,Kyrgyzstan", "AFG,Kyrgyzstan")
    problems = problems_of(data_dir)
    folder = data_dir / "bilateral"
    assert problems[0].startswith(
        f"{folder / 'partners.csv'}: row 3 (AFG): iso3 must be one of the partner codes AZE, KAZ, KGZ, TJK, TKM,"
    )
    # with KGZ gone from partners.csv, the KGZ rows elsewhere are unknown too
    assert any(
        p.startswith(f"{folder / 'trade.csv'}: row 3 (KGZ, FY2024-25): iso3 must") for p in problems
    )


def test_load_bilateral__rejects_unknown_corridor_id(data_dir: Path) -> None:
    edit(data_dir, "connectivity.csv", "KGZ,casa1000", "KGZ,casa2000")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/connectivity\.csv: row \d \(KGZ, casa2000\): corridor must be one of the corridor "
        r"ids tapi, casa1000, uap_railway, qtta, tap_power, ktap_railway, pak_aze_rail, "
        r"got 'casa2000' — use an id from geodata/catalog.json\.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_non_whole_count(data_dir: Path) -> None:
    edit(data_dir, "visits.csv", ",16,", ",sixteen,")
    with pytest.raises(
        CorridorDataError,
        match="signed_count must be a whole number >= 0, got 'sixteen' — fix the value",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_empty_required_cell(data_dir: Path) -> None:
    edit(data_dir, "connectivity.csv", ",qtta,party,", ",qtta,,")
    with pytest.raises(
        CorridorDataError,
        match=r"connectivity.csv: row 2 \(KAZ, qtta\): role must not be empty — fill it in",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_value_outside_allowed(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",FBR,", ",State Bank,")
    with pytest.raises(
        CorridorDataError,
        match="agency must be one of Ministry of Commerce, FBR, unstated, got 'State Bank'",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_unknown_flag(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",wording\n", ",wording; odd\n")
    with pytest.raises(
        CorridorDataError, match="flag must list flags from total_mismatch, period_unstated"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_malformed_source_key(data_dir: Path) -> None:
    edit(data_dir, "mechanisms.csv", ",MOFA-SEED,", ",mofa seed,")
    with pytest.raises(
        CorridorDataError, match="source must list source keys such as MOFA-SEED separated by"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_bad_fiscal_year(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", "KAZ,FY2024-25", "KAZ,FY2024-26")
    with pytest.raises(
        CorridorDataError,
        match=r"period must be a fiscal year such as FY2024-25 \(two consecutive years\) or "
        r"'unstated', got 'FY2024-26'",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_longitude_out_of_range(data_dir: Path) -> None:
    edit(data_dir, "partners.csv", ",71.44598,", ",271.44598,")
    with pytest.raises(
        CorridorDataError, match=r"capital_lon must be decimal degrees in \[-180, 180\]"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_precision_that_disagrees_with_date(data_dir: Path) -> None:
    edit(data_dir, "partners.csv", ",1992,year,", ",1992,day,")
    with pytest.raises(
        CorridorDataError,
        match=r"partners.csv: row 3 \(KGZ\): relations_precision must be 'year' to match "
        r"relations_established '1992', got 'day' — make them agree\.",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_precision_without_date(data_dir: Path) -> None:
    edit(data_dir, "mechanisms.csv", ",2025-04-14,,day,", ",,,day,")
    with pytest.raises(
        CorridorDataError,
        match="latest_date is empty but latest_precision or latest_date_end is not",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_end_before_start(data_dir: Path) -> None:
    edit(data_dir, "visits.csv", "2025-12-03,2025-12-04", "2025-12-03,2025-11-04")
    with pytest.raises(
        CorridorDataError,
        match="date_end must be a day on or after date_start '2025-12-03', got '2025-11-04'",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_unflagged_total_mismatch(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",5.18,", ",5.2,")
    with pytest.raises(
        CorridorDataError,
        match=r"total_usd_m 5.2 differs from exports_usd_m \+ imports_usd_m = 5.18 "
        "— add total_mismatch to flag",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_mismatch_flag_on_matching_total(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",wording\n", ",wording; total_mismatch\n")
    with pytest.raises(
        CorridorDataError,
        match=r"flag says total_mismatch but 4.85 \+ 0.33 = 5.18 — remove total_mismatch",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_trade_row_without_figures(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",250.7,1.12,,", ",,,,")
    with pytest.raises(
        CorridorDataError,
        match="exports_usd_m, imports_usd_m and total_usd_m are all empty — fill in one",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_visit_from_third_country(data_dir: Path) -> None:
    edit(data_dir, "visits.csv", "Zhaparov,KGZ,", "Zhaparov,KAZ,")
    with pytest.raises(
        CorridorDataError,
        match="from_country must be PAK or the row's partner KGZ, got 'KAZ'",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_repeated_key(data_dir: Path) -> None:
    path = data_dir / "bilateral" / "connectivity.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")
    with pytest.raises(
        CorridorDataError,
        match=r"connectivity.csv: row 5 \(KAZ, qtta\): repeats the iso3 \+ corridor of an earlier",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_short_row(data_dir: Path) -> None:
    path = data_dir / "bilateral" / "connectivity.csv"
    path.write_text(path.read_text(encoding="utf-8") + "KGZ,qtta\n", encoding="utf-8")
    with pytest.raises(
        CorridorDataError,
        match=r"/bilateral/connectivity\.csv: row 5 \('KGZ', 'qtta'\): has 2 cells but the header has 6 "
        "— add or remove commas; quote cells that hold a comma.$",
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_row_with_too_many_cells(data_dir: Path) -> None:
    path = data_dir / "bilateral" / "connectivity.csv"
    path.write_text(path.read_text(encoding="utf-8") + "a,b,c,d,e,f,g,h\n", encoding="utf-8")
    with pytest.raises(
        CorridorDataError, match=r"connectivity.csv: row 5 \('a', 'b'\): has 8 cells but the header"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_missing_file(data_dir: Path) -> None:
    (data_dir / "bilateral" / "visits.csv").unlink()
    with pytest.raises(CorridorDataError, match=r"visits.csv: not found in .* — add the file"):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_folder_without_bilateral(tmp_path: Path) -> None:
    with pytest.raises(CorridorDataError, match="bilateral: not a folder — point --data at"):
        load_bilateral(tmp_path)


def test_load_bilateral__collects_problems_across_files(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", ",250.7,", ",-1,")
    edit(data_dir, "visits.csv", "2025-12-03,2025-12-04", "2025-13-03,2025-12-04")
    set_column(data_dir, "connectivity.csv", "extra", "")
    problems = problems_of(data_dir)
    folder = data_dir / "bilateral"
    assert [p.split(":")[0] for p in problems] == [
        str(folder / name) for name in ("trade.csv", "visits.csv", "connectivity.csv")
    ]
    assert all("\n" not in p and p.endswith(".") for p in problems)


def test_tables__every_documented_column_is_in_the_readme() -> None:
    readme = (default_data_dir() / "bilateral" / "README.md").read_text(encoding="utf-8")
    for name, table in TABLES.items():
        assert f"## {name}" in readme
        for column in table.columns:
            assert f"`{column.name}`" in readme, (name, column.name)


def test_load_bilateral__rejects_file_without_header(data_dir: Path) -> None:
    (data_dir / "bilateral" / "visits.csv").write_text("", encoding="utf-8")
    with pytest.raises(
        CorridorDataError, match=r"/bilateral/visits\.csv: has no header row — start the file"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_non_utf8_file(data_dir: Path) -> None:
    path = data_dir / "bilateral" / "trade.csv"
    path.write_bytes(path.read_bytes().replace("’".encode(), b"\x92"))
    with pytest.raises(
        CorridorDataError, match=r"/bilateral/trade\.csv: cannot read as UTF-8 text .* save it"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__rejects_oversized_cell(data_dir: Path) -> None:
    edit(data_dir, "connectivity.csv", "\nKAZ,", "\nKAZ" + "x" * 200_000 + ",")
    with pytest.raises(
        CorridorDataError, match=r"/bilateral/connectivity\.csv: cannot read as CSV \(field"
    ):
        load_bilateral(data_dir)


def test_load_bilateral__minus_zero_trade_has_no_sign(data_dir: Path) -> None:
    edit(data_dir, "trade.csv", "250.7,1.12,", "-0,1.12,")
    trade = load_bilateral(data_dir).trade
    value = float(trade.set_index("iso3").loc["KAZ", "exports_usd_m"])
    assert value == 0 and math.copysign(1.0, value) == 1.0
