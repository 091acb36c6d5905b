"""Golden test on the reference article (skips when ../shared is absent) and the `gridscout extract` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractors.pipeline import extract
from flows.cli import app

SEED_FACILITIES = [
    ("solar", 40.0, "Gulshat village", "Aktogai district"),
    ("solar", 100.0, "Saran", "Karaganda region"),
    ("solar", 50.0, "Agadyr", "Shet district"),
    ("wind", 10.0, "Osakarovka", "Karaganda region"),
    ("wind", 60.0, "Karkaralinsk", "Karaganda region"),
    ("biogas", None, "Kurminskoye", "Abay district"),
]
FACILITY_KEYS = {"type", "name", "capacity_value", "capacity_unit", "capacity_mw", "location", "admin_area",
                 "country", "status", "organisations", "target_year"}


def test_reference_article_gives_exactly_its_six_facilities(seed_texts: list[Path]) -> None:
    text = seed_texts[0].read_text(encoding="utf-8")
    result = extract(text, doc_id="seed", title=text.splitlines()[0])
    got = [(f.type, f.capacity_mw, f.location, f.admin_area) for f in result.facilities]
    assert got == SEED_FACILITIES
    for f in result.facilities:
        assert (f.status, f.target_year, f.country) == ("planned", 2020, "Kazakhstan")
        assert f.region_canonical == "Karaganda" and f.organisations == []


def test_extract_cli_jsonl_on_the_seed(seed_texts: list[Path]) -> None:
    out = CliRunner().invoke(app, ["extract", str(seed_texts[0]), "--format", "jsonl"])
    assert out.exit_code == 0, out.output
    (line,) = [x for x in out.stdout.splitlines() if x.strip()]
    obj = json.loads(line)
    assert set(obj) >= {"id", "source", "facilities", "organisations", "locations"}
    assert len(obj["facilities"]) == 6
    assert FACILITY_KEYS <= set(obj["facilities"][0])
    assert {"sentence", "start_char", "end_char", "pattern_ids", "extractor_version"} <= set(obj["facilities"][0])


def _write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_extract_cli_reads_txt_json_and_html(tmp_path: Path) -> None:
    txt = _write(tmp_path, "note.txt", "Wind news\n\nA 30 MW wind farm will be built near the town of Ereymentau.")
    corpus = _write(tmp_path, "a.json", json.dumps({
        "id": "X1", "title": "Solar in Turkestan region", "url": "https://example.org/x1",
        "text": "A 10 MW solar power plant was put into operation in the town of Kentau on Monday."}))
    html = _write(tmp_path, "page.html", "<html><head><title>Hydro</title></head><body><nav>Home | News</nav>"
                  "<article><h1>Small hydro opens</h1><p>A 5 MW small hydropower plant was launched on the Ili "
                  "river near the village of Baiseit on Tuesday, the operator Ili Hydro LLP said in a statement. "
                  "The plant will supply electricity to the surrounding villages and farms.</p><p>The company "
                  "plans to build two more plants in the region over the next three years.</p></article>"
                  "<footer>Copyright</footer></body></html>")
    out = CliRunner().invoke(app, ["extract", str(txt), str(corpus), str(html)])
    assert out.exit_code == 0, out.output
    objs = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    assert [o["id"] for o in objs][:2] == ["note", "X1"]
    assert [f["type"] for f in objs[0]["facilities"]] == ["wind"]
    assert objs[1]["facilities"][0]["location"] == "Kentau" and objs[1]["source"] == "https://example.org/x1"
    assert objs[2]["facilities"][0]["type"] == "hydro"


def test_extract_cli_reports_a_missing_file_and_goes_on(tmp_path: Path) -> None:
    good = _write(tmp_path, "ok.txt", "A 12 MW solar plant opened in the town of Shu.")
    missing = tmp_path / "nope.txt"
    out = CliRunner().invoke(app, ["extract", str(missing), str(good)])
    assert out.exit_code != 0
    assert "nope.txt" in out.stderr and "no such file" in out.stderr
    objs = [json.loads(x) for x in out.stdout.splitlines() if x.strip()]
    assert [o["id"] for o in objs] == ["ok"]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("bad.json", "{not json", "invalid JSON"),
        ("notext.json", '{"id": "1"}', "string 'text'"),
        ("empty.txt", "   \n", "empty"),
    ],
)
def test_extract_cli_names_a_bad_file(tmp_path: Path, name: str, content: str, message: str) -> None:
    path = _write(tmp_path, name, content)
    out = CliRunner().invoke(app, ["extract", str(path)])
    assert out.exit_code == 1
    assert name in out.stderr and message in out.stderr


def test_extract_cli_table_format(tmp_path: Path) -> None:
    path = _write(tmp_path, "t.txt", "A 60 MW/240 MWh battery energy storage system opened near the town of Aktau.")
    out = CliRunner().invoke(app, ["extract", str(path), "--format", "table"])
    assert out.exit_code == 0
    assert "battery_storage" in out.stdout and "240 MWh" in out.stdout
