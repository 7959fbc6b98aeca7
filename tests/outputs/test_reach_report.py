"""The reach report a build writes: reach.md and reach.csv."""

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.outputs.reach_report import reach_report


def test_reach_report__markdown_and_csv_rebuild_identically() -> None:
    atlas = load_atlas()
    bilateral = load_bilateral(atlas.data_dir)
    first, second = reach_report(atlas, bilateral, {}), reach_report(atlas, bilateral, {})
    assert [name for name, _ in first] == ["reach.md", "reach.csv"]
    assert first == second
    markdown = first[0][1].decode("utf-8")
    assert "| KGZ | Bishkek | Bishkek |" in markdown
    assert "Gwadar is not a place" not in markdown
    assert first[1][1].decode("utf-8").splitlines()[0].startswith("partner,capital,from,")


def test_reach_report__has_the_claims_section_with_the_30pct_verdict() -> None:
    atlas = load_atlas()
    markdown = reach_report(atlas, load_bilateral(atlas.data_dir), {})[0][1].decode("utf-8")
    section = markdown.split("## Claims about travel time and cost, against the model", 1)[1]
    assert "| tar_30pct_time_karachi | 30 % | 10.8 % (-142.3–55.7) |" in section
    assert "Decided by torkham_afg_pak_road_hours" in section


def test_reach_report__hours_and_usd_in_markdown_and_csv() -> None:
    atlas = load_atlas()
    (_, md), (_, csv) = reach_report(atlas, load_bilateral(atlas.data_dir), {})
    assert "## Hours and USD to the ports" in md.decode("utf-8")
    assert "| UZB | Tashkent | 141 (82–204) |" in md.decode("utf-8")
    assert "karachi_today_hours_central" in csv.decode("utf-8").splitlines()[0]
