"""The library (xl_disclosure.api): the render gate, results instead of printing, JSON to an open stream."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

import docx
import pytest

from xl_disclosure import api
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, seed_report


def broken_report() -> Report:
    report = seed_report()
    report.values["s3_new_natural"] = int(report.values["s3_new_natural"] or 0) + 3
    return report


@pytest.mark.parametrize("as_file", [False, True])
def test_render_report_refuses_data_with_errors(tmp_path: Path, as_file: bool) -> None:
    source: Report | Path = broken_report()
    if as_file:
        source = api.fill(broken_report(), output=tmp_path / "broken.xlsx").written
    target = tmp_path / "out.docx"
    with pytest.raises(api.RenderRefused) as caught:
        api.render_report(source, target)
    assert not target.exists()
    refused = caught.value
    assert refused.validation is not None and {f.rule for f in refused.validation.errors} == {"s3.balance"}
    assert str(refused).startswith("未生成成稿：") and "2 个错误" in str(refused)


def test_render_report_draft_says_so_on_every_page(tmp_path: Path) -> None:
    done = api.render_report(broken_report(), tmp_path / "draft.docx", draft=True)
    assert done.draft and done.draft_note == "草稿：本报告数据有 2 个错误尚未改正，仅供内部审阅，不得发布"
    header = docx.Document(str(done.written)).sections[0].header
    assert "本报告数据有 2 个错误尚未改正" in "".join(p.text for p in header.paragraphs)

    asked = api.render_report(seed_report(), tmp_path / "asked.md", draft=True)  # no errors, but a draft asked for
    assert asked.draft_note == "草稿：仅供内部审阅，不得发布"
    assert asked.written.read_text(encoding="utf-8").splitlines()[2] == f"> **{asked.draft_note}**"

    clean = api.render_report(seed_report(), tmp_path / "clean.md")
    assert not clean.draft and "草稿" not in clean.written.read_text(encoding="utf-8")


def test_render_summary_refuses_counted_reports_with_errors(tmp_path: Path) -> None:
    rng = random.Random(3)
    folder = tmp_path / "in"
    for name in ("甲局", "乙局"):
        api.fill(random_report(rng, agency=name), output=folder / f"{name}.xlsx")
    api.fill(broken_report(), output=folder / "坏.xlsx")
    api.compile([folder], xlsx=tmp_path / "s.xlsx", json_path=tmp_path / "s.json", include_invalid=True, jobs=1)
    with pytest.raises(api.RenderRefused) as caught:
        api.render_summary(tmp_path / "s.json", tmp_path / "region.md")
    assert caught.value.validation is None
    assert any("坏.xlsx" in p and "已纳入统计" in p for p in caught.value.problems)
    assert not (tmp_path / "region.md").exists()
    draft = api.render(tmp_path / "s.json", tmp_path / "region.md", draft=True)  # render sees it is a summary
    assert draft.draft_note.startswith("草稿：汇总数据中有") and draft.written.exists()


def test_render_rejects_an_unknown_format_before_reading(tmp_path: Path) -> None:
    with pytest.raises(api.UsageError, match=r"\.docx（Word）"):
        api.render(tmp_path / "does-not-exist.xlsx", tmp_path / "x.pdf")


def test_compile_streams_the_summary_json_to_an_open_stream(tmp_path: Path) -> None:
    api.fill(seed_report(), output=tmp_path / "in" / "a.xlsx")
    stream = io.StringIO()
    result = api.compile([tmp_path / "in"], xlsx=tmp_path / "s.xlsx", json_path=stream, jobs=1)
    assert result.written == [str(tmp_path / "s.xlsx")]
    data = json.loads(stream.getvalue())
    assert data["kind"] == "xl-disclosure/compile-summary" and data["counted"] == 1
    merged = io.StringIO()
    api.compile([tmp_path / "in"], xlsx=tmp_path / "s.xlsx", json_path=tmp_path / "s.json", jobs=1)
    api.merge([tmp_path / "s.json"], xlsx=tmp_path / "m.xlsx", json_path=merged)
    assert json.loads(merged.getvalue())["totals"] == data["totals"]


def test_validate_reads_the_prior_report_and_refuses_an_unreadable_one(tmp_path: Path) -> None:
    current = api.fill(seed_report(), output=tmp_path / "now.xlsx").written
    prior = random_report(random.Random(5), agency=seed_report().agency, year=2023)
    with_prior = api.validate(current, prior=prior)
    assert any(f.rule.startswith("cross_year") for f in with_prior.results[0].findings)
    (tmp_path / "junk.xlsx").write_text("x", encoding="utf-8")
    with pytest.raises(api.UsageError, match="上年报告 .*junk.xlsx 无法读取"):
        api.validate(current, prior=tmp_path / "junk.xlsx")
    with pytest.raises(api.UsageError):
        api.validate([])


def test_export_and_fill_round_trip(tmp_path: Path) -> None:
    src = api.fill(seed_report(), output=tmp_path / "a.xlsx").written
    exported = api.export(src, output=tmp_path / "a.json")
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8")) == exported.to_json()
    assert exported.written == str(tmp_path / "a.json") and api.export(src).written is None
    # parse and compare write their JSON the same way, and say where
    page = Path(__file__).parent / "data" / "seed_xixiayuan_2024.txt"
    parsed = api.parse(page, output=tmp_path / "p.json")
    assert parsed.written == str(tmp_path / "p.json")
    assert json.loads((tmp_path / "p.json").read_text(encoding="utf-8")) == parsed.to_json()
    compared = api.compare(tmp_path / "a.json", page, json_path=tmp_path / "c.json")
    assert compared.written == str(tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text(encoding="utf-8")) == compared.to_json()
    with pytest.raises(api.UsageError, match="已存在.*--force"):
        api.fill(tmp_path / "a.json")  # output defaults to the JSON's name: a.xlsx, which it never replaces…
    again = api.fill(tmp_path / "a.json", force=True)  # …unless asked to
    assert again.written == tmp_path / "a.xlsx"
    assert api.export(again.written).to_json() == exported.to_json()
    with pytest.raises(api.ReportFormatError):
        api.fill(tmp_path / "a.xlsx", output=tmp_path / "b.xlsx")  # a workbook is not report JSON
