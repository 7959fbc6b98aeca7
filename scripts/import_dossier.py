"""
Import the corridor waypoints and source list of the research dossier into geodata/.

Usage::

    python scripts/import_dossier.py --dossier PATH/TO/research

``PATH/TO/research`` holds ``corridor_facts.md`` and ``corridor_waypoints.json``.
The script writes ``geodata/places.geojson``, ``geodata/corridors/<id>.geojson``
and ``geodata/sources.csv``; run it again after the dossier changes and review
the diff. The segment table below (which waypoints form which segment, with
its mode, status and sources) is the editorial part and lives here, in code
review, rather than in the generated files.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GEODATA = ROOT / "geodata"

ISO2_TO_ISO3 = {
    "AF": "AFG",
    "AZ": "AZE",
    "CN": "CHN",
    "IN": "IND",
    "IR": "IRN",
    "KG": "KGZ",
    "KZ": "KAZ",
    "PK": "PAK",
    "TJ": "TJK",
    "TM": "TKM",
    "UZ": "UZB",
}

# Places whose coordinates do not come from a per-country [CSC-XX] file: their
# country, and for crossings and passes the country on the other side.
PLACE_COUNTRY = {
    "W-GALK": ("TKM", ""),
    "W-DEL": ("AFG", ""),
    "W-SPB": ("AFG", "PAK"),
    "W-FAZ": ("IND", ""),
    "W-SANG": ("TJK", ""),
    "W-SHK": ("AFG", "TJK"),
    "W-SAL": ("AFG", ""),
    "W-TRK": ("AFG", "PAK"),
    "W-DAP": ("AFG", "PAK"),
    "W-HAI": ("AFG", "UZB"),
    "W-TORG": ("AFG", "TKM"),
    "W-SOST": ("PAK", ""),
    "W-KKH": ("PAK", "CHN"),
    "W-TORU": ("KGZ", "CHN"),
    "W-KOR": ("KAZ", "KGZ"),
    "W-KHO": ("KAZ", "CHN"),
    "W-IRK": ("KGZ", "CHN"),
}

# Crossings that sit in a [CSC-XX] town: the country across the border.
BORDER_WITH = {
    "serhetabat": "AFG",
    "chaman": "AFG",
    "mirjaveh": "PAK",
    "astara": "IRN",
    "khorgos": "CHN",
}

# Short ids and names for places whose dossier name is a description.
PLACE_IDS = {
    "Galkynysh gas field": ("galkynysh", "Galkynysh gas field"),
    "Serhetabat": ("serhetabat", "Serhetabat (Kushka)"),
    "Datka 500 kV substation": ("datka", "Datka 500 kV substation"),
    "Sughd 500 kV substation": ("sughd", "Sughd 500 kV substation"),
    "Sangtuda AC/DC converter station": ("sangtuda", "Sangtuda converter station"),
    "Nowshera DC/AC converter station": ("nowshera", "Nowshera converter station"),
    "Nizhny Pyanj / Sher Khan Bandar crossing": ("sher_khan_bandar", "Sher Khan Bandar"),
    "Naibabad station": ("naibabad", "Naibabad station"),
    "Kharlachi crossing": ("kharlachi", "Kharlachi crossing"),
    "Hairatan / Friendship Bridge": ("hairatan", "Hairatan (Friendship Bridge)"),
    "Rawalpindi/Islamabad dry port area": ("rawalpindi", "Rawalpindi dry port"),
    "Ak-Zhol (KG) / Korday (KZ) border crossing": ("korday", "Ak-Zhol / Korday"),
    "Khorgos / Korgas border crossing": ("khorgos", "Khorgos"),
    "Astara (AZ) / Astara (IR) rail border": ("astara", "Astara"),
    "Kabul": ("kabul", "Kabul"),
    "Osh": ("osh", "Osh"),
    "Batken": ("batken", "Batken"),
    "Isfana": ("isfana", "Isfana"),
    "Torkham border crossing": ("torkham", "Torkham"),
    "Sost": ("sost", "Sost (Sust)"),
    "Khunjerab Pass": ("khunjerab", "Khunjerab Pass"),
    "Torugart Pass": ("torugart", "Torugart Pass"),
    "Irkeshtam Pass": ("irkeshtam", "Irkeshtam Pass"),
    "Zahedan": ("zahedan", "Zahedan"),
    "Rasht": ("rasht", "Rasht"),
    "Mirjaveh": ("mirjaveh", "Mirjaveh"),
    "Torghundi": ("torghundi", "Torghundi (Towraghondi)"),
    "Turkmenbashi": ("turkmenbashi", "Turkmenbashi"),
    "Karachi": ("karachi", "Karachi"),
    "Fazilka": ("fazilka", "Fazilka"),
    "Zhanaozen": ("zhanaozen", "Zhanaozen (Uzen)"),
    "Bereket": ("bereket", "Bereket"),
    "Mary": ("mary", "Mary"),
}

# The editorial table: each segment is a run of waypoints (first..last, both
# inclusive) of one dossier route. Statuses and sources follow the dossier's
# sections; `role` is main (counted in totals), alternative (another alignment,
# drawn but not counted) or parallel (runs beside another segment of the same
# corridor, drawn but not counted twice).
SEGMENTS: list[dict[str, Any]] = [
    # --- TAPI (dossier §1) ---
    dict(
        corridor_id="tapi",
        segment_id="tapi_tkm",
        route="tapi",
        first=0,
        last=1,
        name="TAPI Turkmen section: Galkynysh–Serhetabat",
        mode="gas_pipeline",
        status="completed",
        role="main",
        route_accuracy="schematic",
        sources=["INTERFAX-2024", "W-TAPI", "W-GALK"],
        notes="Built by 2024; the field reference point is not the pipeline head (dossier §9a).",
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_afg_herat",
        route="tapi",
        first=1,
        last=2,
        name="TAPI Serhetabat–Herat",
        mode="gas_pipeline",
        status="under_construction",
        role="main",
        route_accuracy="approximate",
        sources=["NCA-2025-10", "PAJHWOK-2024", "MENAFN-2026-01-27"],
        notes="Construction of the 153 km Serhetabat–Herat section launched Oct 2025.",
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_afg_south",
        route="tapi",
        first=2,
        last=7,
        name="TAPI Herat–Kandahar–Spin Boldak",
        mode="gas_pipeline",
        status="planned",
        role="main",
        route_accuracy="approximate",
        sources=["W-TAPI", "MOFA-SEED", "NCA-2025-10"],
        notes="Along the Herat–Kandahar highway; via-points inferred.",
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_border",
        route="tapi",
        first=7,
        last=8,
        name="TAPI Spin Boldak–Chaman border crossing",
        mode="gas_pipeline",
        status="planned",
        role="main",
        route_accuracy="approximate",
        sources=["MOFA-SEED", "W-TAPI"],
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_pak",
        route="tapi",
        first=8,
        last=12,
        name="TAPI Chaman–Quetta–D.I. Khan–Multan (2017–2019 alignment)",
        mode="gas_pipeline",
        status="planned",
        role="main",
        route_accuracy="approximate",
        sources=["DAWN-2017", "NATION-2018", "NGW-2018"],
        notes="Route cleared for aerial survey Dec 2018; Zhob is an inferred via-point.",
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_ind",
        route="tapi",
        first=12,
        last=13,
        name="TAPI Multan–Fazilka",
        mode="gas_pipeline",
        status="planned",
        role="main",
        route_accuracy="schematic",
        sources=["MOFA-SEED", "W-FAZ"],
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_alt_2014",
        route="tapi_variant_2014_zhob_dgkhan",
        first=8,
        last=11,
        name="TAPI 2014 southern route: Chaman–Zhob–D.G. Khan–Multan",
        mode="gas_pipeline",
        status="shelved",
        role="alternative",
        route_accuracy="schematic",
        sources=["DAWN-2014"],
    ),
    dict(
        corridor_id="tapi",
        segment_id="tapi_alt_adb",
        route="tapi_variant_adb_alt_loralai",
        first=1,
        last=8,
        name="TAPI ADB alternative: Serhetabat–Kandahar–Quetta–Loralai–Multan",
        mode="gas_pipeline",
        status="shelved",
        role="alternative",
        route_accuracy="schematic",
        sources=["LIQ-TAPI"],
    ),
    # --- CASA-1000 (§2) ---
    dict(
        corridor_id="casa1000",
        segment_id="casa_ac_datka_sughd",
        route="casa1000_ac_datka_sughd",
        first=0,
        last=4,
        name="CASA-1000 500 kV AC line Datka–Sughd",
        mode="power_line",
        status="operating",
        role="main",
        route_accuracy="schematic",
        voltage_kv=500,
        current="AC",
        sources=["NCA-2025-04", "TREND-CASA", "KG24-2023"],
        notes="Energised 31 Mar 2025; regions crossed named by 24.kg, crossing point inferred.",
    ),
    dict(
        corridor_id="casa1000",
        segment_id="casa_hvdc_tjk",
        route="casa1000_hvdc_sangtuda_nowshera",
        first=0,
        last=3,
        name="CASA-1000 HVDC Sangtuda–Sher Khan Bandar",
        mode="power_line",
        status="under_construction",
        role="main",
        route_accuracy="approximate",
        voltage_kv=500,
        current="HVDC",
        sources=["ADB-CASA", "W-CASA"],
    ),
    dict(
        corridor_id="casa1000",
        segment_id="casa_hvdc_afg",
        route="casa1000_hvdc_sangtuda_nowshera",
        first=3,
        last=10,
        name="CASA-1000 HVDC Sher Khan Bandar–Kabul–Torkham",
        mode="power_line",
        status="under_construction",
        role="main",
        route_accuracy="approximate",
        voltage_kv=500,
        current="HVDC",
        sources=["ADB-CASA", "W-CASA", "KG24-2026"],
        notes="Afghan works resumed Jul 2025; ~75% complete Oct 2025.",
    ),
    dict(
        corridor_id="casa1000",
        segment_id="casa_hvdc_pak",
        route="casa1000_hvdc_sangtuda_nowshera",
        first=10,
        last=12,
        name="CASA-1000 HVDC Torkham–Nowshera",
        mode="power_line",
        status="under_construction",
        role="main",
        route_accuracy="approximate",
        voltage_kv=500,
        current="HVDC",
        sources=["UP-NTDC", "DAWN-2021", "MOFA-SEED"],
        notes="Pakistan part 'at advance stage of completion' (MOFA-SEED).",
    ),
    # --- Trans-Afghan / UAP railway (§3, §8) ---
    dict(
        corridor_id="uap_railway",
        segment_id="uap_termez_hairatan",
        route="uap_railway_termez_kharlachi",
        first=0,
        last=1,
        name="Termez–Hairatan railway (Friendship Bridge)",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["W-HAI", "KNOWLEDGER"],
    ),
    dict(
        corridor_id="uap_railway",
        segment_id="uap_hairatan_naibabad",
        route="existing_hairatan_naibabad_rail",
        first=0,
        last=1,
        name="Hairatan–Naibabad railway",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["CAREC-2011", "CENTRALASIANLIGHT-2024"],
        notes="75 km line opened to traffic 2011–12; reconstruction launched Feb 2024.",
    ),
    dict(
        corridor_id="uap_railway",
        segment_id="uap_naibabad_kharlachi",
        route="uap_railway_termez_kharlachi",
        first=2,
        last=7,
        name="Trans-Afghan railway Naibabad–Maidan Shahr–Logar–Kharlachi",
        mode="railway",
        status="feasibility",
        role="main",
        route_accuracy="approximate",
        gauge_mm=1520,
        sources=["ASTANATIMES-2025", "TASS-2025", "ARY-2025", "TOT-UAP"],
        notes="Route agreed Jul 2023; joint feasibility framework signed 17 Jul 2025.",
    ),
    dict(
        corridor_id="uap_railway",
        segment_id="uap_alt_torkham",
        route="trans_afghan_2021_variant_torkham",
        first=2,
        last=7,
        name="Trans-Afghan 2021 framing: Naibabad–Kabul–Torkham–Peshawar",
        mode="railway",
        status="shelved",
        role="alternative",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["KUN-2022", "ARIANA-2022", "CAREC-CPMM"],
    ),
    # --- K-T-A-P railway (§4, §8) ---
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_feeder_kz_tm",
        route="ktap_feeder_existing_kz_tm",
        first=0,
        last=5,
        name="Kazakh–Turkmen feeder: Zhanaozen–Bereket–Ashgabat–Mary–Serhetabat",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["TASS-2014", "RAILTURKEY-2014", "REINGEX"],
        notes="No source gives this corridor's exact KZ-to-TM path.",
    ),
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_serhetabat_torghundi",
        route="existing_serhetabat_torghundi_rail",
        first=0,
        last=1,
        name="Serhetabat–Torghundi railway",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["TMNG-2018", "TIMESCA-2017", "W-TORG"],
        notes="Rebuilt and recommissioned 23 Feb 2018.",
    ),
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_torghundi_herat",
        route="ktap_railway_new_build",
        first=1,
        last=2,
        name="Torghundi–Herat railway",
        mode="railway",
        status="under_construction",
        role="main",
        route_accuracy="schematic",
        sources=["NEWSAZ-2025", "RG-67565", "MENAFN-2026-02-02"],
        notes="Torghundi–Sanobar works started Sep 2024.",
    ),
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_herat_spin_boldak",
        route="ktap_railway_new_build",
        first=2,
        last=7,
        name="Herat–Kandahar–Spin Boldak railway",
        mode="railway",
        status="feasibility",
        role="main",
        route_accuracy="schematic",
        sources=["RG-68284", "RG-66569", "CASPIAN-2024"],
        notes="Design stage; via-points inferred (alignment not published).",
    ),
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_spin_boldak_chaman",
        route="ktap_railway_new_build",
        first=7,
        last=8,
        name="Spin Boldak–Chaman rail link",
        mode="railway",
        status="proposed",
        role="main",
        route_accuracy="schematic",
        sources=["CASPIAN-2024", "MOFA-SEED"],
    ),
    dict(
        corridor_id="ktap_railway",
        segment_id="ktap_chaman_quetta",
        route="existing_quetta_chaman_rail",
        first=0,
        last=1,
        name="Quetta–Chaman railway (Chaman Extension)",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1676,
        sources=["W-ML3", "FIBIS"],
        notes="142 km by ML-3 chainage; Khojak tunnel 3.92 km.",
    ),
    # --- TAP power line and fibre (§5) ---
    dict(
        corridor_id="tap_power",
        segment_id="tap_power_tkm",
        route="tap_500kv_power_fibre",
        first=0,
        last=1,
        name="TAP 500 kV Mary–Serhetabat",
        mode="power_line",
        status="proposed",
        role="main",
        route_accuracy="schematic",
        voltage_kv=500,
        current="AC",
        sources=["NCA-2024-03", "RECCA"],
    ),
    dict(
        corridor_id="tap_power",
        segment_id="tap_power_afg",
        route="tap_500kv_power_fibre",
        first=1,
        last=10,
        name="TAP 500 kV Serhetabat–Herat–Farah–Kandahar–Chaman",
        mode="power_line",
        status="proposed",
        role="main",
        route_accuracy="schematic",
        voltage_kv=500,
        current="AC",
        sources=["WADSAM-TAP", "AVA-2018", "NCA-2022-03"],
        notes="Only Herat components (Nur-ul-Jihad) built; via-points inferred.",
    ),
    dict(
        corridor_id="tap_power",
        segment_id="tap_power_pak",
        route="tap_500kv_power_fibre",
        first=10,
        last=11,
        name="TAP 500 kV Chaman–Quetta",
        mode="power_line",
        status="proposed",
        role="main",
        route_accuracy="schematic",
        voltage_kv=500,
        current="AC",
        sources=["RECCA", "WADSAM-TAP"],
    ),
    dict(
        corridor_id="tap_power",
        segment_id="tap_fibre_serhetabat_torghundi",
        route="tap_500kv_power_fibre",
        first=1,
        last=2,
        name="Serhetabat–Torghundi fibre-optic line",
        mode="fibre",
        status="operating",
        role="parallel",
        route_accuracy="schematic",
        sources=["DAWN-2021-01"],
        notes="Opened Jan 2021; runs beside the power corridor, not counted twice.",
    ),
    dict(
        corridor_id="tap_power",
        segment_id="tap_fibre_route",
        route="tap_500kv_power_fibre",
        first=2,
        last=11,
        name="TAP fibre-optic line along the power route",
        mode="fibre",
        status="proposed",
        role="parallel",
        route_accuracy="schematic",
        sources=["MOFA-SEED"],
        notes="Fibre along the TAP route discussed Jul 2024 and Dec 2025 (MOFA-SEED).",
    ),
    # --- QTTA roads and the Karakoram Highway (§6) ---
    dict(
        corridor_id="qtta",
        segment_id="qtta_karachi_hasan_abdal",
        route="qtta_main_karachi_khunjerab_torugart_khorgos",
        first=0,
        last=6,
        name="QTTA Karachi–Multan–Lahore–Rawalpindi–Hasan Abdal (N-5)",
        mode="road",
        status="operating",
        role="main",
        route_accuracy="approximate",
        sources=["TAXORGCN-1998", "MOFA-SEED"],
    ),
    dict(
        corridor_id="qtta",
        segment_id="qtta_kkh",
        route="karakoram_highway",
        first=0,
        last=9,
        name="Karakoram Highway Hasan Abdal–Khunjerab–Kashgar",
        mode="road",
        status="operating",
        role="main",
        route_accuracy="approximate",
        sources=["W-KKH", "TAXORGCN-1998"],
        notes="Open to the public since 1986; Khunjerab closed to heavy vehicles 30 Nov–1 May.",
    ),
    dict(
        corridor_id="qtta",
        segment_id="qtta_kyrgyz_leg",
        route="qtta_main_karachi_khunjerab_torugart_khorgos",
        first=14,
        last=18,
        name="QTTA Kyrgyz leg: Kashgar–Torugart–Naryn–Bishkek",
        mode="road",
        status="operating",
        role="main",
        route_accuracy="approximate",
        sources=["TAXORGCN-1998", "W-TORU"],
        notes="Legs beyond Torugart (KG) inferred (§9c).",
    ),
    dict(
        corridor_id="qtta",
        segment_id="qtta_kazakh_leg",
        route="qtta_main_karachi_khunjerab_torugart_khorgos",
        first=18,
        last=21,
        name="QTTA Kazakh leg: Bishkek–Korday–Almaty–Khorgos",
        mode="road",
        status="operating",
        role="main",
        route_accuracy="approximate",
        sources=["W-KOR", "KHORGOS-ICBC", "PEOPLE-2015"],
        notes="Inferred from the designated posts Ak-Jol/Korday and Khorgos (§9c).",
    ),
    dict(
        corridor_id="qtta",
        segment_id="qtta_alt_irkeshtam",
        route="qtta_alt_irkeshtam_not_in_1998_list",
        first=0,
        last=2,
        name="Kashgar–Irkeshtam–Osh road (not a 1998 QTTA post)",
        mode="road",
        status="operating",
        role="alternative",
        route_accuracy="schematic",
        sources=["W-IRK", "PEOPLE-2015"],
    ),
    # --- Pakistan–Azerbaijan rail (§7) ---
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_pak",
        route="pak_aze_concept_via_iran_rail",
        first=0,
        last=6,
        name="Pakistan Railways Islamabad–Rohri–Quetta–Taftan (ML-1/ML-4)",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1676,
        sources=["TRAVELEXPLORER-2022", "W-ML4"],
        notes="ITI routing; the dossier gives Mirjaveh (IR side) but no Taftan point.",
    ),
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_irn",
        route="pak_aze_concept_via_iran_rail",
        first=6,
        last=10,
        name="Iranian railways Mirjaveh–Zahedan–Kerman–Tehran–Rasht",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1435,
        sources=["RG-60680", "ISNA-2021"],
    ),
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_rasht_astara",
        route="pak_aze_concept_via_iran_rail",
        first=10,
        last=11,
        name="Rasht–Astara railway (missing link)",
        mode="railway",
        status="planned",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1435,
        sources=["TASS-2024", "MENAFN-2024-02", "REALTRIBUNE"],
        notes="162 km; agreement signed 17 May 2023; construction start slated for early 2026.",
    ),
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_astara_baku",
        route="pak_aze_concept_via_iran_rail",
        first=11,
        last=12,
        name="Astara–Baku railway",
        mode="railway",
        status="operating",
        role="main",
        route_accuracy="schematic",
        gauge_mm=1520,
        sources=["PRIVATBAHN", "ABCAZ-2018"],
    ),
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_alt_caspian_land",
        route="pak_aze_concept_via_afg_tkm_caspian",
        first=0,
        last=11,
        name="Alternative via Afghanistan and Turkmenistan: Karachi–Kandahar–Herat–Turkmenbashi",
        mode="railway",
        status="concept",
        role="alternative",
        route_accuracy="schematic",
        sources=["REPORTAZ-2017", "AZERNEWS-2025"],
        notes="Lapis Lazuli / Middle Corridor concept; Kandahar–Herat line not yet built.",
    ),
    dict(
        corridor_id="pak_aze_rail",
        segment_id="pak_aze_alt_caspian_ferry",
        route="pak_aze_concept_via_afg_tkm_caspian",
        first=11,
        last=12,
        name="Caspian ferry Turkmenbashi–Baku",
        mode="ferry",
        status="operating",
        role="alternative",
        route_accuracy="schematic",
        sources=["REPORTAZ-2017", "AIRCENTER"],
    ),
]

# Sources and places added beyond the dossier (for the existing road links of
# geodata/network_links.geojson and the port of Gwadar), each read from the page
# its key names.
EXTRA_SOURCES = [
    {
        "key": "W-AH76",
        "reference": "https://wikimili.com/en/AH76 (Wikipedia-derived: AH76 runs "
        "Pul-e-Khumri–Samangan–Mazar-i-Sharif; a road continues north from Mazar across the "
        "Amu Darya to Termez)",
        "url": "https://wikimili.com/en/AH76",
        "reliability": "",
    },
    {
        "key": "W-GWADAR",
        "reference": "http://piglix.com/piglix/Gawadar (Wikipedia-derived: Gwadar port city, "
        "25°07′35″N 62°19′21″E)",
        "url": "http://piglix.com/piglix/Gawadar",
        "reliability": "",
    },
    {
        "key": "W-N10",
        "reference": "https://wiki-gateway.eudic.net/wikipedia_en/N10_National_Highway.html "
        "(Wikipedia-derived: N-10 Makran Coastal Highway, Karachi–Ormara–Pasni–Gwadar, "
        "653 km, completed 14 Dec 2004, maintained by NHA)",
        "url": "https://wiki-gateway.eudic.net/wikipedia_en/N10_National_Highway.html",
        "reliability": "",
    },
    {
        "key": "W-ORMARA",
        "reference": "https://en.wikipedia-on-ipfs.org/wiki/Ormara (Wikipedia mirror: Ormara, "
        "on the N-10, 25°12′51.96″N 64°37′59.87″E)",
        "url": "https://en.wikipedia-on-ipfs.org/wiki/Ormara",
        "reliability": "",
    },
]
EXTRA_PLACES = [
    {
        "id": "gwadar",
        "name": "Gwadar",
        "kind": "port",
        "iso3": "PAK",
        "border_with": "",
        "proxy": False,
        "inferred_via_point": False,
        "description": "Gwadar, deep-water port on the Arabian Sea; west end of the N-10",
        "sources": ["W-GWADAR"],
        "source_note": "W-GWADAR infobox 25°07′35″N 62°19′21″E",
        "coordinates": [62.3225, 25.12639],
    },
    {
        "id": "ormara",
        "name": "Ormara",
        "kind": "city",
        "iso3": "PAK",
        "border_with": "",
        "proxy": False,
        "inferred_via_point": False,
        "description": "Ormara, port town midway on the Makran Coastal Highway (N-10)",
        "sources": ["W-ORMARA"],
        "source_note": "W-ORMARA infobox 25°12′51.96″N 64°37′59.87″E",
        "coordinates": [64.63330, 25.21443],
    },
]

LOW_RELIABILITY = {"ANAPIRATE-2026", "Q1MEDIA-2026", "GUJARATHERALD", "WIPI", "MIRROR", "RAYHABER"}


def slug(text: str) -> str:
    """Return a lower-case ascii identifier for `text`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_")


def table_source_keys(facts_md: str) -> dict[tuple[str, int], list[str]]:
    """Map (route id, waypoint index) to the source keys of its dossier table row."""
    keys: dict[tuple[str, int], list[str]] = {}
    for block in re.split(r"\n\*\*`", facts_md)[1:]:
        route = block.split("`", 1)[0]
        for row in re.findall(r"^\| (\d+) \|(.*)$", block, re.M):
            cells = row[1].split("|")
            found = re.findall(r"\[([A-Z][A-Z0-9-]+)\]", cells[-2] if len(cells) > 1 else "")
            keys.setdefault((route, int(row[0]) - 1), found)
    return keys


def place_identity(raw_name: str) -> tuple[str, str]:
    """Return (id, display name) for a dossier waypoint name."""
    for prefix, identity in PLACE_IDS.items():
        if raw_name.startswith(prefix):
            return identity
    base = re.split(r" \(|,", raw_name)[0].strip()
    return slug(base), base


def place_country(keys: list[str], place_id: str) -> tuple[str, str]:
    """Return (iso3, border_with) from the coordinate source keys of a place."""
    for key in keys:
        if key.startswith("CSC-"):
            return ISO2_TO_ISO3[key[4:]], BORDER_WITH.get(place_id, "")
        if key in PLACE_COUNTRY:
            return PLACE_COUNTRY[key]
    raise SystemExit(f"no country for place {place_id!r} (keys {keys})")


def build_places(
    waypoints: dict[str, list[dict[str, Any]]], keys: dict[tuple[str, int], list[str]]
) -> tuple[list[dict[str, Any]], dict[tuple[str, int], str]]:
    """Deduplicate waypoints by coordinates into places; map each waypoint to a place id."""
    by_coord: dict[tuple[float, float], dict[str, Any]] = {}
    ref: dict[tuple[str, int], str] = {}
    for route, points in waypoints.items():
        for index, point in enumerate(points):
            coord = (round(point["lon"], 5), round(point["lat"], 5))
            if coord not in by_coord:
                place_id, name = place_identity(point["name"])
                row_keys = keys.get((route, index), [])
                iso3, border_with = place_country(row_keys, place_id)
                by_coord[coord] = {
                    "id": place_id,
                    "name": name,
                    "kind": point["kind"],
                    "iso3": iso3,
                    "border_with": border_with,
                    "proxy": "proxy" in point["name"],
                    "inferred_via_point": "inferred" in point["source"],
                    "description": point["name"],
                    "sources": sorted(set(row_keys)),
                    "source_note": point["source"],
                    "coordinates": [point["lon"], point["lat"]],
                }
            ref[(route, index)] = by_coord[coord]["id"]
    places = sorted(by_coord.values(), key=lambda p: p["id"])
    ids = [p["id"] for p in places]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise SystemExit(f"place ids used twice: {sorted(duplicates)}")
    return places, ref


def place_feature(place: dict[str, Any]) -> dict[str, Any]:
    """Return the GeoJSON Feature of a place."""
    properties = {k: v for k, v in place.items() if k != "coordinates"}
    geometry = {"type": "Point", "coordinates": place["coordinates"]}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def segment_feature(
    spec: dict[str, Any],
    waypoints: dict[str, list[dict[str, Any]]],
    ref: dict[tuple[str, int], str],
    iso3_of: dict[str, str],
) -> dict[str, Any]:
    """Return the GeoJSON Feature of one segment of the editorial table."""
    route, first, last = spec["route"], spec["first"], spec["last"]
    points = waypoints[route][first : last + 1]
    place_ids = [ref[(route, i)] for i in range(first, last + 1)]
    countries: list[str] = []
    for place_id in place_ids:
        if not countries or countries[-1] != iso3_of[place_id]:
            countries.append(iso3_of[place_id])
    properties = {k: v for k, v in spec.items() if k not in {"route", "first", "last"}}
    properties.update(countries=countries, waypoints=place_ids, dossier_route=route)
    properties.setdefault("notes", "")
    coordinates = [[p["lon"], p["lat"]] for p in points]
    geometry = {"type": "LineString", "coordinates": coordinates}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def references(facts_md: str) -> list[dict[str, str]]:
    """Parse the dossier's reference list (§10) into rows of sources.csv."""
    section = facts_md[facts_md.index("## 10. References") :]
    rows = []
    for key, text in re.findall(r"^- \*\*\[([A-Z0-9-]+)\]\*\* (.*)$", section, re.M):
        text = text.replace("../shared/sources/", "geodata/sources/")
        url = re.search(r"https?://\S+", text)
        rows.append(
            {
                "key": key,
                "reference": text,
                "url": url.group(0) if url else "",
                "reliability": "low" if key in LOW_RELIABILITY else "",
            }
        )
    return sorted(rows, key=lambda r: r["key"])


def dump(obj: Any) -> str:
    """Serialise to stable, readable JSON."""
    return json.dumps(obj, ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    """Regenerate places, corridor segments and the source list from the dossier."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--dossier", type=Path, required=True)
    dossier = parser.parse_args().dossier
    facts_md = (dossier / "corridor_facts.md").read_text(encoding="utf-8")
    waypoints = json.loads((dossier / "corridor_waypoints.json").read_text(encoding="utf-8"))
    keys = table_source_keys(facts_md)
    places, ref = build_places(waypoints, keys)
    places = sorted(places + EXTRA_PLACES, key=lambda p: p["id"])
    iso3_of = {p["id"]: p["iso3"] for p in places}
    collection = {"type": "FeatureCollection", "features": [place_feature(p) for p in places]}
    (GEODATA / "places.geojson").write_text(dump(collection), encoding="utf-8")
    by_corridor: dict[str, list[dict[str, Any]]] = {}
    for spec in SEGMENTS:
        feature = segment_feature(spec, waypoints, ref, iso3_of)
        by_corridor.setdefault(spec["corridor_id"], []).append(feature)
    for corridor_id, features in by_corridor.items():
        collection = {"type": "FeatureCollection", "features": features}
        path = GEODATA / "corridors" / f"{corridor_id}.geojson"
        path.write_text(dump(collection), encoding="utf-8")
    out = io.StringIO()
    writer = csv.DictWriter(out, ["key", "reference", "url", "reliability"], lineterminator="\n")
    writer.writeheader()
    writer.writerows(sorted(references(facts_md) + EXTRA_SOURCES, key=lambda r: r["key"]))
    (GEODATA / "sources.csv").write_text(out.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    main()
