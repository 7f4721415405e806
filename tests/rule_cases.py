"""A crafted input for every wording of every catalogued rule, run through the code path that reports it.

``CASES`` maps (rule id, wording name) to a function returning the findings the
real code produces for a crafted input: the validator on report data, the
workbook reader on cells (through an in-memory CellSource, the same path as a
file or the Excel button), the published-report parser on text, and compile on
report files.  The functions use only the package's public entry points.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import random
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.parse_helpers import seed_layout_text

from xl_disclosure.batch.compile import compile_reports, write_outputs
from xl_disclosure.batch.merge import merge_summaries
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.form import FORM, SHEET_CHECKS, SHEET_META, SHEET_S3, TEMPLATE_ID, TEMPLATE_VERSION
from xl_disclosure.model.agency import Agency
from xl_disclosure.model.findings import Finding
from xl_disclosure.model.report import Report
from xl_disclosure.model.samples import random_report, random_uscc
from xl_disclosure.readers.compare import findings as compare_findings
from xl_disclosure.readers.published import parse_html, parse_text, validate_parsed
from xl_disclosure.readers.published_file import parse_file
from xl_disclosure.readers.workbook import expected_formulas, validate_source

TODAY = dt.date(2025, 3, 1)


def base(seed: int = 5) -> Report:
    """A busy report in which every rule holds (new applications, fees and appeals all above 0)."""
    rng = random.Random(seed)
    while True:
        report = random_report(rng, scale=120, fee=True)
        if report.total("s3_new_total") and report.total("s4_reconsideration_total") \
                and report.number("n6_fee_collected"):
            assert not validate_report(report, today=TODAY)
            return report


def changed(**values: Any) -> Report:
    report = base()
    return Report({**report.values, **values}, dict(report.source))


def data(**values: Any) -> list[Finding]:
    """The validator on report data (as from report JSON)."""
    return validate_report(changed(**values), today=TODAY)


def prior_of(report: Report, **values: Any) -> Report:
    """A consistent last-year report for ``report``: its 结转下年度 is this year's 上年结转."""
    v = dict(report.with_totals().values)
    prior = {f.id: v.get(f.id) for f in FORM.inputs}
    prior["cover_year"] = (report.year or 2024) - 1
    for f in FORM.groups["section3"]:
        if f.id.startswith("s3_carried_"):
            prior[f.id.replace("s3_carried_", "s3_next_")] = v[f.id]
    for doc in ("rules", "normative"):
        prior[f"s2_{doc}_effective"] = v[f"s2_{doc}_effective"] - v[f"s2_{doc}_issued"] + v[f"s2_{doc}_repealed"]
    prior.update(values)
    return Report(prior, {})


def across_years(**prior_values: Any) -> list[Finding]:
    report = base()
    return validate_report(report, prior=prior_of(report, **prior_values), today=TODAY)


def jumped() -> list[Finding]:
    """行政许可 300 this year against 25 last year."""
    report = changed(s2_licensing_decisions=300)
    return validate_report(report, prior=prior_of(report, s2_licensing_decisions=25), today=TODAY)


def reused(last_year: int | None = 2023) -> list[Finding]:
    """（三）政府信息管理 as last year's, word for word (淮安市洪泽区人民政府 2023/2024)."""
    text = ("加强区政府门户网站及政务新媒体日常管理，运用第三方检测平台实行常态化监测，执行信息审核发布制度。严格执行"
            "“分级审核、先审后发”程序，落实“三审三校”制度，从严从实把好政治关、法律关、政策关、保密关、文字关。")
    report = changed(n1_management=text)
    return validate_report(report, prior=prior_of(report, n1_management=text, cover_year=last_year), today=TODAY)


def outcome_sum(*, with_total: bool) -> list[Finding]:
    """Every outcome listed, one of them off by 10 (so its own row differs as well)."""
    r = base()
    v = {k: r.total(f"s3_{k}_total") or 0 for k in ("open", "partial")}
    groups = {g: sum(r.total(f.id) or 0 for f in FORM.fields if f.id.startswith(f"s3_{g}_") and f.id.endswith("_total"))
              for g in ("deny", "unable", "reject", "other")}
    handled = f"共办结{r.total('s3_results_total_total')}件，" if with_total else ""
    text = (f"本年度政府信息公开申请{handled}其中予以公开{v['open'] + 10}件，部分公开{v['partial']}件，"
            f"不予公开{groups['deny']}件，无法提供{groups['unable']}件，不予处理{groups['reject']}件，"
            f"其他处理{groups['other']}件。")
    return data(n1_on_request=text)


def signed_late(agency: str = "某某县东城街道办事处", day: str = "2025年3月25日") -> list[Finding]:
    """A published report signed after its deadline (a street office: 31 January; an agency of no known level:
    31 March)."""
    report = changed(cover_agency_name=agency, cover_agency_type="街道办事处", s2_normative_issued=0)
    return published(seed_layout_text(report) + f"\n{agency}\n{day}\n")


def silent_on_fees(section_six: str) -> list[Finding]:
    """A published report whose section 六 says nothing of the 信息处理费."""
    text = seed_layout_text(base())
    head, _, _ = text.partition("六、其他需要报告的事项")
    return published(f"{head}六、其他需要报告的事项\n{section_six}\n")


class DictSource:
    """A CellSource over a dict of cells: the workbook reader's whole path without a file."""

    def __init__(self, report: Report, cells: Mapping[tuple[str, str], Any] | None = None,
                 formulas: Mapping[tuple[str, str], str | None] | None = None) -> None:
        self.cells: dict[tuple[str, str], Any] = {(f.sheet, f.cell): report.values.get(f.id) for f in FORM.inputs}
        self.cells.update({(t.sheet, t.cell): v for t in FORM.totals
                           if (v := report.with_totals().values.get(t.id)) is not None})
        self.cells.update(cells or {})
        wanted = dict(expected_formulas())
        wanted.update(formulas or {})
        self._formulas: dict[str, dict[str, str]] = {}
        for (sheet, cell), text in wanted.items():
            book = self._formulas.setdefault(sheet, {})
            if text is not None:
                book[cell] = text

    def sheet_names(self) -> list[str]:
        return list(dict.fromkeys([*FORM.sheets, *self._formulas, SHEET_CHECKS, SHEET_META]))

    def meta(self) -> dict[str, str]:
        return {"template_id": TEMPLATE_ID, "template_version": str(TEMPLATE_VERSION)}

    def value(self, sheet: str, cell: str) -> Any:
        return self.cells.get((sheet, cell))

    def formulas(self, sheet: str) -> Mapping[str, str] | None:
        return self._formulas.get(sheet, {})

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        return None

    def renamed(self) -> Mapping[str, str]:
        return {}


class FormattedSource(DictSource):
    """The cells of a workbook some of whose cells have another number format than the template's."""

    def __init__(self, report: Report, formats: Mapping[tuple[str, str], str]) -> None:
        super().__init__(report)
        self.formats = formats

    def number_formats(self, sheet: str) -> Mapping[str, str] | None:
        return {cell: code for (where, cell), code in self.formats.items() if where == sheet}


def formatted(formats: Mapping[tuple[str, str], str]) -> list[Finding]:
    return validate_source(FormattedSource(base(), formats), file="crafted.xlsx").findings


class RenamedSource(DictSource):
    """The cells of a workbook whose 依申请公开 sheet a spreadsheet renamed (read by position)."""

    def renamed(self) -> Mapping[str, str]:
        return {SHEET_S3: "表三"}


class WithoutChecks(DictSource):
    """The cells of a workbook whose 校验 sheet was deleted."""

    def sheet_names(self) -> list[str]:
        return [name for name in super().sheet_names() if name != SHEET_CHECKS]


def cell(fid: str) -> tuple[str, str]:
    f = FORM.by_id[fid]
    return f.sheet, f.cell


def typed(fid: str, raw: Any) -> list[Finding]:
    """The workbook reader on a cell holding ``raw`` (what calamine or xlwings hands over)."""
    return validate_source(DictSource(base(), {cell(fid): raw}), file="crafted.xlsx").findings


def workbook(cells: Mapping[tuple[str, str], Any] | None = None,
             formulas: Mapping[tuple[str, str], str | None] | None = None) -> list[Finding]:
    return validate_source(DictSource(base(), cells, formulas), file="crafted.xlsx").findings


def published_without_a_row(label: str = "行政许可") -> list[Finding]:
    """The seed as a published report with the row ``label`` taken out (行政许可: one cell; format.rows)."""
    lines = seed_layout_text(base()).split("\n")
    hit = [i for i, line in enumerate(lines) if line.startswith(label)]
    assert len(hit) == 1
    del lines[hit[0]]
    return validate_parsed(parse_text("\n".join(lines)))


HEAD3 = "三、收到和处理政府信息公开申请情况\n自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n"


def published(text: str) -> list[Finding]:
    return validate_parsed(parse_text(text))


PUBLISHED_DATA = Path(__file__).parent / "data" / "published"


def scanned_first_page(tmp: Path) -> list[Finding]:
    """洪泽区 2024's WPS export with its first page (title and 一, no table) from its scan with OCR text."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    doc.import_pages(pdfium.PdfDocument(str(PUBLISHED_DATA / "hongze-2024.scanned-ocr.pdf")), [0])
    doc.import_pages(pdfium.PdfDocument(str(PUBLISHED_DATA / "hongze-2024.pdf")), [1, 2, 3, 4])
    doc.save(str(tmp / "mixed.pdf"))
    return validate_parsed(parse_file(tmp / "mixed.pdf"))


def published_html(html: str) -> list[Finding]:
    return validate_parsed(parse_html(html))


#: Table 四 as a CMS page prints it (the header rows of 上海市人民政府办公厅's 2019 page), 复议后起诉 to fill in.
S4_HTML = (
    "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
    "<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>"
    "<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>"
    "<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>"
    "<td colspan='5'>复议后起诉</td></tr>"
    "<tr>" + "<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2 + "</tr>"
    "<tr><td>5</td><td>0</td><td>0</td><td>2</td><td>7</td><td>8</td><td>0</td><td>0</td><td>1</td><td>9</td>"
    "{suit_after}</tr></table>"
)


def compared(published_text: str, **submitted: Any) -> list[Finding]:
    """compare's findings: the base report (changed by ``submitted``) against a published text."""
    return compare_findings(changed(**submitted), parse_text(published_text))


def without_row(text: str, row: str) -> str:
    lines = text.split("\n")
    hit = [i for i, line in enumerate(lines) if row in line]
    assert len(hit) == 1
    del lines[hit[0]]
    return "\n".join(lines)


def compiled(tmp: Path, reports: list[Report], **options: Any) -> list[Finding]:
    """compile on report JSON files: the findings of every file."""
    tmp.mkdir(parents=True, exist_ok=True)
    for i, report in enumerate(reports):
        (tmp / f"r{i}.json").write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    with compile_reports([tmp], jobs=1, **options) as comp:
        return [Finding.from_json(f) for findings in comp.findings_of() for f in findings]


#: One published report (平潭综合实验区 2023) as its web page and as a PDF made from it (real/SOURCES.md).
PINGTAN = Path(__file__).parent / "data" / "published" / "real" / "pingtan-2023.html"
PINGTAN_PDF = PINGTAN.parent / "converted" / "pingtan-2023.chromium.pdf"


def compiled_formats(tmp: Path, natural: str = "80") -> list[Finding]:
    """compile on the web page and the PDF of one report; the page's 三 （一） 自然人 (80) printed as ``natural``."""
    tmp.mkdir(parents=True, exist_ok=True)
    row = '本年新收政府信息公开申请数量</p></td><td><p style="text-indent: 0em;">'
    html = PINGTAN.read_text(encoding="utf-8")
    (tmp / "平潭.html").write_text(html.replace(row + "80<", row + natural + "<"), encoding="utf-8")
    (tmp / "平潭.pdf").write_bytes(PINGTAN_PDF.read_bytes())
    with compile_reports([tmp], jobs=1) as comp:
        return [Finding.from_json(f) for findings in comp.findings_of() for f in findings]


def same_agency(seed: int) -> Report:
    """Another report (other figures) from the agency of base()."""
    other = base(seed)
    other.values["cover_agency_name"] = base().agency
    other.values["cover_uscc"] = base().values["cover_uscc"]
    return other


def merged_old_summary(tmp: Path) -> list[Finding]:
    """merge of a summary written before conflicts were held: its duplicates name no decision."""
    (tmp / "in").mkdir(parents=True)
    for i, report in enumerate([base(), same_agency(6)]):
        (tmp / "in" / f"r{i}.json").write_text(json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8")
    with compile_reports([tmp / "in"], jobs=1, prefer=["r0.json"]) as comp:
        write_outputs(comp, xlsx=tmp / "s.xlsx", json_path=tmp / "s.json")
    data = json.loads((tmp / "s.json").read_text(encoding="utf-8"))
    for d in data["duplicates"]:
        del d["decided"], d["evidence"]
    (tmp / "s.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with merge_summaries([tmp / "s.json"]) as comp:
        return [Finding.from_json(f) for findings in comp.findings_of() for f in findings]


def _a_check_cell() -> tuple[str, str]:
    return next(k for k in expected_formulas() if k[0] == SHEET_CHECKS)


Case = Callable[[Path], list[Finding]]

CASES: dict[tuple[str, str], Case] = {
    ("s3.balance", ""): lambda _: data(s3_new_natural=base().values["s3_new_natural"] + 3),
    ("s3.balance", "uncounted"): lambda _: typed("s3_new_natural", str(base().values["s3_new_natural"])),
    ("s3.row_total", ""): lambda _: data(s3_new_total=base().total("s3_new_total") + 2),
    ("s3.results_total", ""): lambda _: data(
        s3_results_total_natural=base().total("s3_results_total_natural") - 1),
    ("s4.total", ""): lambda _: data(s4_reconsideration_total=base().total("s4_reconsideration_total") + 5),
    ("input.blank", ""): lambda _: data(s2_rules_issued=None),
    # a row printed with its label and no number (a row not printed at all is format.rows)
    ("input.blank", "published"): lambda _: published(seed_layout_text(base()).replace("行政许可\t0", "行政许可")),
    ("input.blank", "published_table"): lambda _: published(
        seed_layout_text(base()).split("四、政府信息公开行政复议")[0].replace("三、收到和处理政府信息公开申请情况", "")),
    # 上海市政府办公厅 2025 (text extracted from its PDF): table 二's multi-line cells pulled out of their rows
    ("input.blank", "published_row"): lambda _: published(re.sub(r"(?m)^规章\t.*$", "规章\t22\t235",
                                                                 seed_layout_text(base()))),
    # a web page cut by the excerpt inside table 三 (深圳市龙岗区 2024): one finding for all it lacks
    ("input.partial", ""): lambda _: published(
        seed_layout_text(base()).split("二、上年结转政府信息公开申请数量")[0]),
    # a real report scanned and put through OCR (scripts/scan_pdf_copy.py): no number of its text is placed
    ("input.ocr_text", ""): lambda _: validate_parsed(parse_file(PUBLISHED_DATA / "hongze-2024.scanned-ocr.pdf")),
    ("input.ocr_text", "text"): scanned_first_page,
    ("input.not_number", ""): lambda _: data(s2_rules_issued="若干"),
    ("input.not_number", "logical"): lambda _: typed("s2_rules_issued", True),
    ("input.not_number", "nan"): lambda _: typed("s2_rules_issued", float("nan")),
    ("input.not_number", "unknown"): lambda _: typed("s2_rules_issued", decimal.Decimal("5")),
    ("input.not_number", "too_long"): lambda _: typed("s2_rules_issued", "9" * 400),
    ("input.not_number", "unit"): lambda _: typed("s2_fees_amount", "300元"),
    ("input.not_number", "text"): lambda _: typed("s2_rules_issued", "若干"),
    ("input.not_number", "text_number"): lambda _: typed("s2_enforcement_decisions", "１２"),
    ("input.not_number", "with_unit"): lambda _: typed("s2_enforcement_decisions", "12件"),
    ("input.not_number", "none_word"): lambda _: typed("s2_enforcement_decisions", "无"),
    ("input.not_number", "spaces"): lambda _: typed("s2_enforcement_decisions", "\u3000 "),
    ("input.not_number", "not_money"): lambda _: typed("s2_enforcement_decisions", "300元"),
    ("input.error_value", ""): lambda _: typed("s3_new_natural", "#DIV/0!"),
    ("input.number_format", ""): lambda _: formatted({cell("s3_new_natural"): '"00"'}),
    ("input.number_format", "text"): lambda _: formatted({cell("cover_agency_name"): ';;;"冒名机关"'}),
    # a formula whose saved result is 100: never taken
    ("input.formula", ""): lambda _: workbook(cells={cell("s3_new_natural"): 100},
                                              formulas={cell("s3_new_natural"): "50+50"}),
    ("input.not_integer", ""): lambda _: data(s2_licensing_decisions=2.5),
    ("input.negative", ""): lambda _: data(s2_penalty_decisions=-3),
    ("input.too_large", ""): lambda _: data(s2_enforcement_decisions=120_000_000),
    ("input.precision", ""): lambda _: data(s2_fees_amount=1.23456),
    ("input.coerced", ""): lambda _: typed("s2_enforcement_decisions", dt.datetime(2024, 3, 5)),
    ("input.coerced", "year"): lambda _: typed("cover_year", "2024年"),
    ("input.coerced", "date_serial"): lambda _: typed("cover_date", 45300.0),
    ("cover.required", ""): lambda _: data(cover_phone=None),
    ("cover.year", ""): lambda _: data(cover_year=2019),
    ("cover.year", "logical"): lambda _: typed("cover_year", True),
    ("cover.year", "fraction"): lambda _: typed("cover_year", 2024.5),
    ("cover.year", "date"): lambda _: typed("cover_year", dt.datetime(2024, 1, 1)),
    ("cover.year", "text"): lambda _: typed("cover_year", "二〇二四"),
    ("cover.uscc", ""): lambda _: data(cover_uscc="11410308MB1234567X"),
    ("cover.choice", ""): lambda _: data(cover_agency_type="街道"),
    ("cover.date", ""): lambda _: data(cover_date="2023-12-30"),
    ("cover.date", "future"): lambda _: data(cover_year=None, cover_date="2099-01-01"),
    ("cover.date", "unreadable"): lambda _: typed("cover_date", "春节前"),
    ("cover.date", "unreadable_value"): lambda _: typed("cover_date", 12.5),
    ("cover.phone", ""): lambda _: data(cover_phone="办公室"),
    ("narrative.required", ""): lambda _: data(n5_problems=None),
    ("narrative.contradiction", ""): lambda _: data(n1_on_request="本年度未收到政府信息公开申请。"),
    ("narrative.contradiction", "next"): lambda _: data(n1_on_request="本年度依法办理政府信息公开申请，无下年度结转。"),
    ("narrative.contradiction", "fee"): lambda _: data(n6_other="本年度未收取信息处理费。"),
    ("narrative.contradiction", "notice"): lambda _: data(n6_other="本年度未发出信息处理费收费通知。"),
    ("narrative.contradiction", "appeals"): lambda _: data(
        n5_problems="本年度未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"),
    ("narrative.contradiction", "corrected"): lambda _: data(
        s4_reconsideration_corrected=1, s4_reconsideration_total=None,
        n1_oversight="全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。"),
    ("narrative.applications", ""): lambda _: data(
        n1_on_request=f"本年度，共受理政府信息公开申请{base().total('s3_new_total') + 1}件，都在法定期限内予以答复。"),
    ("narrative.outcomes", ""): lambda _: data(
        n1_on_request=f"本年度共收到政府信息公开申请，其中不予处理{base().total('s3_open_total') + 100}件。"),
    ("narrative.outcome_sum", ""): lambda _: outcome_sum(with_total=True),
    ("narrative.outcome_sum", "table"): lambda _: outcome_sum(with_total=False),
    ("narrative.appeals", ""): lambda _: data(
        n1_on_request=f"因政府信息公开引发行政复议{base().total('s4_reconsideration_total') + 1}件。"),
    ("narrative.documents", ""): lambda _: data(
        n1_management=f"制发行政规范性文件{base().values['s2_normative_issued'] + 2}件。"),
    ("narrative.decisions", ""): lambda _: data(
        n1_proactive=f"全年作出行政处罚决定{base().values['s2_penalty_decisions'] + 5}件，均在门户网站公示。"),
    ("narrative.fees", ""): lambda _: data(
        n6_other=f"本年度实际收取信息处理费{base().values['n6_fee_collected'] + 100:.0f}元。"),
    ("narrative.all_done", ""): lambda _: data(
        s3_next_natural=base().values["s3_next_natural"] + 1, s3_open_natural=base().values["s3_open_natural"] - 1,
        n1_on_request="所有申请均已按要求办理完成。"),
    ("narrative.all_upheld", ""): lambda _: data(
        s4_reconsideration_pending=1, s4_reconsideration_total=None, n1_on_request="信息公开类行政复议均获维持。"),
    ("content.problems", ""): lambda _: data(n5_problems="无。"),
    ("content.fees", ""): lambda _: silent_on_fees("无。"),
    ("content.fees", "admin"): lambda _: silent_on_fees("本年度行政事业性收费0万元。"),
    ("content.fees", "charged"): lambda _: data(n6_other="本年度认真落实政务公开工作要点。"),
    ("fee.consistency", ""): lambda _: data(n6_fee_notices=0, n6_fee_notice_amount=200, n6_fee_collected=0),
    ("fee.consistency", "over"): lambda _: data(n6_fee_notice_amount=100, n6_fee_collected=150),
    ("plausibility.rule_making", ""): lambda _: data(s2_rules_issued=1, s2_rules_effective=1),
    ("plausibility.street_normative", ""): lambda _: data(
        cover_agency_name="某某县东城街道办事处", cover_agency_type="街道办事处", s2_normative_issued=2),
    ("plausibility.magnitude", ""): lambda _: data(
        cover_agency_name="某某县城关镇人民政府", cover_agency_type="乡镇人民政府", s2_penalty_decisions=60_000),
    ("timeliness.deadline", ""): lambda _: data(cover_date="2025-02-20"),
    ("timeliness.deadline", "published"): lambda _: signed_late(),
    ("timeliness.deadline", "unknown_level"): lambda _: data(cover_agency_type="其他", cover_date="2025-04-02"),
    ("timeliness.deadline", "published_unknown_level"): lambda _: signed_late("某某中心", "2025年4月2日"),
    ("tamper.formula", ""): lambda _: workbook(formulas={cell("s4_reconsideration_total"): "B6+C6"}),
    ("tamper.formula", "constant"): lambda _: workbook(
        cells={cell("s4_reconsideration_total"): 7}, formulas={cell("s4_reconsideration_total"): None}),
    ("tamper.formula", "deleted"): lambda _: workbook(
        cells={_a_check_cell(): None}, formulas={_a_check_cell(): None}),
    ("tamper.formula", "sheet_missing"): lambda _: validate_source(WithoutChecks(base()), file="crafted.xlsx").findings,
    ("sheet.renamed", ""): lambda _: validate_source(RenamedSource(base()), file="crafted.xlsx").findings,
    ("tamper.cached", ""): lambda _: workbook(
        cells={cell("s3_new_total"): base().total("s3_new_total") + 4}),
    ("cross_year.carryover", ""): lambda _: across_years(s3_next_natural=base().values["s3_carried_natural"] + 2),
    ("cross_year.effective", ""): lambda _: across_years(
        s2_normative_effective=prior_of(base()).values["s2_normative_effective"] + 3),
    ("cross_year.year", ""): lambda _: across_years(cover_year=2020),
    ("cross_year.magnitude", ""): lambda _: jumped(),
    ("cross_year.text_reuse", ""): lambda _: reused(),
    ("cross_year.text_reuse", "no_year"): lambda _: reused(last_year=None),
    ("compile.year", ""): lambda tmp: compiled(tmp, [base()], year=2023),
    ("compile.duplicate", ""): lambda tmp: compiled(tmp, [base(), base()]),
    ("compare.differs", ""): lambda _: compared(seed_layout_text(base()), s3_new_natural=base().values["s3_new_natural"] + 3),
    ("compare.unpublished", ""): lambda _: compared(without_row(seed_layout_text(base()), "5. 属于三类内部事务信息")),
    ("compile.duplicate", "prefer"): lambda tmp: compiled(tmp, [base(), same_agency(6)], prefer=["r1.json"]),
    ("compile.duplicate", "list"): lambda tmp: compiled(
        tmp, [base(), same_agency(6)], expected=[Agency(base().agency, str(base().values["cover_uscc"]), file="r1.json")]),
    ("compile.duplicate", "summary"): merged_old_summary,
    ("compile.duplicate", "format"): compiled_formats,
    ("compile.conflict", ""): lambda tmp: compiled(tmp, [base(), same_agency(6)]),
    ("compile.conflict", "format"): lambda tmp: compiled_formats(tmp, "79"),
    ("identity.mismatch", ""): lambda tmp: compiled(
        tmp, [base()], expected=[Agency("某某县另一个局", str(base().values["cover_uscc"]))]),
    ("identity.mismatch", "code"): lambda tmp: compiled(
        tmp, [base()], expected=[Agency(base().agency, random_uscc(random.Random(99)))]),
    ("format.version", ""): lambda _: published(
        "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n"
        "规章\t13\t13\t524\n"),
    ("format.period", ""): lambda _: published(
        "2020年度某某县人民政府政府信息公开工作年度报告\n二、主动公开政府信息情况\n第二十条第（一）项\n"
        "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量\n规章\t0\t0\t0\n"),
    ("format.rows", ""): lambda _: published(
        HEAD3 + "（五）不予处理 5.要求行政机关确认或重新出具已获取信息\t0\t0\t0\t0\t0\t0\t0\n"
        "（六）其他处理\t4\t0\t0\t0\t0\t0\t4\n（七）总计\t4\t0\t0\t0\t0\t0\t4\n"),
    # 平潭综合实验区海峡合作服务中心 2025 and nine other 平潭 pages: table 二 without its 规章 row
    ("format.rows", "missing"): lambda _: published_without_a_row("规章"),
    # table 三's （六）1. numbers merged down (rowspan) over 1.–3., not all 0: placed in none of the three rows
    ("format.rows", "merged"): lambda _: published_html(
        "<p>三、收到和处理政府信息公开申请情况</p><table><tr><td colspan=3 rowspan=2>（本列数据的勾稽关系为：第一项加第二项"
        "之和，等于第三项加第四项之和）</td><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td>"
        "</tr><tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>"
        "<tr><td rowspan=3>三、本年度办理结果</td><td rowspan=3>（六）其他处理</td><td>1.申请人无正当理由逾期不补正、"
        "行政机关不再处理其政府信息公开申请</td>" + "".join(f"<td rowspan=3>{x}</td>" for x in (2, 0, 0, 0, 0, 0, 2))
        + "</tr><tr><td>2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请</td></tr>"
        "<tr><td>3.其他</td></tr></table>"),
    ("format.structure", ""): lambda _: published(
        "一、总体情况\n（四）信息公开平台建设方面\n平台。\n（五）政府信息公开监督保障情况\n考核。\n"
        "一、主动公开政府信息情况\n五、存在问题及改进情况\n问题。\n五、其他需要报告的事项\n无。\n"),
    ("format.structure", "order"): lambda _: published(
        "一、总体情况\n六、其他需要报告的事项\n无。\n五、存在的主要问题及改进情况\n问题。\n"),
    ("format.structure", "numbering"): lambda _: published(
        "一、总体情况\n（一）主动公开\n一、加强组织领导\n内容。\n五、存在的主要问题及改进情况\n问题。\n"
        "六、其他需要报告的事项\n无。\n"),
    ("format.blank_cells", ""): lambda _: published_html(S4_HTML.format(suit_after="<td></td>" * 4 + "<td></td>")),
    ("format.blank_total", ""): lambda _: published_html(S4_HTML.format(suit_after="<td>1</td>" + "<td>0</td>" * 3
                                                                                  + "<td></td>")),
    # 上海市人民政府办公厅 2019: zero cells left blank in tables 三 and 四, one finding for the report
    ("format.blank_cells", "tables"): lambda _: validate_parsed(parse_file(
        Path(__file__).parent / "data" / "published" / "real" / "shanghai-bangongting-2019.html")),
    ("format.blank_total", "tables"): lambda _: published(seed_layout_text(base()).replace(
        "四、结转下年度继续办理\t\t0\t2\t0\t0\t1\t1\t4\t", "四、结转下年度继续办理\t\t0\t2\t0\t0\t1\t1\t\t").replace(
        "1\t0\t3\t0\t4\t1\t1\t0\t0\t2", "1\t0\t3\t0\t\t1\t1\t0\t0\t2")),
    ("format.structure", "parts"): lambda _: published(
        "一、总体情况\n（一）强化组织协调\n内容。\n（二）围绕工作重点，扎实推进主动公开\n内容。\n"
        "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"),
    # 平潭综合实验区市场监督管理局 2021: 一 by topics, only the last titled as a part
    ("format.structure", "topics_and_parts"): lambda _: published(
        "一、总体情况\n主动公开政府信息394条。\n（一）加强人员队伍建设。安排1名人员。\n（二）健全信息公开机制。建立目录。\n"
        "（六）监督保障。层层审批。\n五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"),
    # 平潭综合实验区旅游与文化体育局 2025: （一）信息公开方面 for 主动公开 and 依申请公开 together
    ("format.structure", "joint"): lambda _: published(
        "一、总体情况\n（一）信息公开方面。全年主动公开信息80条，全年办理政府信息公开申请1件。\n"
        "（二）信息管理方面。规范发布流程。\n（三）平台建设方面。开设栏目。\n（四）监督管理方面。专人负责。\n"
        "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"),
    # 平潭综合实验区国有资产管理局 2023: the five parts, （一）平台建设情况 first
    ("format.structure", "part_order"): lambda _: published(
        "一、总体情况\n（一）平台建设情况\n维护网站。\n（二)政府信息管理情况\n规范发布。\n（三）主动公开情况\n"
        "主动公开16条。\n（四）依申请公开情况\n未收到申请。\n（五）监督保障情况\n专人负责。\n"
        "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"),
    ("format.template_text", ""): lambda _: published(
        "一、总体情况\n这一项报告本机关政府信息公开工作总体情况，对本机关贯彻落实条例情况进行综述。\n"),
    ("format.structure", "title"): lambda _: published(
        "一、总体情况\n内容。\n四、因政府信息公开工作被申请行政复议提起行政诉讼情况\n无。\n"
        "五、存在的主要问题及改进情况\n问题。\n六、其他需要报告的事项\n无。\n"),
    ("format.two_reports", ""): lambda _: published(
        "某某县2023年政府信息公开工作年度报告\n一、总体情况\n" + "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。\n" * 8
        + "六、其他需要报告的事项\n无。\n"
        "某某县2024年政府信息公开工作年度报告\n一、总体情况\n内容。\n六、其他需要报告的事项\n无。\n"),
    # 宿迁市 2023 and 2024: table 三 of each side by side, pages of a comparison printed to PDF
    ("format.two_reports", "tables"): lambda _: validate_parsed(parse_file(
        Path(__file__).parent / "data" / "published" / "real" / "suqian-2023-vs-2024-comparison-table3.pdf")),
}
