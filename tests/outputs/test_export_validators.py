"""The exports pass the validators their formats' users run: GDAL's, GeoParquet's, OGC's, RFC 7946."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import geoparquet_validator as gpv
import pytest
from lxml import etree
from osgeo_utils.samples import validate_gpkg

from corridors.bilateral.tables import load_bilateral
from corridors.data.atlas import load_atlas
from corridors.outputs.export import export_files


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    atlas = load_atlas()
    out = tmp_path_factory.mktemp("exports")
    for relative, data in export_files(atlas, load_bilateral(atlas.data_dir)).items():
        (out / relative).parent.mkdir(parents=True, exist_ok=True)
        (out / relative).write_bytes(data)
    return out


def test_gpkg__gdal_validate_gpkg_finds_no_error(exported: Path) -> None:
    errors = validate_gpkg.check(
        str(exported / "corridors.gpkg"), abort_at_first_error=False, warning_msg=False
    )
    assert errors == []


def test_kml__valid_against_the_ogc_kml_2_2_schema(exported: Path) -> None:
    spec = importlib.util.find_spec("pykml")
    assert spec is not None and spec.submodule_search_locations
    xsd = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "ogckml22.xsd"
    parser = etree.XMLParser(no_network=True)
    schema = etree.XMLSchema(etree.parse(str(xsd), parser))
    document = etree.parse(str(exported / "corridors.kml"), parser)
    assert schema.validate(document), schema.error_log
    assert len(document.findall(".//{http://www.opengis.net/kml/2.2}Placemark")) > 100


def test_geoparquet__spatial_layers_conform_to_1_1(exported: Path) -> None:
    spatial = ["boundaries", "corridors", "crossings", "places", "segments"]
    for name in spatial:
        report = gpv.check(str(exported / "parquet" / f"{name}.parquet"))
        assert report["version"] == "1.1.0"
        assert gpv.failed(report) == [], (name, gpv.failed(report))
        passed = {o["id"] for o in report["outcomes"] if o["status"] == "pass"}
        assert {"/conf/core/wkb", "/conf/covering/keys"} <= passed, name


def test_geojson__rfc_7946_no_crs_and_six_decimals(exported: Path) -> None:
    files = sorted((exported / "geojson").glob("*.geojson"))
    assert len(files) >= 5
    for path in files:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text)
        assert "crs" not in document, path.name
        decimals = [len(d) for d in re.findall(r"-?\d+\.(\d+)", json.dumps(
            [f["geometry"] for f in document["features"]]))]  # fmt: skip
        assert decimals and max(decimals) <= 6, path.name
