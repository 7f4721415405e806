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

## 选用和关闭规则

运行规则的命令——`validate`、`compile`、`merge`、`parse --validate`、`compare`——都可以用 `--select`、`--ignore`
选择规则，值是规则编号或前缀（`narrative` 表示所有 `narrative.` 开头的规则），可以用逗号分隔或写多次：

```bash
xl-disclosure validate 报告.xlsx --ignore input.coerced
xl-disclosure compile 收到的/ -o 汇总.xlsx --select s3,s4 --ignore narrative
xl-disclosure parse 已发布的报告.html --validate --ignore format.structure
xl-disclosure compare 报送/某某局.xlsx 网站/某某局.html --ignore compare.unpublished
```

长期的设置写在项目文件 `xl-disclosure.toml` 里（UTF-8 编码），放在要校验的文件旁边、`compile` 的输入文件夹里、
`merge` 的汇总 JSON 旁边，或运行命令的文件夹里；也可以用 `--config 文件` 指定。几个命令找项目文件、
合并命令行选项的方法完全相同（同一段代码），所以同一份设置对它们一样有效：

```toml
[rules]
ignore = ["input.coerced"]          # 不再报告这些规则
# select = ["s3", "s4", "input"]    # 只运行这些规则（省略时运行全部）

[rules.severity]
"cover.phone" = "error"             # 联系电话可疑也算错误（"error" / "warning"，也可写“错误”/“警告”）
```

- 同时写了 `select` 和 `ignore` 时，`ignore` 优先；级别按最长的匹配前缀决定。
- 命令行的 `--select` 代替项目文件的 `select`，`--ignore` 在项目文件的 `ignore` 之外再关闭一些规则。
- Excel 里的“校验”按钮读取工作簿所在文件夹中的 `xl-disclosure.toml`，与命令行结果一致。
  模板里随填随算的“校验”工作表和条件格式不受项目文件影响。
- 项目文件写错（不是 TOML、设置名或规则编号不认识、级别写错）时，命令给出文件名和设置名，退出码 2，不做校验。
- 校验结果 JSON（`validate --json`）、汇总 JSON（`compile --json`、`merge --json`）、`parse --validate` 和
  `compare --json` 的输出都有 `rules`，记录用了哪个项目文件、运行了哪些规则（`enabled`）、关闭了哪些
  （`disabled`）、哪些改了级别（`severity`）。
- `merge` 按合并时的规则设置重新判定各文件的问题（关闭的去掉，级别按合并的设置），状态和是否计入随之重定；
  合并时要运行的规则若在某份汇总中没有运行，`merge` 拒绝并说明是哪份汇总、哪些规则（见 docs/compile.md）。
- 关闭 `compile.year`、`compile.duplicate` 或 `compile.conflict` 只是不再列出这条问题：年度不符或重复报送的文件
  仍不计入汇总（内容不同的重复报送仍待 `--prefer` 决定），“校验状态”的备注写明原因。

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
