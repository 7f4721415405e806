"""The rule catalogue: every rule id the validator, the reader and the compiler report, with its severity and title."""

from __future__ import annotations

from xl_disclosure.form.model import RuleInfo, Severity

RULES: dict[str, RuleInfo] = {
    r.id: r
    for r in (
        RuleInfo("s3.balance", Severity.ERROR, "依申请公开表勾稽关系：第一项加第二项之和等于第三项加第四项之和"),
        RuleInfo("s3.row_total", Severity.ERROR, "依申请公开表：总计列等于六类申请人之和"),
        RuleInfo("s3.results_total", Severity.ERROR, "依申请公开表：（七）总计等于（一）至（六）各项之和"),
        RuleInfo("s4.total", Severity.ERROR, "复议诉讼表：总计等于四种结果之和"),
        RuleInfo("input.blank", Severity.ERROR, "必填单元格不能为空，没有发生的请填 0"),
        RuleInfo("input.not_number", Severity.ERROR, "数字单元格只能填写数字"),
        RuleInfo("input.error_value", Severity.ERROR, "单元格显示公式错误值（如 #DIV/0!），应直接填写内容"),
        RuleInfo("input.not_integer", Severity.ERROR, "件数必须是整数"),
        RuleInfo("input.negative", Severity.ERROR, "数字不能为负数"),
        RuleInfo("input.too_large", Severity.ERROR, "数字大得不合常理"),
        RuleInfo("input.precision", Severity.WARNING, "金额小数位数超过规定精度"),
        RuleInfo("input.coerced", Severity.WARNING, "单元格内容不是标准数字，已按说明读取"),
        RuleInfo("cover.required", Severity.ERROR, "封面必填项不能为空"),
        RuleInfo("cover.year", Severity.ERROR, "报告年度不合理"),
        RuleInfo("cover.uscc", Severity.ERROR, "统一社会信用代码不符合 GB 32100-2015"),
        RuleInfo("cover.choice", Severity.ERROR, "须从下拉列表中选择"),
        RuleInfo("cover.date", Severity.WARNING, "填报日期无法识别或不合理"),
        RuleInfo("cover.phone", Severity.WARNING, "联系电话格式可疑"),
        RuleInfo("narrative.required", Severity.ERROR, "文字部分必填内容不能为空"),
        RuleInfo("narrative.contradiction", Severity.WARNING, "文字叙述与表格数字矛盾"),
        RuleInfo("fee.consistency", Severity.WARNING, "信息处理费各项数字相互矛盾"),
        RuleInfo("tamper.formula", Severity.ERROR, "公式单元格被改写"),
        RuleInfo("tamper.cached", Severity.ERROR, "公式单元格的保存值与重新计算结果不一致"),
        RuleInfo("cross_year.carryover", Severity.ERROR, "本年上年结转等于上年结转下年度继续办理"),
        RuleInfo("cross_year.effective", Severity.WARNING, "现行有效件数与上年衔接"),
        RuleInfo("cross_year.year", Severity.WARNING, "上年报告的年度应为本年度减一"),
        # Compile-level rules: they need more than one file to decide.
        RuleInfo("compile.year", Severity.ERROR, "报告年度与本次汇总年度不一致"),
        RuleInfo("compile.duplicate", Severity.WARNING, "同一机关同一年度重复报送"),
        # Published reports read back: one finding per deviation from the format, not one per cell.
        RuleInfo("format.version", Severity.ERROR, "已发布报告的表格使用 2019 年试行格式，不是 2021 年格式"),
        RuleInfo("format.rows", Severity.ERROR, "已发布报告表三的行被合并、缺少或改名（如“（六）其他处理”只有一行）"),
        RuleInfo("format.structure", Severity.WARNING, "已发布报告缺少法定部分，或部分的编号、顺序与格式不一致"),
        RuleInfo("format.template_text", Severity.WARNING, "已发布报告中保留了年度报告格式的编写说明"),
    )
}
