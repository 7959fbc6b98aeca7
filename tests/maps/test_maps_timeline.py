"""The atlas's milestone timeline and the year slider that shows each segment's status as of a year."""

from __future__ import annotations

import pytest
from map_pages import drawn_tab, page_block

from corridors.bilateral.tables import load_bilateral, timeline
from corridors.maps.timeline import (
    NOT_YET,
    UNKNOWN,
    milestone_stage,
    names_segment,
    status_steps,
)

CASA = [
    {"date": "2014-03-27", "event": "World Bank Board approves IDA financing"},
    {"date": "2016-05-12", "event": "Groundbreaking at Tursunzade"},
    {"date": "2025-03-31", "event": "Datka–Sughd 500 kV line energised"},
]


def _at(steps, year):
    found = steps[0]
    for step in steps:
        if step["from"] is None or step["from"] <= year:
            found = step
    return found["status"]


def test_milestone_stage__reads_agreements_construction_and_openings():
    assert (
        milestone_stage("Framework Agreement for the Joint Feasibility Study signed") == "planned"
    )
    assert milestone_stage("Groundbreaking of the Turkmen section") == "under_construction"
    assert milestone_stage("Serhetabat–Torghundi railway recommissioned") == "operating"
    assert milestone_stage("Attabad landslide cuts the KKH") is None


def test_names_segment__needs_both_ends_as_whole_words():
    assert names_segment("Serhetabat–Torghundi fibre-optic line opened", "Serhetabat (Kushka)",
                         "Torghundi (Towraghondi)")  # fmt: skip
    assert not names_segment("Herat airport opened", "Herat", "Heratabad")


def test_status_steps__segment_named_by_a_milestone_follows_it():
    steps = status_steps(
        "operating", "Datka 500 kV substation", "Sughd 500 kV substation", CASA, today=2026
    )
    assert [_at(steps, y) for y in (2013, 2014, 2024, 2025)] == [
        NOT_YET, "planned", "planned", "operating"
    ]  # fmt: skip
    assert steps[-1]["basis"] == "milestone" and "energised" in steps[-1]["why"]


def test_status_steps__corridor_wide_groundbreaking_starts_construction():
    wide = CASA[:2]
    steps = status_steps("under_construction", "Sangtuda", "Sher Khan Bandar", CASA,
                         today=2026, corridor_wide=wide)  # fmt: skip
    assert [_at(steps, y) for y in (2013, 2015, 2016)] == [NOT_YET, "planned", "under_construction"]


def test_status_steps__never_moves_past_todays_stage():
    steps = status_steps(
        "feasibility", "Naibabad", "Kharlachi", CASA, today=2026, corridor_wide=CASA
    )
    assert [_at(steps, y) for y in (2013, 2016, 2026)] == [NOT_YET, "feasibility", "feasibility"]


def test_status_steps__built_segment_without_milestones_is_date_unknown_until_today():
    steps = status_steps("operating", "Quetta", "Chaman", CASA, today=2026)
    assert steps == [
        {
            "from": None,
            "status": UNKNOWN,
            "basis": "unknown",
            "why": "No source dates when it began; today's status is shown from 2026 only.",
        },
        {
            "from": 2026,
            "status": "operating",
            "basis": "kept",
            "why": "Today's status: no milestone says when it began.",
        },
    ]
    assert [_at(steps, y) for y in (1990, 2014, 2025, 2026)] == [UNKNOWN] * 3 + ["operating"]


def test_status_steps__corridor_without_milestones_is_date_unknown_until_today():
    steps = status_steps("planned", "Rasht", "Astara", [], today=2026)
    assert [_at(steps, y) for y in (2000, 2025, 2026)] == [UNKNOWN, UNKNOWN, "planned"]


def test_timeline_block__tapi_turkmen_section_is_date_unknown_in_2000(built_maps):
    steps = page_block(built_maps / "index.html", "timeline")["steps"]
    assert [_at(steps["tapi_tkm"], y) for y in (2000, 2024, 2026)] == [
        UNKNOWN,
        UNKNOWN,
        "completed",
    ]
    assert _at(steps["qtta_karachi_hasan_abdal"], 2000) == UNKNOWN
    assert _at(steps["casa_ac_datka_sughd"], 2000) == NOT_YET  # its corridor starts in 2014


def test_timeline_block__no_year_before_today_shows_an_undated_segment_built(built_maps):
    block = page_block(built_maps / "index.html", "timeline")
    undated = {
        sid: steps
        for sid, steps in block["steps"].items()
        if not any(step["basis"] == "milestone" for step in steps)
    }
    built = {
        (sid, year)
        for sid, steps in undated.items()
        for year in range(block["first_year"], block["last_year"])
        if _at(steps, year) in {"operating", "completed"}
    }
    assert built == set()
    unknown = sorted(sid for sid, steps in undated.items() if _at(steps, 2000) == UNKNOWN)
    assert len(unknown) == 13 and "tapi_tkm" in unknown and "pak_aze_pak" in unknown


def test_timeline_block__latest_year_shows_every_segment_as_today(built_maps, atlas):
    block = page_block(built_maps / "index.html", "timeline")
    today = dict(zip(atlas.segments["segment_id"], atlas.segments["status"], strict=True))
    assert {sid: _at(steps, block["last_year"]) for sid, steps in block["steps"].items()} == today
    assert (block["first_year"], block["last_year"]) == (1986, 2026)


def test_timeline_block__holds_every_event_in_date_order(built_maps, atlas):
    block = page_block(built_maps / "index.html", "timeline")
    expected = timeline(load_bilateral(atlas.data_dir), atlas.catalog)
    assert [e["date"] for e in block["events"]] == expected["date"].tolist()
    qtta = [e for e in block["events"] if e["date"] == "1995-03-09" and e["kind"] == "agreement"]
    assert qtta[0]["partners"] == ["Kazakhstan", "Kyrgyzstan"]


@pytest.fixture(scope="module")
def tab(map_context, built_maps):
    """The shipped atlas, opened once; the test that moves the slider opens its own."""
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        yield page
        assert problems == []


@pytest.mark.browser
def test_timeline_panel__lists_relations_qtta_and_2026_in_order(tab, built_maps):
    years = tab.evaluate(
        "Array.from(document.querySelectorAll('#cm-timeline .cm-events > li'), li => +li.dataset.year)"
    )
    assert years == sorted(years) and years[-1] == 2026
    assert len(years) == len(page_block(built_maps / "index.html", "timeline")["events"])
    text = tab.inner_text("#cm-timeline")
    assert "24 February 1992" in text and "Diplomatic relations established with Kazakhstan" in text
    assert "9 March 1995" in text and "Quadrilateral Traffic in Transit Agreement" in text
    assert "Today's statuses" in text


_STYLE = """id => {
    const path = window.CorridorsMap.ctx.segments[id].line._path;
    return [path.getAttribute("stroke-width"), path.getAttribute("stroke-opacity"),
            path.getAttribute("stroke-dasharray")];
}"""


@pytest.mark.browser
def test_year_slider__restyles_the_datka_sughd_line(map_context, built_maps):
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        today = page.evaluate(_STYLE, "casa_ac_datka_sughd")
        assert today[:2] == ["5", "1"]  # operating since it was energised in 2025
        page.evaluate("() => { CorridorsMap.ctx.segments.casa_ac_datka_sughd.hit.openPopup(); }")
        assert "Status\nOperating (today)\n" in page.inner_text(".cm-popup")
        page.fill("#cm-timeline input[type=range]", "2020")
        assert page.evaluate(_STYLE, "casa_ac_datka_sughd")[:2] == ["3.5", "0.9"]  # planned
        popup = page.inner_text(".cm-popup").split("\n")
        at = popup.index("Status in 2020")
        assert popup[at + 1 : at + 3] == [
            "Planned at the end of the year; today Operating",
            "Its corridor is on record from 2014; its own first milestone is 2025-03-31.",
        ]
        page.fill("#cm-timeline input[type=range]", "2005")
        assert page.evaluate(_STYLE, "casa_ac_datka_sughd") == ["2", "0.18", "2 7"]  # not yet
        assert "Status in 2005\nnot yet on record at the end of the year" in page.inner_text(
            ".cm-popup"
        )
        # No milestone dates the Quetta–Chaman line: date unknown, not operating.
        assert page.evaluate(_STYLE, "ktap_chaman_quetta") == ["1.5", "0.9", "1 5"]
        text = page.inner_text("#cm-timeline")
        assert "Status at the end of 2005" in text and "not yet on record" in text
        future = page.evaluate("document.querySelectorAll('#cm-timeline li.cm-future').length")
        assert future == sum(1 for e in page_block(built_maps / "index.html", "timeline")["events"]
                             if e["year"] > 2005)  # fmt: skip
        assert problems == []


_STROKE = "id => window.CorridorsMap.ctx.segments[id].line._path.getAttribute('stroke')"


@pytest.mark.browser
def test_year_slider__draws_the_undated_tapi_turkmen_section_as_date_unknown(
    map_context, built_maps
):
    with drawn_tab(map_context, built_maps / "index.html") as (page, problems):
        colour = page.evaluate(_STROKE, "tapi_tkm")
        page.fill("#cm-timeline input[type=range]", "2000")
        assert page.evaluate(_STYLE, "tapi_tkm") == ["1.5", "0.9", "1 5"]
        assert page.evaluate(_STROKE, "tapi_tkm") == "#6b7079"
        page.evaluate("() => { CorridorsMap.ctx.segments.tapi_tkm.hit.openPopup(); }")
        popup = page.inner_text(".cm-popup").split("\n")
        at = popup.index("Status in 2000")
        assert popup[at + 1 : at + 3] == [
            "date unknown; today Completed",
            "No source dates when it began; today's status is shown from 2026 only.",
        ]
        key = page.inner_text("#cm-timeline .cm-timeline-key")
        assert "Date unknown (no source dates when it began)" in key
        assert "13 date unknown: no source dates when they began" in page.inner_text("#cm-timeline")
        page.fill("#cm-timeline input[type=range]", "2026")
        assert page.evaluate(_STYLE, "tapi_tkm")[:2] == ["5", "1"]  # completed, today
        assert page.evaluate(_STROKE, "tapi_tkm") == colour
        assert "Status\nCompleted (today)\n" in page.inner_text(".cm-popup")
        assert problems == []
