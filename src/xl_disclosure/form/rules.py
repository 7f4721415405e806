"""The rule catalogue: every rule the validator, the reader and the compiler report.

Each entry says what the rule checks and how its findings are worded; every
finding anywhere is made by its entry (``RULES[id].finding(...)``), so a
message and the ``expected``/``actual`` it reports come from the same values.
``xl-disclosure rules`` lists the catalogue and ``docs/rules.md`` is generated
from it.
"""

from __future__ import annotations

from xl_disclosure.form.model import Rule, Severity

_TOTAL = "{label}：总计应为 {expected}（{terms} = {expected}），实际为 {actual}，相差 {diff}。请核对总计或各分项。"
_TOTAL_LONG = "{label}：总计应为 {expected}（各项之和为 {expected}），实际为 {actual}，相差 {diff}。请核对总计或各分项。"
_TAMPERED = "合计和校验单元格由公式自动计算，请勿改写；请使用下发的模板重新填报。"

RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        # ------------------------------------------------------------ tables
        Rule(
            "s3.balance", Severity.ERROR, "依申请公开表勾稽关系：第一项加第二项之和等于第三项加第四项之和",
            "表三每一列（六类申请人和总计）：一、本年新收加二、上年结转，应等于三、本年度办理结果的（七）总计"
            "加四、结转下年度继续办理。这是格式在表下注明的勾稽关系。",
            "依申请公开表“{column}”列不平衡：第一项加第二项 = {lhs_terms} = {expected}，"
            "第三项（七）总计加第四项 = {rhs_terms} = {actual}，相差 {diff}。请核对本列的新收、结转和办理结果各项数字。",
            {"column": "自然人", "lhs_terms": "本年新收 12 + 上年结转 1", "expected": 13,
             "rhs_terms": "（七）总计 10 + 结转下年度继续办理 2", "actual": 12},
        ),
        Rule(
            "s3.row_total", Severity.ERROR, "依申请公开表：总计列等于六类申请人之和",
            "表三每一行的“总计”列，应等于自然人和五类法人或其他组织这六列之和。",
            _TOTAL, {"label": "一、本年新收政府信息公开申请数量 · 总计", "expected": 15,
                     "terms": "自然人 12 + 商业企业 2 + 科研机构 0 + 社会公益组织 0 + 法律服务机构 1 + 其他 0",
                     "actual": 16},
        ),
        Rule(
            "s3.results_total", Severity.ERROR, "依申请公开表：（七）总计等于（一）至（六）各项之和",
            "表三每一列的“（七）总计”，应等于本年度办理结果（一）至（六）各项（含各小项）之和。",
            _TOTAL_LONG, {"label": "三、本年度办理结果 （七）总计 · 自然人", "expected": 10, "actual": 11},
        ),
        Rule(
            "s4.total", Severity.ERROR, "复议诉讼表：总计等于四种结果之和",
            "表四行政复议、未经复议直接起诉、复议后起诉三组中，每组的“总计”应等于结果维持、结果纠正、其他结果、尚未审结四项之和。",
            _TOTAL, {"label": "行政复议 · 总计", "expected": 3, "terms": "结果维持 2 + 结果纠正 1 + 其他结果 0 + 尚未审结 0",
                     "actual": 4},
        ),
        # ------------------------------------------------------------ what was typed
        Rule(
            "input.blank", Severity.ERROR, "必填单元格不能为空，没有发生的请填 0",
            "表二、表三、表四的每个填报格都必须填写；空白从不当作 0，没有发生的事项请填 0。"
            "核对已发布的报告时，表格中读不到的数字也按此报告。",
            "{label}：未填写。没有发生的请填 0，不要留空。",
            {"label": "一、本年新收政府信息公开申请数量 · 商业企业", "note": "表格中没有这一列"},
            wordings={"published": "{label}：已发布的报告中未读到这一格的数字（{note}）。请核对表格是否缺行、缺列或被改动。"},
            expected="数字",
        ),
        Rule(
            "input.not_number", Severity.ERROR, "数字单元格只能填写数字",
            "数字格里填的是无法读成数字的内容：文字、逻辑值、日期、单位不对的金额（万元格填了“300元”）等。",
            "{label}：“{actual}”不是数字，请只填阿拉伯数字。",
            {"label": "规章 · 本年制发件数", "actual": "若干", "shown": "若干", "unit": "万元"},
            wordings={
                "logical": "{label}：填的是逻辑值 {shown}，应填数字。",
                "nan": "{label}：不是有效的数字（NaN 或无穷大）。",
                "date": "{label}：单元格是日期或时间格式（读到 {shown}），应填数字；请把单元格格式改为“常规”后重新输入。",
                "unknown": "{label}：无法识别的内容 {shown}，应填数字。",
                "too_long": "{label}：“{shown}”位数太多，不是合理的数字。",
                "unit": "{label}：填的是“{shown}”，本栏单位为{unit}，请换算为{unit}后只填数字。",
                "text": "{label}：“{shown}”无法识别为数字；请只填阿拉伯数字，没有发生的填 0。",
            },
            expected={"": "数字"},
        ),
        Rule(
            "input.error_value", Severity.ERROR, "单元格显示公式错误值（如 #DIV/0!），应直接填写内容",
            "填报格显示 #DIV/0!、#N/A、#VALUE! 等公式错误值，通常是在填报格里写了计算出错的公式。",
            "{label}：单元格显示错误值 {shown}，通常是填了计算出错的公式；请删除公式，直接填写{content}。",
            {"label": "二、上年结转政府信息公开申请数量 · 自然人", "shown": "#DIV/0!", "content": "数字",
             "expected": "非负整数", "actual": "#DIV/0!"},
        ),
        Rule(
            "input.not_integer", Severity.ERROR, "件数必须是整数",
            "件数、次数一类的格子只能填整数。",
            "{label}：件数必须是整数（填的是 {actual}）。",
            {"label": "行政许可 · 本年处理决定数量", "actual": 2.5},
            expected="整数",
        ),
        Rule(
            "input.negative", Severity.ERROR, "数字不能为负数",
            "表格中的件数和金额都不能是负数。",
            "{label}：不能为负数（填的是 {actual}）。请填 0 或正数。",
            {"label": "行政处罚 · 本年处理决定数量", "actual": -3},
            expected="≥ 0",
        ),
        Rule(
            "input.too_large", Severity.ERROR, "数字大得不合常理",
            "件数达到一亿、金额达到十亿（以本栏单位计），通常是多输了数字或填错了单位。",
            "{label}：{actual} {unit}大得不合常理，请核对是否多输了数字或填错了单位。",
            {"label": "一、本年新收政府信息公开申请数量 · 自然人", "actual": 120000000, "unit": "件",
             "limit": 100000000},
            expected="< {limit}",
        ),
        Rule(
            "input.precision", Severity.WARNING, "金额小数位数超过规定精度",
            "金额的小数位数多于本栏规定（万元 4 位，元 2 位），通常是单位填错了；expected 为按规定精度四舍五入后的数。",
            "{label}：金额以{unit}为单位，最多保留 {decimals} 位小数（填的是 {actual}），请核对单位并四舍五入。",
            {"label": "行政事业性收费 · 本年收费金额（单位：万元）", "unit": "万元", "decimals": 4, "actual": 1.23456,
             "expected": 1.2346},
        ),
        Rule(
            "input.coerced", Severity.WARNING, "单元格内容不是标准数字，已按说明读取",
            "“５”“5件”“ 3 ”“无”“—”、文本格式的数字等不是标准数字但意思明确的写法：按说明读取，并写明读成了多少。",
            "{label}：“{shown}”按 0 读取；没有发生的请直接填数字 0。",
            {"label": "行政强制 · 本年处理决定数量", "shown": "无", "why": "含全角字符、空格或千位分隔符的数字",
             "value": "12", "expected": "非负整数", "actual": "无"},
            wordings={
                "number": "{label}：{why}“{shown}”按 {value} 读取；请直接输入数字。",
                "unit": "{label}：“{shown}”按 {value} 读取；单位已在表头注明，请只填数字。",
                "year": "{label}：“{shown}”按年份 {value} 读取；请只填四位数字。",
                "date_serial": "{label}：数字 {shown} 按 Excel 日期序号读取为 {value}。",
            },
        ),
        # ------------------------------------------------------------ cover
        Rule(
            "cover.required", Severity.ERROR, "封面必填项不能为空",
            "封面的机关名称、统一社会信用代码、机关类型、报告年度、填报人、联系电话、填报日期等必填项不能为空。",
            "封面“{row_label}”未填写，请填写。",
            {"row_label": "联系电话"},
            expected="必填",
        ),
        Rule(
            "cover.year", Severity.ERROR, "报告年度不合理",
            "报告年度应是四位年份，在 2021 年（本格式开始适用）至今年之间。",
            "报告年度 {actual} 不合理：应在 {min} 年至 {max} 年之间（本格式适用于 2021 年及以后的报告）。",
            {"actual": 2019, "min": 2021, "max": 2025, "label": "报告年度", "shown": "二〇二四", "year": 2024},
            wordings={
                "logical": "{label}：报告年度应填四位年份，如 2024。",
                "fraction": "{label}：报告年度 {shown} 不是整数年份。",
                "date": "{label}：报告年度被识别为日期 {shown}，请只填四位年份，如 {year}。",
                "text": "{label}：“{shown}”不是年份；请填四位年份，如 2024。",
            },
            expected={"": "{min}–{max}"},
        ),
        Rule(
            "cover.uscc", Severity.ERROR, "统一社会信用代码不符合 GB 32100-2015",
            "统一社会信用代码应为 18 位，字符和第 18 位校验位符合 GB 32100-2015。",
            "统一社会信用代码“{actual}”{problem}。",
            {"actual": "11410308MB1234567X", "problem": "校验位（第 18 位）应为 T，实际为 X，请核对是否抄错"},
            expected="18 位有效代码",
        ),
        Rule(
            "cover.choice", Severity.ERROR, "须从下拉列表中选择",
            "机关类型等带下拉列表的格子，只能填列表中的一项。",
            "“{row_label}”填的是“{actual}”，请从下拉列表中选择：{choices}。",
            {"row_label": "机关类型/层级", "actual": "街道",
             "choices": "省级人民政府、省级政府部门、设区的市级人民政府、设区的市级政府部门、县（市、区）级人民政府、"
                        "县（市、区）级政府部门、乡镇人民政府、街道办事处、其他"},
            expected="列表中的一项",
        ),
        Rule(
            "cover.date", Severity.WARNING, "填报日期无法识别或不合理",
            "填报日期应能读成日期，不早于报告年度，也不晚于今天。",
            "填报日期 {actual} 不合理：不应早于报告年度 {year} 年，也不应晚于今天。",
            {"actual": "2023-12-30", "year": 2024, "label": "填报日期", "shown": "春节前"},
            wordings={
                "future": "填报日期 {actual} 不合理：不应晚于今天。",
                "unreadable": "{label}：填报日期“{shown}”无法识别为日期，已按原文保留；请填写如 2025-01-15。",
                "unreadable_value": "{label}：填报日期“{shown}”无法识别为日期；请填写如 2025-01-15。",
            },
            expected={"": "合理日期", "future": "合理日期"},
        ),
        Rule(
            "cover.phone", Severity.WARNING, "联系电话格式可疑",
            "联系电话应是座机或手机号码：数字，可带区号连字符、括号、分机“转”。",
            "联系电话“{actual}”格式可疑，请填写座机（如 0379-12345678）或手机号码。",
            {"actual": "办公室"},
            expected="电话号码",
        ),
        # ------------------------------------------------------------ narratives
        Rule(
            "narrative.required", Severity.ERROR, "文字部分必填内容不能为空",
            "一、总体情况的五个部分，五、存在的主要问题及改进情况，六、其他需要报告的事项，都必须填写；确实没有的写明“无”。",
            "“{row_label}”未填写。请如实叙述；确实没有可写内容的，写明“无”。",
            {"row_label": "五、存在的主要问题及改进情况"},
            expected="必填",
        ),
        Rule(
            "narrative.contradiction", Severity.WARNING, "文字叙述与表格数字矛盾",
            "文字说“未收到申请”而表三本年新收不为 0，说“未收取信息处理费”而信息处理费数字不为 0，"
            "说“未发生行政复议、行政诉讼”而表四总计不为 0。expected 为文字所说的数（0），actual 为表格中的数。",
            "“{row_label}”写有“{quote}”，但表三本年新收申请总计为 {actual} 件，请核对文字或表格。",
            {"row_label": "（二）依申请公开", "quote": "未收到政府信息公开申请", "expected": 0, "actual": 7,
             "figures": "发出收费通知件数 1，收费通知总金额 200"},
            wordings={
                "fee": "第六部分写有“{quote}”，但信息处理费数字不为 0（{figures}），请核对文字或数字。",
                "appeals": "“{row_label}”写有“{quote}”，但表四复议诉讼总计为 {actual} 件，请核对文字或表格。",
            },
        ),
        Rule(
            "fee.consistency", Severity.WARNING, "信息处理费各项数字相互矛盾",
            "信息处理费：未发出收费通知时收费通知总金额应为 0；实际收取的金额不应多于收费通知总金额。",
            "未发出收费通知（0 件），但收费通知总金额为 {actual} 元，请核对。",
            {"expected": 0, "actual": 200},
            wordings={"over": "实际收取 {actual} 元，多于收费通知总金额 {expected} 元，请核对。"},
        ),
        # ------------------------------------------------------------ plausible for the agency's level, on time
        Rule(
            "plausibility.rule_making", Severity.ERROR, "没有规章制定权的机关填报了规章",
            "《立法法》第九十三条：规章由省、自治区、直辖市和设区的市、自治州的人民政府（及国务院部门）制定；乡镇人民政府、"
            "街道办事处、县级人民政府和地方人民政府的工作部门没有规章制定权，表二“规章”一行应为 0。机关类型取封面“机关类型/层级”，"
            "已发布的报告按标题中的机关名称推断并在消息中写明；人民政府的办公厅（室）编报本级政府的文件，按该政府判断。",
            "表二“规章”一行填有数字（{figures}）{basis}。按《立法法》，规章只能由省、自治区、直辖市和设区的市、自治州的"
            "人民政府（及国务院部门）制定，{who}没有规章制定权。请将“规章”一行填 0；本机关起草或执行的规章不在此填报，"
            "如需说明请写在文字部分。",
            {"figures": "本年制发件数 2，现行有效件数 2",
             "basis": "（封面未写明机关类型，按机关名称“桃江县松木塘镇人民政府”推断为乡镇人民政府）",
             "who": "乡镇人民政府、街道办事处", "expected": 0, "actual": 2},
        ),
        Rule(
            "plausibility.street_normative", Severity.WARNING, "街道办事处填报了本年制发的行政规范性文件",
            "街道办事处是区（不设区的市）人民政府的派出机关，一般不制发行政规范性文件；填有本年制发件数时提醒核对，"
            "是否把工作方案、通知等一般性文件计入了。",
            "街道办事处填报本年制发行政规范性文件 {actual} 件{basis}。街道办事处是区（不设区的市）人民政府的派出机关，"
            "一般不制发行政规范性文件；请核对所填是否为本机关制发的行政规范性文件（工作方案、通知等一般性文件不计入）。",
            {"actual": 2, "expected": 0, "basis": "（封面机关类型为“街道办事处”）"},
        ),
        Rule(
            "plausibility.magnitude", Severity.WARNING, "数字对本机关的层级而言大得不合常理",
            "按机关层级，本年新收申请、行政许可和行政处罚决定、行政事业性收费等数字远超这一层级的机关通常所有"
            "（上限见 docs/checks.md，如乡镇、街道的本年新收申请 1000 件），通常是多输了数字、填错单位或填成了全区的合计。",
            "{label}：{actual} {unit}，对{level}而言大得不合常理{basis}，通常不超过 {limit} {unit}。"
            "请核对是否多输了数字、填错了单位或填成了全市（全区）的合计。",
            {"label": "一、本年新收政府信息公开申请数量 · 总计", "actual": 10000, "unit": "件", "level": "街道办事处",
             "basis": "（封面机关类型为“街道办事处”）", "limit": 1000},
            expected="≤ {limit}",
        ),
        Rule(
            "timeliness.deadline", Severity.WARNING, "报告晚于法定期限公布（填报）",
            "《政府信息公开条例》第四十九条：各行政机关于每年 1 月 31 日前公布上一年度的年度报告；第五十条：县级以上人民政府"
            "的年度报告由其政府信息公开工作主管部门于 3 月 31 日前公布。工作簿看填报日期，已发布的报告看页头的发布日期"
            "或文末落款日期。",
            "填报日期 {actual} 晚于法定期限 {deadline}：{why}。{basis}逾期公布会被扣分，请尽快公布；如日期填错，请改正。",
            {"actual": "2025-02-10", "deadline": "2025-01-31", "basis": "（封面机关类型为“县（市、区）级政府部门”）",
             "why": "各行政机关应于每年 1 月 31 日前公布本机关上一年度的年度报告（条例第四十九条）"},
            wordings={"published": "报告的发布（落款）日期 {actual} 晚于法定期限 {deadline}：{why}。{basis}逾期公布会被扣分。"},
            expected="≤ {deadline}",
        ),
        # ------------------------------------------------------------ the workbook itself
        Rule(
            "tamper.formula", Severity.ERROR, "公式单元格被改写",
            "模板中的合计和校验单元格由公式计算；公式被改成固定数字、被删除或被改成别的公式，都报这一条。",
            "{label}：公式被改为“{actual}”，应为“{expected}”。" + _TAMPERED,
            {"label": "行政复议 · 总计", "actual": "=B6+C6", "expected": "=SUM(B6:E6)"},
            wordings={
                "constant": "{label}：公式被改成了固定内容“{actual}”，应为“{expected}”。" + _TAMPERED,
                "deleted": "{label}：公式被删除，应为“{expected}”。" + _TAMPERED,
            },
        ),
        Rule(
            "tamper.cached", Severity.ERROR, "公式单元格的保存值与重新计算结果不一致",
            "合计单元格保存的值与按各分项重新计算的结果不同：合计被手工改过，或文件保存前没有重新计算。本工具以重新计算的结果为准。",
            "{label}：单元格保存的值为 {actual}，按各分项重新计算应为 {expected}。"
            "该合计可能被手工改过或未重新计算；本工具以重新计算的结果为准，请在 Excel 中按 F9 重算或恢复公式后保存。",
            {"label": "一、本年新收政府信息公开申请数量 · 总计", "actual": 20, "expected": 15},
        ),
        # ------------------------------------------------------------ across years (--prior)
        Rule(
            "cross_year.carryover", Severity.ERROR, "本年上年结转等于上年结转下年度继续办理",
            "给出上年报告（--prior）时，表三每一列本年的“二、上年结转”应等于上年报告的“四、结转下年度继续办理”。",
            "“{column}”列上年结转 {actual} 件，但上年报告的结转下年度继续办理为 {expected} 件，两者应相等。"
            "请核对本年上年结转数或上年报告。",
            {"column": "自然人", "actual": 1, "expected": 3},
        ),
        Rule(
            "cross_year.effective", Severity.WARNING, "现行有效件数与上年衔接",
            "给出上年报告时，规章和行政规范性文件的现行有效件数，应约等于上年现行有效件数加本年制发件数减本年废止件数"
            "（文件还可能失效或修订，所以只是警告）。",
            "{document}现行有效件数为 {actual}，按上年现行有效 {last} + 本年制发 {issued} − 本年废止 {repealed} 应为 {expected}。"
            "如有失效、修订等情况请在文字部分说明。",
            {"document": "行政规范性文件", "actual": 40, "last": 38, "issued": 5, "repealed": 1, "expected": 42},
        ),
        Rule(
            "cross_year.year", Severity.WARNING, "上年报告的年度应为本年度减一",
            "用于衔接核对的上年报告，其报告年度应比本报告早一年。",
            "用于衔接核对的上年报告是 {actual} 年度的，本报告是 {year} 年度，应使用 {expected} 年度报告。",
            {"actual": 2022, "year": 2024, "expected": 2023},
        ),
        Rule(
            "cross_year.magnitude", Severity.WARNING, "数字与上年相比变化超过十倍",
            "给出上年报告时，本年新收申请、（七）总计、行政许可/处罚/强制决定、行政事业性收费、行政规范性文件现行有效件数、"
            "行政复议总计，本年与上年都不少于 20 而相差 10 倍以上的，提醒核对（多输或少输了数字、填错单位）。",
            "{label}：本年 {actual} {unit}，上年 {expected} {unit}，{how}。变化超过 {factor} 倍，请核对是否多输或少输了数字、"
            "填错了单位；如确有其事，请在文字部分说明原因。",
            {"label": "行政许可 · 本年处理决定数量", "actual": 9487, "expected": 550, "unit": "件", "how": "是上年的 17.2 倍",
             "factor": 10},
        ),
        # ------------------------------------------------------------ compile: more than one file
        Rule(
            "compile.year", Severity.ERROR, "报告年度与本次汇总年度不一致",
            "汇总时（compile --year，或计入汇总的报告中最多的年度），报告年度不同的文件不计入汇总。",
            "报告年度为 {actual}，本次汇总的是 {expected} 年度，该文件不计入汇总。请核对封面的报告年度，或确认是否交错了文件。",
            {"actual": 2023, "expected": 2024},
            none="（未填）",
        ),
        Rule(
            "compile.duplicate", Severity.WARNING, "同一机关同一年度重复报送",
            "同一机关（统一社会信用代码相同，或没有代码时名称相同）同一年度报送了不止一份：按文件路径顺序第一份计入汇总，其余不计入。",
            "{agency} {year} 年度的报告重复报送：已按 {first} 计入汇总，本文件不计入。"
            "如本文件才是正确版本，请删除或替换另一份后重新汇总。",
            {"agency": "洛阳市孟津区西霞院街道办事处", "year": 2024, "first": "收到的/西霞院街道.xlsx"},
        ),
        # ------------------------------------------------------------ published reports read back
        # One finding per deviation from the format, not one per cell; {where} is the line it was found on.
        Rule(
            "format.version", Severity.ERROR, "已发布报告的表格使用 2019 年试行格式，不是 2021 年格式",
            "读回已发布的报告时，表二用的是 2019 年试行格式（国办公开办函〔2019〕60号）的栏目，"
            "不是 2021 年格式（国办公开办函〔2021〕30号）的栏目；这样的表格不读取数字，也不逐格报“未填写”。",
            "表二使用 2019 年试行格式（国办公开办函〔2019〕60号）的栏目（如“本年新制作数量”“上一年项目数量”"
            "“第二十条第（九）项”），不是 2021 年格式（国办公开办函〔2021〕30号）的“本年制发件数/本年废止件数/"
            "现行有效件数”“本年处理决定数量”。表二各格未读取。{where}",
            {"where": "（第 12 行：“信息内容 本年新制作数量 本年新公开数量 对外公开总数量”）"},
        ),
        Rule(
            "format.rows", Severity.ERROR, "已发布报告表三的行被合并、缺少或改名（如“（六）其他处理”只有一行）",
            "读回已发布的报告时，表三某一类办理结果只印了一行，没有按 2021 年格式分列细项；这些细项的数字无法读出，"
            "报这一条，不逐格报“未填写”。",
            "表三“{group}”只印了一行，没有按 2021 年格式分列 {count} 个细项（{items}）；"
            "这些细项的数字无法读出，未逐格报“未填写”。{where}",
            {"group": "（六）其他处理", "count": 3,
             "items": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请、"
                      "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请、3.其他",
             "where": "（第 1 个表格第 30 行：“（六）其他处理 0 0 0 0 0 0 0”）"},
        ),
        Rule(
            "format.structure", Severity.WARNING, "已发布报告缺少法定部分，或部分的编号、顺序与格式不一致",
            "读回已发布的报告时，六个部分的标题编号、顺序与 2021 年格式不一致，或报告中有两套“一、二、三……”编号。"
            "缺少的一、五、六部分由 narrative.required 报告，缺少的表格按其各格报告。",
            "报告的部分标题编号与 2021 年格式的六个部分不一致：{shown}。{where}",
            {"shown": "“五、其他需要报告的事项”（应为“六、其他需要报告的事项”）", "order": "一、二、三、四、六、五",
             "first": "一、总体情况", "second": "一、主动公开情况", "where": "（第 40 行：“五、其他需要报告的事项”）"},
            wordings={
                "order": "报告各部分的顺序与 2021 年格式不一致：{order}。{where}",
                "numbering": "报告中有两套“一、二、三……”编号（“{first}”与“{second}”）。{where}",
            },
        ),
        Rule(
            "format.template_text", Severity.WARNING, "已发布报告中保留了年度报告格式的编写说明",
            "读回已发布的报告时，报告中还留着年度报告格式本身的编写说明（如“本部分主要……”），应删去，只写本机关的情况。",
            "报告中保留了年度报告格式的编写说明：“{excerpt}”。应删去说明，只写本机关的情况。{where}",
            {"excerpt": "（一）主动公开情况。主要包括……", "where": "（第 5 行：“（一）主动公开情况。主要包括……”）"},
        ),
    )
}
