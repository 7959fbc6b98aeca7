"""Output formats of ``corridors.outputs.tables.render``: data never becomes markup."""

from __future__ import annotations

import csv
import io
import json

from corridors.outputs.report import Block, render_markdown
from corridors.outputs.tables import render

PAYLOAD = "<img src=x onerror=alert(1)> & </script>|{{ 7*7 }}"
RECORDS = [{"name": PAYLOAD, "km": 12.5}, {"name": "Termez", "km": 3}]


def test_render__markdown_escapes_html_and_pipes() -> None:
    text = render(RECORDS, ["name", "km"], "markdown")
    assert "<img" not in text and "</script>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/script&gt;\\|{{ 7*7 }}" in text
    assert text.splitlines()[1] == "|---|---:|"


def test_render__csv_and_json_keep_the_text_exactly() -> None:
    rows = list(csv.DictReader(io.StringIO(render(RECORDS, ["name", "km"], "csv"))))
    assert rows[0]["name"] == PAYLOAD
    assert json.loads(render(RECORDS, ["name", "km"], "json"))[0]["name"] == PAYLOAD


def test_render_markdown__report_text_and_headings_are_escaped() -> None:
    text = render_markdown([Block("heading", PAYLOAD), Block("text", PAYLOAD)])
    assert "<img" not in text
    assert text.startswith("## &lt;img")
