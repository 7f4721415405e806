"""Generators of messy published reports (text, HTML, Word) from report data, for parser tests.

They are written independently of the parser and of the renderer, imitating
what real published reports look like: the seed's web-page text layout with
its split header rows and shifted labels, space-separated text, 全角 digits
and brackets, HTML tables with rowspan/colspan, Word tables with merged cells,
and tables without the 总计 columns or with an extra 小计 column.
"""

from __future__ import annotations

import html
import random
import re
from pathlib import Path

from xl_disclosure.form import (
    FORM,
    S2_BLOCKS,
    S3_COLUMNS,
    S3_ROWS,
    S4_GROUPS,
    S4_RESULTS,
    s3_id,
)
from xl_disclosure.form.layout import run_lengths
from xl_disclosure.model.report import Report

ROOT = Path(__file__).resolve().parent
SEED_TEXT = ROOT / "data" / "seed_xixiayuan_2024.txt"

TABLE_IDS = [f.id for g in ("section2", "section3", "section4") for f in FORM.groups[g]]
FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def stated(report: Report) -> dict[str, object]:
    """Values as a published report prints them: inputs, and totals (recomputed unless stated)."""
    return dict(report.with_totals().values)


def num(v: object, *, fullwidth: bool = False) -> str:
    if v is None:
        return "—"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    text = str(v)
    return text.translate(FULLWIDTH) if fullwidth else text


def _tables_region(text: str) -> tuple[int, int]:
    start = text.index("二、主动公开政府信息情况")
    end = text.index("五、存在的主要问题及改进情况")
    return start, end


# ---------------------------------------------------------------------------
# The seed's own layout (web-page text), filled with other numbers
# ---------------------------------------------------------------------------

def seed_layout_text(report: Report, *, sep: str = "\t", fullwidth: bool = False, brackets: str = "keep",
                     shift: random.Random | None = None, title: bool = True) -> str:
    """The seed report's text with its 200 table zeros replaced, in order, by ``report``'s numbers.

    ``sep`` replaces the tab between cells (" " or "  " give space-separated text); ``brackets``
    "full"/"half" rewrites （）/() throughout; ``shift`` moves random row labels to other columns.
    """
    text = SEED_TEXT.read_text(encoding="utf-8")
    values = stated(report)
    numbers = iter([num(values[fid], fullwidth=fullwidth) for fid in TABLE_IDS])
    a, b = _tables_region(text)
    lines = text[a:b].split("\n")
    out_lines = []
    for line in lines:
        cells = line.split("\t")
        cells = [next(numbers) if c.strip() == "0" else c for c in cells]
        if shift is not None and len(cells) > 2 and shift.random() < 0.3:
            # drop or add leading empty cells: the label lands in another column
            cells = cells[1:] if cells[0] == "" and shift.random() < 0.5 else ["", *cells]
        out_lines.append("\t".join(cells))
    rest = next(numbers, None)
    assert rest is None, "the seed layout has more cells than the form"
    body = "\n".join(out_lines)
    if sep != "\t":
        body = "\n".join(sep.join(c for c in line.split("\t") if c.strip()) for line in body.split("\n"))
    agency = report.agency or "某某单位"
    year = report.year or 2024
    head = text[:a]
    head = head.replace("孟津区西霞院街道办事处 2024 年", f"{agency} {year} 年") if title else "\n".join(
        line for line in head.split("\n") if "年度报告" not in line)
    out = head + body + text[b:]
    if brackets == "full":
        out = out.replace("(", "（").replace(")", "）")
    elif brackets == "half":
        out = out.replace("（", "(").replace("）", ")")
    return out


def drop_totals_text(report: Report) -> str:
    """Space-separated text of tables 三 and 四 printed without any 总计 column."""
    v = stated(report)
    lines = [f"{report.agency}{report.year}年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况",
             "申请人情况", "自然人 法人或其他组织", "商业企业 科研机构 社会公益组织 法律服务机构 其他"]
    for row in S3_ROWS:
        nums = [num(v[s3_id(row.key, c)]) for c, _ in S3_COLUMNS]
        lines.append(f"{row.full_label} {' '.join(nums)}")
    lines += ["四、政府信息公开行政复议、行政诉讼情况", "行政复议 行政诉讼",
              "结果维持 结果纠正 其他结果 尚未审结 未经复议直接起诉 复议后起诉",
              " ".join(lbl for _ in range(2) for _, lbl in S4_RESULTS)]
    lines.append(" ".join(num(v[f"s4_{g}_{r}"]) for g, _ in S4_GROUPS for r, _ in S4_RESULTS))
    return "\n".join(lines) + "\n"


def org_subtotal_text(report: Report) -> str:
    """Tab-separated table 三 with an extra 小计 column for 法人或其他组织 (not a form column)."""
    v = stated(report)
    orgs = [c for c, _ in S3_COLUMNS[1:]]
    lines = ["三、收到和处理政府信息公开申请情况",
             "\t\t\t申请人情况\t\t\t\t\t\t\t总计",
             "\t\t\t自然人\t法人或其他组织",
             "\t\t\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t小计"]
    for row in S3_ROWS:
        sub = sum(v[s3_id(row.key, c)] for c in orgs)  # type: ignore[misc]
        nums = [num(v[s3_id(row.key, "natural")])] + [num(v[s3_id(row.key, c)]) for c in orgs]
        nums += [num(sub), num(v[s3_id(row.key, "total")])]
        lines.append("\t".join([row.level1, row.level2, row.level3, *nums]))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# HTML with rowspan/colspan
# ---------------------------------------------------------------------------

def _td(text: str, rowspan: int = 1, colspan: int = 1, *, tag: str = "td") -> str:
    attrs = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (f' colspan="{colspan}"' if colspan > 1 else "")
    return f"<{tag}{attrs}><p><span>{html.escape(text)}</span></p></{tag}>"


def html_report(report: Report, *, fullwidth: bool = False, nbsp_labels: bool = True) -> str:
    """A web page like the ones agencies publish: <p> paragraphs, tables with rowspan/colspan."""
    v = stated(report)

    def n(fid: str) -> str:
        return _td(num(v[fid], fullwidth=fullwidth))

    def label(text: str) -> str:
        return text.replace("、", "、&nbsp;") if nbsp_labels else html.escape(text)

    parts = ['<html><head><meta charset="utf-8"><title>年度报告</title><style>td{border:1px solid}</style></head><body>',
             f"<div class='title'><p>{html.escape(report.agency)}{report.year}年政府信息公开工作年度报告</p></div>",
             "<p><strong>一、总体情况</strong></p>"]
    for fid in ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight"):
        parts.append(f"<p>{html.escape(FORM.by_id[fid].row_label)}</p><p>{html.escape(str(v[fid] or ''))}</p>")
    parts.append("<p><strong>二、主动公开政府信息情况</strong></p><table border='1'><tbody>")
    for block in S2_BLOCKS:
        parts.append("<tr>" + _td(block.item, colspan=4) + "</tr>")
        span = 3 // len(block.columns)
        parts.append("<tr>" + _td("信息内容") + "".join(_td(c, colspan=span) for _, c in block.columns) + "</tr>")
        for rkey, rlabel in block.rows:
            cells = "".join(_td(num(v[f"s2_{rkey}_{c}"], fullwidth=fullwidth), colspan=span) for c, _ in block.columns)
            parts.append("<tr>" + _td(rlabel) + cells + "</tr>")
    parts.append("</tbody></table>")
    parts.append("<p><strong>三、收到和处理政府信息公开申请情况</strong></p><table><tbody>")
    parts.append("<tr>" + _td("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3)
                 + _td("申请人情况", colspan=7) + "</tr>")
    parts.append("<tr>" + _td("自然人", 2) + _td("法人或其他组织", colspan=5) + _td("总计", 2) + "</tr>")
    parts.append("<tr>" + "".join(_td(lbl) for _, lbl in S3_COLUMNS[1:]) + "</tr>")
    l1 = run_lengths([r.level1 if r.level2 else f"#{i}" for i, r in enumerate(S3_ROWS)])
    l2 = run_lengths([r.level2 if r.level3 else f"#{i}" for i, r in enumerate(S3_ROWS)])
    for i, row in enumerate(S3_ROWS):
        cells = ""
        if not row.level2:
            cells += _td(label(row.level1), colspan=3)
        else:
            if l1[i]:
                cells += _td(label(row.level1), l1[i])
            if not row.level3:
                cells += _td(label(row.level2), colspan=2)
            else:
                if l2[i]:
                    cells += _td(label(row.level2), l2[i])
                cells += _td(label(row.level3))
        cells += "".join(n(s3_id(row.key, c)) for c, _ in (*S3_COLUMNS, ("total", "")))
        parts.append(f"<tr>{cells}</tr>")
    parts.append("</tbody></table>")
    parts.append("<p><strong>四、政府信息公开行政复议、行政诉讼情况</strong></p><table><tbody>")
    results = [*S4_RESULTS, ("total", "总计")]
    parts.append("<tr>" + _td("行政复议", colspan=5) + _td("行政诉讼", colspan=10) + "</tr>")
    parts.append("<tr>" + "".join(_td(lbl, 2) for _, lbl in results)
                 + _td("未经复议直接起诉", colspan=5) + _td("复议后起诉", colspan=5) + "</tr>")
    parts.append("<tr>" + "".join(_td(lbl) for _ in range(2) for _, lbl in results) + "</tr>")
    parts.append("<tr>" + "".join(n(f"s4_{g}_{r}") for g, _ in S4_GROUPS for r, _ in results) + "</tr>")
    parts.append("</tbody></table>")
    parts.append(f"<p><strong>五、存在的主要问题及改进情况</strong></p><p>{html.escape(str(v['n5_problems'] or ''))}</p>")
    parts.append(f"<p><strong>六、其他需要报告的事项</strong></p><p>{html.escape(str(v['n6_other'] or ''))}</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# Word with merged cells
# ---------------------------------------------------------------------------

def docx_report(report: Report, path: Path) -> Path:
    """A Word document whose tables use merged cells (vertical and horizontal) like published reports."""
    import docx

    v = stated(report)
    d = docx.Document()
    d.add_paragraph(f"{report.agency}")
    d.add_paragraph(f"{report.year}年政府信息公开工作年度报告")
    d.add_paragraph("一、总体情况")
    for fid in ("n1_proactive", "n1_on_request", "n1_management", "n1_platform", "n1_oversight"):
        d.add_paragraph(f"{FORM.by_id[fid].row_label}：{v[fid] or ''}")
    d.add_paragraph("二、主动公开政府信息情况")
    rows = sum(2 + len(b.rows) for b in S2_BLOCKS)
    t = d.add_table(rows=rows, cols=4)
    r = 0
    for block in S2_BLOCKS:
        t.cell(r, 0).merge(t.cell(r, 3)).text = block.item
        t.cell(r + 1, 0).text = "信息内容"
        if len(block.columns) == 1:
            t.cell(r + 1, 1).merge(t.cell(r + 1, 3)).text = block.columns[0][1]
        else:
            for c, (_, lbl) in enumerate(block.columns):
                t.cell(r + 1, 1 + c).text = lbl
        for i, (rkey, rlabel) in enumerate(block.rows):
            rr = r + 2 + i
            t.cell(rr, 0).text = rlabel
            if len(block.columns) == 1:
                t.cell(rr, 1).merge(t.cell(rr, 3)).text = num(v[f"s2_{rkey}_{block.columns[0][0]}"])
            else:
                for c, (ckey, _) in enumerate(block.columns):
                    t.cell(rr, 1 + c).text = num(v[f"s2_{rkey}_{ckey}"])
        r += 2 + len(block.rows)
    d.add_paragraph("三、收到和处理政府信息公开申请情况")
    t = d.add_table(rows=3 + len(S3_ROWS), cols=10)
    t.cell(0, 0).merge(t.cell(2, 2)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t.cell(0, 3).merge(t.cell(0, 9)).text = "申请人情况"
    t.cell(1, 3).merge(t.cell(2, 3)).text = "自然人"
    t.cell(1, 4).merge(t.cell(1, 8)).text = "法人或其他组织"
    t.cell(1, 9).merge(t.cell(2, 9)).text = "总计"
    for c, (_, lbl) in enumerate(S3_COLUMNS[1:]):
        t.cell(2, 4 + c).text = lbl
    l1 = run_lengths([x.level1 if x.level2 else f"#{i}" for i, x in enumerate(S3_ROWS)])
    l2 = run_lengths([x.level2 if x.level3 else f"#{i}" for i, x in enumerate(S3_ROWS)])
    for i, row in enumerate(S3_ROWS):
        rr = 3 + i
        if not row.level2:
            t.cell(rr, 0).merge(t.cell(rr, 2)).text = row.level1
        else:
            if l1[i]:
                t.cell(rr, 0).merge(t.cell(rr + l1[i] - 1, 0)).text = row.level1
            if not row.level3:
                t.cell(rr, 1).merge(t.cell(rr, 2)).text = row.level2
            else:
                if l2[i]:
                    t.cell(rr, 1).merge(t.cell(rr + l2[i] - 1, 1)).text = row.level2
                t.cell(rr, 2).text = row.level3
        for c, (ckey, _) in enumerate((*S3_COLUMNS, ("total", ""))):
            t.cell(rr, 3 + c).text = num(v[s3_id(row.key, ckey)])
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t = d.add_table(rows=4, cols=15)
    results = [*S4_RESULTS, ("total", "总计")]
    t.cell(0, 0).merge(t.cell(0, 4)).text = "行政复议"
    t.cell(0, 5).merge(t.cell(0, 14)).text = "行政诉讼"
    for c, (_, lbl) in enumerate(results):
        t.cell(1, c).merge(t.cell(2, c)).text = lbl
    t.cell(1, 5).merge(t.cell(1, 9)).text = "未经复议直接起诉"
    t.cell(1, 10).merge(t.cell(1, 14)).text = "复议后起诉"
    for g in range(2):
        for c, (_, lbl) in enumerate(results):
            t.cell(2, 5 + 5 * g + c).text = lbl
    for c, fid in enumerate(f"s4_{g}_{res}" for g, _ in S4_GROUPS for res, _ in results):
        t.cell(3, c).text = num(v[fid])
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.add_paragraph(str(v["n5_problems"] or ""))
    d.add_paragraph("六、其他需要报告的事项")
    d.add_paragraph(str(v["n6_other"] or ""))
    d.save(str(path))
    return path


def squeeze_labels(text: str) -> str:
    """Labels with their inner spaces removed (“(一) 予以公开” → “(一)予以公开”), cells kept apart."""
    return "\n".join("\t".join(re.sub(r"(?<=\S) (?=\S)", "", c) for c in line.split("\t")) for line in text.split("\n"))
