"""The one summary model: what compile writes is what every reader loads, checked against the derived schema."""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from referencing import Registry, Resource
from tests.compile_helpers import compiled_summary
from tests.conftest import SCHEMA_DIR

from xl_disclosure.cli.main import cli
from xl_disclosure.model import summary as model
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.model.schema_files import packaged_dir, schema_texts, stale_files
from xl_disclosure.model.summary import (
    SUMMARY_KIND,
    SUMMARY_SCHEMA,
    Summary,
    SummaryError,
    SummaryLimits,
    is_summary_file,
    load_summary,
    summary_schema,
)


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real summary: eight reports (two of one agency, one of another year) against a list of six."""
    rng = random.Random(11)
    root = tmp_path_factory.mktemp("summary-model")
    reports = []
    for i in range(8):
        r = random_report(rng, agency=f"某某县第{i}局", year=2024 if i != 5 else 2023)
        r.values["cover_uscc"] = random_uscc(rng) if i % 2 else None
        reports.append(r)
    reports.append(reports[1])  # a duplicate
    listed = [(r.agency, r.values["cover_uscc"] or "") for r in reports[:6]] + [("某某县缺报局", "")]
    return compiled_summary(reports, root / "in", expected=listed)


def committed_validator() -> jsonschema.protocols.Validator:
    """The committed summary.schema.json, validated by the reference implementation (jsonschema)."""
    resources = [(s["$id"], Resource.from_contents(s)) for s in
                 (json.loads(p.read_text(encoding="utf-8")) for p in SCHEMA_DIR.glob("*.schema.json"))]
    schema = json.loads((SCHEMA_DIR / SUMMARY_SCHEMA).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema, registry=Registry().with_resources(resources))


def test_the_writer_lays_out_every_model_member_in_model_order(written: Path) -> None:
    text = written.read_text(encoding="utf-8")
    data = json.loads(text)
    members = [name for name, *_ in model.model_fields(Summary)]
    assert list(data) == members
    # One member per line; files and reports one element per line (what lets a reader stream them).
    parts = []
    for name in members:
        if name in ("files", "reports"):
            parts.append(f'"{name}": [' + "".join(("," if i else "") + "\n" + json.dumps(x, ensure_ascii=False)
                                                  for i, x in enumerate(data[name])) + "\n]")
        else:
            parts.append(f'"{name}": ' + json.dumps(data[name], ensure_ascii=False))
    assert text == "{\n" + ",\n".join(parts) + "\n}\n"
    assert not list(committed_validator().iter_errors(data))


def test_load_gives_back_what_was_written(written: Path) -> None:
    data = json.loads(written.read_text(encoding="utf-8"))
    s = load_summary(written)
    assert (s.kind, s.year, s.included, s.counted, s.status_counts) == \
        (SUMMARY_KIND, data["year"], data["included"], data["counted"], data["status_counts"])
    assert s.totals.flat() == {k: v for g in ("section2", "section3", "section4") for k, v in data["totals"][g].items()}
    assert [model.to_json(f) for f in s.files] == data["files"]
    assert [model.to_json(f) for f in s.files] == data["files"]  # read again from the file, the same
    assert list(s.reports) == data["reports"] and len(s.reports) == len(data["reports"]) == s.counted
    assert [model.to_json(a) for a in s.agencies] == data["agencies"]
    assert [model.to_json(m) for m in s.missing] == data["missing"] == [{"agency": "某某县缺报局", "uscc": None}]
    assert [model.to_json(d) for d in s.duplicates] == data["duplicates"] and len(s.duplicates) == 1
    assert s.expected_given is True and s.list_given
    assert Summary.from_json(data).totals == s.totals


def test_an_older_summary_without_expected_given_still_loads(written: Path, tmp_path: Path) -> None:
    data = json.loads(written.read_text(encoding="utf-8"))
    del data["expected_given"], data["included_text"], data["status_counts"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    s = load_summary(old)
    assert s.expected_given is None and s.list_given  # it lists a missing agency, so it had a list
    data["missing"] = []
    assert not Summary.from_json(data).list_given


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(indent=st.sampled_from([None, 0, 1, 4, "\t"]), chunk=st.integers(1, 300), bom=st.booleans(),
       seed=st.integers(0, 10**6))
def test_any_layout_streams_the_same(written: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent,
                                     chunk: int, bom: bool, seed: int) -> None:
    """However the JSON is laid out, read in however small chunks (values cut anywhere), it loads the same."""
    data = json.loads(written.read_text(encoding="utf-8"))
    keys = list(data)
    random.Random(seed).shuffle(keys)  # members in any order ("included" may come after "reports")
    shuffled = {k: data[k] for k in keys}
    path = tmp_path / f"layout-{seed}.json"
    text = json.dumps(shuffled, ensure_ascii=seed % 2 == 0, indent=indent)
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    monkeypatch.setattr(model, "_CHUNK", chunk)
    s = load_summary(path)
    assert [model.to_json(f) for f in s.files] == data["files"]
    assert list(s.reports) == data["reports"]
    assert [model.to_json(a) for a in s.agencies] == data["agencies"]


@pytest.mark.parametrize(("damage", "says"), [
    (lambda d: d["files"][2].update(status="好"), "$.files[2].status"),
    (lambda d: d["reports"][1]["section3"].update(s3_new_natural="五"), "$.reports[1].section3.s3_new_natural"),
    (lambda d: d["files"][0]["findings"].append({"rule": "x", "message": "m"}), "$.files[0].findings[0]"),
    (lambda d: d.pop("totals"), "缺少“totals”"),
    (lambda d: d["totals"].update(section9={}), "$.totals"),
    (lambda d: d.update(year="2024"), "$.year"),
    (lambda d: d["duplicates"][0].update(files=["a.xlsx"]), "$.duplicates[0].files"),
    (lambda d: d["missing"].append({"agency": None, "uscc": None}), "$.missing[1]"),
    (lambda d: d["reports"].pop(), "报告数据却有"),
    (lambda d: d.update(kind="something-else"), "不是本工具 compile --json 写出的汇总结果"),
])
def test_a_damaged_summary_names_the_file_and_the_json_path(written: Path, tmp_path: Path, damage, says) -> None:
    data = json.loads(written.read_text(encoding="utf-8"))
    data["files"][0]["findings"] = []
    data["included"] = "valid"  # reports must then fit report.schema.json
    damage(data)
    path = tmp_path / "坏的汇总.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(SummaryError) as caught:
        load_summary(path)
    message = str(caught.value)
    assert "坏的汇总.json" in message and says in message, message
    with pytest.raises(SummaryError):
        Summary.from_json(data, source=str(path))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_fast_check_and_the_reference_validator_agree(written: Path, data: st.DataObject) -> None:
    """load refuses exactly the documents jsonschema finds invalid against the committed schema."""
    doc = json.loads(written.read_text(encoding="utf-8"))
    doc["files"][0]["findings"] = []
    doc["included"] = data.draw(st.sampled_from(["valid", "all"]))
    junk = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False), st.text(max_size=3),
                     st.just([]), st.just({}))
    for _ in range(data.draw(st.integers(1, 3))):  # replace one to three values anywhere by junk
        parent, key, node = None, None, doc
        while isinstance(node, dict | list) and node:
            parent, key = node, data.draw(st.sampled_from(list(node) if isinstance(node, dict) else range(len(node))))
            if not isinstance(node[key], dict | list) or data.draw(st.booleans()):
                break
            node = node[key]
        if parent is not None:
            parent[key] = data.draw(junk)
    if doc.get("kind") != SUMMARY_KIND or not isinstance(doc.get("files"), list) \
            or not isinstance(doc.get("reports"), list):
        return  # not a summary at all / counts not comparable: covered elsewhere
    counted = sum(1 for f in doc["files"] if isinstance(f, dict) and f.get("counted") is True)
    reference_ok = not list(committed_validator().iter_errors(doc)) and counted == len(doc["reports"])
    try:
        Summary.from_json(doc)
        loaded = True
    except SummaryError:
        loaded = False
    assert loaded == reference_ok


def test_limits_are_refused_clearly(written: Path) -> None:
    size = written.stat().st_size
    with pytest.raises(SummaryError, match=r"超过本工具读取汇总结果的上限") as caught:
        load_summary(written, limits=SummaryLimits(max_bytes=size - 1))
    assert str(written) in str(caught.value)
    with pytest.raises(SummaryError, match=r"“files”超过 3 项"):
        load_summary(written, limits=SummaryLimits(max_entries=3))
    with pytest.raises(SummaryError, match=r"第 \d+ 行起的一项超过 1000 字节"):
        load_summary(written, limits=SummaryLimits(max_value_chars=1000))
    load_summary(written, limits=SummaryLimits(max_bytes=size, max_entries=20, max_value_chars=200_000))


@pytest.mark.parametrize(("text", "says"), [
    ("", "不是本工具 compile --json 写出的汇总结果"),
    ('{"kind": "xl-disclosure/compile-summary", "files": [{"file": "a"', "第 1 行"),
    ('{"kind": "xl-disclosure/compile-summary",\n"year": 2024,\n"year": 2024}', "“year”出现了两次"),
    ('{"kind": "xl-disclosure/compile-summary"} trailing', "多余的内容"),
    ("[1, 2]", "不是本工具 compile --json 写出的汇总结果"),
    ("[" * 100_000 + "]" * 100_000, "不是本工具"),
])
def test_broken_json_is_a_summary_error_with_its_line(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SummaryError, match=says):
        load_summary(path)
    (tmp_path / "gbk.json").write_bytes('{"kind": "汇总"}'.encode("gbk"))
    with pytest.raises(SummaryError, match="UTF-8"):
        load_summary(tmp_path / "gbk.json")


def test_is_summary_file(written: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(random_report(random.Random(1)).dumps(), encoding="utf-8")
    (tmp_path / "bad.json").write_text("{no", encoding="utf-8")
    assert is_summary_file(written)
    assert not is_summary_file(report) and not is_summary_file(tmp_path / "bad.json")
    assert not is_summary_file(tmp_path / "none.json")


def test_the_schema_is_derived_from_the_model_and_shipped() -> None:
    schema = summary_schema()
    assert schema["required"] == [name for name, _, _, required in model.model_fields(Summary) if required]
    assert schema["$defs"]["FileEntry"]["required"] == \
        [f.name for f in dataclasses.fields(model.FileEntry) if not f.metadata.get("optional")]
    assert schema["$defs"]["FindingEntry"]["required"] == ["rule", "severity", "message"]
    assert schema["properties"]["status_counts"]["propertyNames"] == {"enum": list(model.STATUSES)}
    assert stale_files(SCHEMA_DIR) == [] and stale_files(packaged_dir()) == [], "run: xl-disclosure schema"
    assert (packaged_dir() / SUMMARY_SCHEMA).read_text(encoding="utf-8") == schema_texts()[SUMMARY_SCHEMA]


def test_schema_check_names_a_stale_packaged_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xl_disclosure import api

    for name, text in schema_texts().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    packaged = tmp_path / "packaged"
    packaged.mkdir()
    monkeypatch.setattr(api, "packaged_dir", lambda: packaged)
    r = CliRunner().invoke(cli, ["schema", "--check", "--out-dir", str(tmp_path)])
    assert r.exit_code == 1 and str(packaged / SUMMARY_SCHEMA) in r.output
    r = CliRunner().invoke(cli, ["schema", "--out-dir", str(tmp_path)])
    assert r.exit_code == 0 and (packaged / SUMMARY_SCHEMA).read_text(encoding="utf-8") == \
        schema_texts()[SUMMARY_SCHEMA]


def test_without_a_list_the_summary_says_none_was_given(tmp_path: Path) -> None:
    path = compiled_summary([random_report(random.Random(3))], tmp_path / "in")
    s = load_summary(path)
    assert s.expected_given is False and not s.list_given and s.missing == []
