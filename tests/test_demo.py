"""The README's first command: the demo runs end to end and says where every output is."""

import json

from click.testing import CliRunner
from tests.conftest import assert_schema_valid

from xl_disclosure.cli.main import cli


def test_demo_writes_every_output(tmp_path):
    out = tmp_path / "演示"
    r = CliRunner().invoke(cli, ["demo", "-o", str(out)])
    assert r.exit_code == 0, r.output
    expected = [
        out / "report_template.xlsx",
        out / "汇总" / "summary.xlsx",
        out / "汇总" / "summary.json",
        out / "汇总" / "long.csv",
        out / "汇总" / "区域汇总报告.docx",
        out / "成稿" / "西霞院街道办事处2024年政府信息公开工作年度报告.docx",
        out / "成稿" / "西霞院街道办事处2024年政府信息公开工作年度报告.html",
    ]
    for path in expected:
        assert path.is_file() and path.stat().st_size > 0, path
    statuses = {}
    for path in (out / "校验结果").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert_schema_valid(data, "validation.schema.json")
        statuses[path.name.split("_")[0]] = data["status"]
    assert statuses["西霞院街道办事处"] == "通过"
    assert statuses["某某县交通运输局"] == "不通过"
    assert statuses["某某县城关镇人民政府"] == "不通过"  # "１２件" and "无" are text: the template does not count them
    summary = json.loads((out / "汇总" / "summary.json").read_text(encoding="utf-8"))
    assert_schema_valid(summary, "summary.schema.json")
    assert sum(a["counted"] for a in summary["agencies"]) == 5 and len(summary["agencies"]) == 7
    assert "区域汇总报告.docx" in r.output.replace("\n", "")
