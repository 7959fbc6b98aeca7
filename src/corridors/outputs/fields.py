"""What each exported field means: the text of the exports' data dictionary."""

from __future__ import annotations

__all__ = ["LAYER_DESCRIPTIONS", "describe_field"]

#: One line per exported layer, in export order.
LAYER_DESCRIPTIONS: dict[str, str] = {
    "corridors": "One row per corridor: its main segments collected into one MultiLineString.",
    "segments": "One row per corridor segment, as drawn in geodata/corridors/.",
    "places": "Waypoints and other named places the segments refer to.",
    "boundaries": "Country polygons (Natural Earth 1:10m) used to split lengths by country.",
    "official_lengths": "Lengths published by the sources, with their scope, as stated.",
    "milestones": "Dated corridor milestones from catalog.json, oldest first per corridor.",
    "country_lengths": "Geodesic length of each segment inside each country, sea or disputed "
    "area, in the order the line enters them.",
    "crossings": "Points where a segment passes from one country (or sea) into another.",
    "stated_vs_measured": "Each published length beside the length measured over the same scope.",
    "bilateral_partners": "Pakistan's six partners: names, capitals, when relations began.",
    "bilateral_trade": "Trade between Pakistan and each partner, US$ million, as stated.",
    "bilateral_mechanisms": "Standing bilateral mechanisms and their latest sessions.",
    "bilateral_visits": "High-level visits between Pakistan and the partners.",
    "bilateral_agreements": "Agreements and memoranda signed with the partners.",
    "bilateral_connectivity": "Which corridors serve which partner, and in what role.",
    "data_dictionary": "This table: every field of every layer, with its type and meaning. "
    "In the CSV files a text cell that starts with =, +, -, @, a tab or a carriage return "
    "(and is not a number) is written with a leading ' so that a spreadsheet shows it as text "
    "instead of running it; GeoPackage, GeoParquet, GeoJSON and KML keep the text exactly.",
}

_LIST = " Several values are joined with '; ' in route or file order."
_SOURCES = "Source keys (see geodata/sources.csv)." + _LIST

# Meanings shared by every layer that has the field.
_FIELDS: dict[str, str] = {
    "geometry": "Geometry in WGS 84 longitude/latitude (EPSG:4326). CSV files hold no "
    "geometry; their point layers carry lon and lat columns instead.",
    "corridor_id": "Corridor id, as in geodata/catalog.json.",
    "segment_id": "Segment id, unique across all corridors.",
    "mode": "gas_pipeline, power_line, railway, road, fibre or ferry.",
    "status": "Lifecycle stage: concept, proposed, feasibility, planned, under_construction, "
    "completed, operating or shelved.",
    "route_accuracy": "surveyed (alignment survey), approximate (via sourced towns on the route) "
    "or schematic (straight legs between few or inferred points).",
    "sources": _SOURCES,
    "source": "Source keys (see geodata/sources.csv); several are joined with '; '.",
    "notes": "Remarks, as recorded with the data.",
    "note": "Remark on the figure, as recorded in catalog.json.",
    "countries": "ISO 3166-1 alpha-3 codes of the countries crossed." + _LIST,
    "waypoints": "Place ids (places layer) along the line." + _LIST,
    "dossier_route": "Route key in the research dossier the segment was drawn from.",
    "voltage_kv": "Line voltage, kV (power lines only).",
    "current": "AC or HVDC (power lines only).",
    "gauge_mm": "Track gauge, mm (railways only).",
    "iso3": "ISO 3166-1 alpha-3 country code.",
    "quote": "The sentence(s) in the source that support the row, word for word.",
    "length_km": "Geodesic length on the WGS 84 ellipsoid, km.",
    "km": "Published length, km, as stated.",
    "km_max": "Upper end of a published range, km; empty when a single figure is given.",
    "qualifier": "How the figure is stated: exact, about, over, at_least or up_to.",
    "from_place": "Place id where the stated stretch begins; empty for other scopes.",
    "to_place": "Place id where the stated stretch ends; empty for other scopes.",
    "precision": "Precision of the dates: day, month or year.",
    "date_end": "Last day, for events over several days; empty otherwise.",
    "field": "Field of cooperation, as stated.",
    "corridor": "Corridor id the row refers to; empty when none.",
    "count": "Number of instruments, if stated.",
    "layer": "Layer (table) name.",
    "type": "Field type: text, integer, real, boolean or a geometry type.",
    "description": "What the field holds.",
}

# Meanings that differ by layer, keyed "layer.field".
_LAYER_FIELDS: dict[str, str] = {
    "corridors.name": "Short corridor name.",
    "corridors.long_name": "Full corridor name.",
    "corridors.modes": "Transport or transmission modes of the corridor." + _LIST,
    "corridors.status": "Overall lifecycle stage of the corridor (see segments for each part).",
    "corridors.status_note": "Why the corridor has its status, as recorded.",
    "corridors.parties": "ISO3 codes of the parties to the project." + _LIST,
    "corridors.summary": "One-sentence summary.",
    "corridors.segments": "Ids of the main segments collected into the geometry." + _LIST,
    "segments.name": "Segment name.",
    "segments.role": "main (counts in the corridor's totals), alternative (another alignment) "
    "or parallel (runs beside a main segment and is not counted twice).",
    "places.id": "Place id, referred to by segments' waypoints.",
    "places.name": "Place name.",
    "places.kind": "Kind of place (city, capital, border_crossing, rail_junction, …).",
    "places.iso3": "ISO3 code of the country the place lies in.",
    "places.border_with": "For border places: ISO3 code of the neighbour; empty otherwise.",
    "places.proxy": "True when the point stands in for a place without its own coordinates.",
    "places.inferred_via_point": "True when the place was inferred as a via-point of a route.",
    "places.description": "Longer description of the place and its point.",
    "places.source_note": "Where the coordinates come from.",
    "boundaries.name": "Country or territory name.",
    "boundaries.disputed": "True for a disputed territory shown separately.",
    "boundaries.source": "Where the polygon comes from and how it was cut.",
    "official_lengths.country": "ISO3 code when the figure covers one country; empty otherwise.",
    "official_lengths.segments": "Segment ids the figure covers, if stated so." + _LIST,
    "milestones.date": "Date at day, month or year precision (YYYY-MM-DD, YYYY-MM or YYYY).",
    "milestones.event": "What happened.",
    "corridors.length_km": "Geodesic length of the main route (main segments), km.",
    "corridors.parallel_km": "Geodesic length of parallel segments (not in length_km), km.",
    "corridors.alternative_km": "Geodesic length of alternative alignments (not in length_km), km.",
    "country_lengths.iso3": "ISO3 code of the country the length lies in; 'sea' outside every "
    "country polygon, 'disputed' in a territory shown separately.",
    "crossings.from_iso3": "ISO3 code (or 'sea', 'disputed') of the area before the crossing.",
    "crossings.to_iso3": "ISO3 code (or 'sea', 'disputed') of the area after the crossing.",
    "crossings.km_from_start": "Geodesic distance from the segment's start to the crossing, km.",
    "stated_vs_measured.scope": "What the figure covers: total, country, segments or between "
    "(two waypoints).",
    "stated_vs_measured.iso3": "ISO3 code for a country figure; empty otherwise.",
    "stated_vs_measured.segments": "Segment ids measured for the comparison." + _LIST,
    "stated_vs_measured.official_km": "Published length, km, as stated.",
    "stated_vs_measured.official_km_max": "Upper end of a published range, km.",
    "stated_vs_measured.official_source": "Source keys of the figure, joined with ', '.",
    "stated_vs_measured.measured_km": "Geodesic length over the same scope, km.",
    "stated_vs_measured.ratio": "official_km / measured_km.",
    "stated_vs_measured.straight_line_km": "Geodesic distance between the scope's two ends, km.",
    "stated_vs_measured.detour_index": "measured_km / straight_line_km.",
    "stated_vs_measured.flag": "True when the pair is implausible: measured longer than "
    "official beyond the tolerance, or official too far above measured for the mode.",
    "stated_vs_measured.reason": "Why the pair is or is not flagged, in plain words.",
    "bilateral_partners.name": "Short English name.",
    "bilateral_partners.official_name": "Official English name.",
    "bilateral_partners.capital": "Capital city.",
    "bilateral_partners.capital_lon": "Longitude of the capital, WGS 84 degrees.",
    "bilateral_partners.capital_lat": "Latitude of the capital, WGS 84 degrees.",
    "bilateral_partners.capital_coord_source": "Source of the capital's point.",
    "bilateral_partners.relations_established": "When diplomatic relations were established.",
    "bilateral_partners.relations_precision": "Precision of relations_established.",
    "bilateral_partners.recognition_notes": "Recognition and embassy openings, as stated.",
    "bilateral_partners.name_source": "Source of name and official_name.",
    "bilateral_trade.period": "Pakistan's fiscal year (FYyyyy-yy) or 'unstated'.",
    "bilateral_trade.exports_usd_m": "Pakistan's exports to the partner, US$ million, as stated.",
    "bilateral_trade.imports_usd_m": "Pakistan's imports from the partner, US$ million, as stated.",
    "bilateral_trade.total_usd_m": "Total trade as stated, US$ million; never computed.",
    "bilateral_trade.agency": "Who the text credits: Ministry of Commerce, FBR or unstated.",
    "bilateral_trade.basis": "The text's basis wording: receipts/payments, payments, volume, "
    "unstated.",
    "bilateral_trade.flag": "total_mismatch, period_unstated, wording; joined with '; '.",
    "bilateral_mechanisms.name": "The mechanism's name as the text gives it.",
    "bilateral_mechanisms.kind": "Kind of mechanism (political_consultations, …, unnamed).",
    "bilateral_mechanisms.sessions_held": "Sessions or rounds held so far, if stated.",
    "bilateral_mechanisms.latest_session": "Number of the latest session, if stated.",
    "bilateral_mechanisms.latest_date": "Date of the latest session.",
    "bilateral_mechanisms.latest_date_end": "Last day of the latest session, if several days.",
    "bilateral_mechanisms.latest_precision": "Precision of latest_date.",
    "bilateral_mechanisms.latest_place": "Where the latest session met, if stated.",
    "bilateral_visits.date_start": "First day of the visit.",
    "bilateral_visits.visitor": "Who travelled, as named.",
    "bilateral_visits.from_country": "PAK, or the partner's code when the partner's leader came.",
    "bilateral_visits.to_place": "City visited, or the country when no city is stated.",
    "bilateral_visits.purpose": "Occasion, as stated.",
    "bilateral_visits.signed": "What was signed or issued, as stated.",
    "bilateral_visits.signed_count": "Number of instruments signed, if stated.",
    "bilateral_agreements.date": "Date signed.",
    "bilateral_agreements.title": "Title as stated.",
    "bilateral_connectivity.role": "The partner's role: supplier, origin, transit, party, "
    "proposed.",
}


def describe_field(layer: str, field: str) -> str:
    """
    Return the data-dictionary description of `field` in `layer`.

    A layer-specific meaning wins over the shared one. An undescribed field is a
    programming error (every exported field must be documented), so it raises.

    Examples
    --------
    >>> describe_field("segments", "name")
    'Segment name.'
    >>> describe_field("places", "iso3")
    'ISO3 code of the country the place lies in.'
    >>> describe_field("segments", "colour")
    Traceback (most recent call last):
    ...
    KeyError: 'no description for segments.colour — add one to corridors.outputs.fields'
    """
    text = _LAYER_FIELDS.get(f"{layer}.{field}") or _FIELDS.get(field)
    if text is None:
        raise KeyError(f"no description for {layer}.{field} — add one to corridors.outputs.fields")
    return text
