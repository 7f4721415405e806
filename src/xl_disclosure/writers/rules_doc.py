"""docs/rules.md, written from the rule catalogue (a test checks that the committed page is fresh)."""

from __future__ import annotations

from xl_disclosure.form import RULES, Rule, Severity

SEVERITY_TEXT = {Severity.ERROR: "错误", Severity.WARNING: "警告"}
DOC_COMMAND = "xl-disclosure rules --markdown -o docs/rules.md"

_INTRO = f"""\
# 校验规则

本页由规则目录 `src/xl_disclosure/form/rules.py` 生成，请勿手工修改；改了规则后运行 `{DOC_COMMAND}`。
`xl-disclosure rules` 在命令行列出同样的内容（`xl-disclosure rules narrative` 只列一组，`--json` 输出 JSON）。

每条问题都有规则编号、级别（错误 / 警告）、位置（工作表!单元格）和一句说明。说明由规则的提示语和这条问题报告的数值
一起生成：提示语中的 `{{expected}}`（应为）和 `{{actual}}`（实际）就是 JSON 里同名的两个值，`{{diff}}` 是两者之差，
`{{label}}` 是单元格所在的行和列，所以说明里的数字与 JSON 一致。有错误的报告“不通过”（退出码 1），只有警告的“有警告”。

## 规则一览

"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def rule_section(rule: Rule) -> str:
    lines = [f"### `{rule.id}`", "", f"**{SEVERITY_TEXT[rule.severity]}** · {rule.title}", "",
             rule.description, "", "例如：", "", f"> {rule.example_finding().message}", ""]
    lines += ["提示语：", ""]
    lines += [f"- `{template}`" for template in rule.templates.values()]
    expected = {rule.expected_template(name) for name in rule.templates} - {None}
    if expected:
        lines += ["", "应为（`expected`）：" + "、".join(f"`{e}`" for e in sorted(e for e in expected if e))]
    lines.append("")
    return "\n".join(lines)


def rules_markdown() -> str:
    """The whole of docs/rules.md."""
    table = ["| 规则 | 级别 | 内容 |", "|---|---|---|"]
    table += [f"| [`{r.id}`](#{r.id.replace('.', '')}) | {SEVERITY_TEXT[r.severity]} | {_cell(r.title)} |"
              for r in RULES.values()]
    sections = [rule_section(r) for r in RULES.values()]
    return _INTRO + "\n".join(table) + "\n\n## 各条规则\n\n" + "\n".join(sections)
