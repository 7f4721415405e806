"""Steering the rules: --select/--ignore and xl-disclosure.toml, for every command that runs rules and the Excel button."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import assert_schema_valid, fill_workbook
from tests.excel_helpers import book_json, remote_engine
from tests.parse_helpers import seed_layout_text

from xl_disclosure import api
from xl_disclosure.cli.main import cli
from xl_disclosure.excel import button
from xl_disclosure.form import RULES, Finding, RuleSelection, Severity
from xl_disclosure.model.samples import random_report
from xl_disclosure.readers.config import PROJECT_FILE, find_project_file, load_project_file, rule_selection

#: What the crafted workbook is reported for (each rule once or more).
ITS_RULES = {"input.coerced", "cover.phone", "s3.balance", "narrative.required"}


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A filled template with the year as "2024年" (input.coerced), a doubtful phone, an unbalanced column and a
    blank narrative."""
    report = random_report(random.Random(3), agency="某某县统计局")
    report.values["cover_year"] = f"{report.values['cover_year']}年"
    report.values["cover_phone"] = "见办公室"
    report.values["s3_new_natural"] = int(report.values["s3_new_natural"] or 0) + 2
    report.values["n5_problems"] = None
    path = fill_workbook(tmp_path_factory.mktemp("steer") / "统计局.xlsx", report)
    assert {f.rule for f in api.validate_file(path).findings} == ITS_RULES
    return path


def in_folder(workbook: Path, folder: Path, config: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / workbook.name
    target.write_bytes(workbook.read_bytes())
    if config is not None:
        (folder / PROJECT_FILE).write_text(config, encoding="utf-8")
    return target


def findings_json(out: str) -> tuple[dict, list[dict]]:
    data = json.loads(out)
    assert_schema_valid(data, "validation.schema.json")
    return data, data["findings"]


# ---------------------------------------------------------------------------
# The selection itself
# ---------------------------------------------------------------------------

def test_prefixes_select_whole_families_and_ignore_wins():
    s = RuleSelection.of(select=["input", "s3.balance"], ignore=["input.coerced"])
    assert s.enabled == {r for r in RULES if r.startswith("input.") and r != "input.coerced"} | {"s3.balance"}
    assert not s.is_enabled("s3.row_total") and not s.is_default
    assert RuleSelection().is_default and RuleSelection().enabled == set(RULES)


def test_severity_by_longest_prefix_and_only_real_changes_recorded():
    s = RuleSelection.of(severity={"cover": Severity.ERROR, "cover.date": Severity.WARNING,
                                   "input.blank": Severity.ERROR})
    assert s.changed == {"cover.phone": Severity.ERROR}  # cover.date stays a warning; input.blank already an error
    record = s.to_json()
    assert record["severity"] == {"cover.phone": "error"} and record["disabled"] == [] and record["config"] is None


def test_apply_drops_switched_off_rules_and_sets_severities():
    phone = RULES["cover.phone"].finding(actual="x")
    coerced = RULES["input.coerced"].finding(label="行政强制", shown="2025-03-05", value="45721", expected="非负整数",
                                             actual="2025-03-05")
    s = RuleSelection.of(ignore=["input"], severity={"cover.phone": Severity.ERROR})
    (only,) = s.apply([phone, coerced])
    assert only.rule == "cover.phone" and only.severity is Severity.ERROR and only.message == phone.message
    assert s.apply_json([phone.to_json(), coerced.to_json()]) == [{**phone.to_json(), "severity": "error"}]


@pytest.mark.parametrize("selector", ["inp", "input.", "cover.fone", "", "s3.balance.natural"])
def test_unknown_selectors_are_refused(selector):
    with pytest.raises(api.UsageError, match="不是已知的规则编号或前缀"):
        RuleSelection.of(ignore=[selector])


# ---------------------------------------------------------------------------
# The project file
# ---------------------------------------------------------------------------

def test_project_file_sets_select_ignore_and_severity(tmp_path):
    path = tmp_path / PROJECT_FILE
    path.write_bytes("\ufeff[rules]\nselect = [\"input\", \"cover\"]\nignore = \"input.coerced\"\n"
                     "[rules.severity]\n\"cover.phone\" = \"错误\"\n".encode())  # Notepad's BOM, Chinese level
    s = load_project_file(path)
    assert s.config == str(path) and "input.coerced" not in s.enabled and "s3.balance" not in s.enabled
    assert "input.blank" in s.enabled and s.changed == {"cover.phone": Severity.ERROR}


@pytest.mark.parametrize(("text", "words"), [
    ("[rules]\nignore = [\"input.coerced\"", ["不是有效的 TOML"]),
    ("[rule]\nignore = []\n", ["“rule”"]),
    ("[rules]\nignored = [\"input.coerced\"]\n", ["[rules]", "“ignored”"]),
    ("[rules]\nignore = [\"input.coreced\"]\n", ["[rules] ignore", "“input.coreced”", "是不是“input.coerced”"]),
    ("[rules]\nselect = [\"narrative\", \"nope\"]\n", ["[rules] select", "“nope”"]),
    ("[rules]\nignore = 5\n", ["[rules] ignore", "列表"]),
    ("[rules.severity]\n\"cover.phone\" = \"fatal\"\n", ["[rules.severity]", "“cover.phone”", "“fatal”"]),
    ("[rules.severity]\n\"cover.fone\" = \"error\"\n", ["[rules.severity]", "“cover.fone”"]),
    ("[rules]\nseverity = \"error\"\n", ["severity", "[rules.severity]"]),
])
def test_a_bad_project_file_names_the_file_and_the_key(tmp_path, text, words):
    path = tmp_path / PROJECT_FILE
    path.write_text(text, encoding="utf-8")
    with pytest.raises(api.UsageError) as err:
        load_project_file(path)
    message = str(err.value)
    assert message.startswith(str(path)) and all(w in message for w in words), message


def test_a_project_file_not_in_utf8_is_explained(tmp_path):
    path = tmp_path / PROJECT_FILE
    path.write_bytes("[rules]\nignore = [\"input.coerced\"]  # 不报\n".encode("gbk"))
    with pytest.raises(api.UsageError, match="UTF-8"):
        load_project_file(path)


def test_project_file_found_beside_inputs_then_in_the_working_directory(tmp_path):
    a, b, here = tmp_path / "a", tmp_path / "b", tmp_path / "here"
    for d in (a, b, here):
        d.mkdir()
    assert find_project_file([a / "x.xlsx"], cwd=here) is None
    (here / PROJECT_FILE).write_text("[rules]\n", encoding="utf-8")
    assert find_project_file([a / "x.xlsx"], cwd=here) == here / PROJECT_FILE
    (a / PROJECT_FILE).write_text("[rules]\n", encoding="utf-8")
    assert find_project_file([a / "x.xlsx", b / "y.xlsx"], cwd=here) == a / PROJECT_FILE
    assert find_project_file([a], cwd=here) == a / PROJECT_FILE  # a folder given to compile
    assert find_project_file([str(a / "**" / "*.xlsx")], cwd=here) == a / PROJECT_FILE  # a pattern
    (b / PROJECT_FILE).write_text("[rules]\n", encoding="utf-8")
    with pytest.raises(api.UsageError, match="--config"):
        find_project_file([a / "x.xlsx", b / "y.xlsx"], cwd=here)


def test_command_line_select_replaces_and_ignore_adds(tmp_path):
    (tmp_path / PROJECT_FILE).write_text("[rules]\nselect = [\"cover\"]\nignore = [\"cover.phone\"]\n",
                                         encoding="utf-8")
    s = rule_selection([tmp_path / "x.xlsx"], select=["input,s3"], ignore=["input.coerced"])
    assert s.enabled == {r for r in RULES if r.startswith(("input.", "s3.")) and r != "input.coerced"}
    with pytest.raises(api.UsageError, match="--ignore 中的“input.coercd”"):
        rule_selection([tmp_path / "x.xlsx"], ignore=["input.coercd"])


# ---------------------------------------------------------------------------
# validate
# ---------------------------------------------------------------------------

def test_validate_ignore_removes_a_rule_and_records_it(workbook, tmp_path):
    path = in_folder(workbook, tmp_path / "plain")
    code, out = run("validate", path, "--json", "-", "--ignore", "input.coerced", "--ignore", "narrative")
    data, findings = findings_json(out)
    assert {f["rule"] for f in findings} == ITS_RULES - {"input.coerced", "narrative.required"}
    assert code == 1 and data["rules"]["disabled"] == [r for r in RULES if r == "input.coerced"
                                                       or r.startswith("narrative.")]
    assert data["rules"]["config"] is None and "cover.phone" in data["rules"]["enabled"]
    code, text = run("validate", path, "--ignore", "input.coerced")
    assert "input.coerced" not in text and "cover.phone" in text  # the text output follows too


def test_validate_select_only_the_balance(workbook, tmp_path):
    path = in_folder(workbook, tmp_path / "plain")
    code, out = run("validate", path, "--json", "-", "--select", "s3")
    _, findings = findings_json(out)
    assert {f["rule"] for f in findings} == {"s3.balance"} and code == 1
    code, out = run("validate", path, "--json", "-", "--select", "cover.phone,input.coerced")
    data, findings = findings_json(out)
    assert code == 0 and data["status"] == "有警告" and {f["rule"] for f in findings} == {"cover.phone", "input.coerced"}


def test_validate_reads_the_project_file_beside_the_workbook(workbook, tmp_path):
    path = in_folder(workbook, tmp_path / "steered",
                     "[rules]\nignore = [\"input.coerced\", \"s3\", \"narrative\"]\n"
                     "[rules.severity]\n\"cover.phone\" = \"error\"\n")
    code, out = run("validate", path, "--json", "-")
    data, findings = findings_json(out)
    assert [(f["rule"], f["severity"]) for f in findings] == [("cover.phone", "error")]
    assert code == 1 and data["valid"] is False and data["counts"] == {"error": 1, "warning": 0}
    assert data["rules"]["config"] == str(tmp_path / "steered" / PROJECT_FILE)
    assert data["rules"]["severity"] == {"cover.phone": "error"}
    # --config names another file, which replaces the one beside the workbook
    other = tmp_path / "other.toml"
    other.write_text("[rules]\nignore = [\"cover\"]\n", encoding="utf-8")
    _, out = run("validate", path, "--json", "-", "--config", other)
    data, findings = findings_json(out)
    assert "cover.phone" not in {f["rule"] for f in findings} and "input.coerced" in {f["rule"] for f in findings}
    assert data["rules"]["config"] == str(other)


def test_validate_with_a_bad_project_file_exits_2_naming_it(workbook, tmp_path):
    path = in_folder(workbook, tmp_path / "broken", "[rules]\nignore = [\"input.coreced\"]\n")
    code, out = run("validate", path)
    assert code == 2 and PROJECT_FILE in out and "[rules] ignore" in out and "input.coreced" in out
    assert "Traceback" not in out
    code, out = run("validate", path, "--config", tmp_path / "nowhere.toml")
    assert code == 2 and "nowhere.toml" in out and "不存在" in out


def test_validate_uses_the_project_file_of_the_working_directory(workbook, tmp_path, monkeypatch):
    here = tmp_path / "cwd"
    here.mkdir()
    (here / PROJECT_FILE).write_text("[rules]\nignore = [\"cover.phone\"]\n", encoding="utf-8")
    path = in_folder(workbook, tmp_path / "elsewhere")
    monkeypatch.chdir(here)
    code, out = run("validate", str(path), "--json", "-")
    data, findings = findings_json(out)
    assert "cover.phone" not in {f["rule"] for f in findings}
    assert data["rules"]["disabled"] == ["cover.phone"] and data["rules"]["config"].endswith(PROJECT_FILE)


# ---------------------------------------------------------------------------
# compile and merge
# ---------------------------------------------------------------------------

def summary(tmp: Path, inputs: Path, *extra: object) -> tuple[int, dict]:
    out = tmp / f"summary-{len(list(tmp.glob('summary-*.json')))}.json"
    code, text = run("compile", inputs, "-o", tmp / "汇总.xlsx", "--json", out, "--jobs", "1", *extra)
    assert code in (0, 1), text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_schema_valid(data, "summary.schema.json")
    return code, data


def test_compile_follows_the_project_file_in_the_input_folder(workbook, tmp_path):
    folder = tmp_path / "收到的"
    in_folder(workbook, folder, "[rules]\nignore = [\"s3.balance\", \"narrative\"]\n")
    code, data = summary(tmp_path, folder)
    (row,) = data["files"]
    assert {f["rule"] for f in row["findings"]} == {"input.coerced", "cover.phone"}
    assert row["status"] == "有警告" and row["counted"] is True and code == 0
    assert data["rules"]["disabled"] == [r for r in RULES if r == "s3.balance" or r.startswith("narrative.")]
    assert data["rules"]["config"] == str(folder / PROJECT_FILE)
    # a warning made an error fails the file, and a failing file is not counted
    code, data = summary(tmp_path, folder, "--config", _toml(tmp_path, "[rules]\nignore = [\"s3\", \"narrative\"]\n"
                                                              "[rules.severity]\n\"cover.phone\" = \"error\"\n"))
    (row,) = data["files"]
    assert row["status"] == "不通过" and row["counted"] is False and code == 1
    assert data["rules"]["severity"] == {"cover.phone": "error"} and data["counted"] == 0


def test_compile_ignores_compile_rules_but_still_counts_a_duplicate_once(workbook, tmp_path):
    folder = tmp_path / "twice"
    in_folder(workbook, folder)
    (folder / "copy.xlsx").write_bytes(workbook.read_bytes())
    _, data = summary(tmp_path, folder, "--select", "compile")
    assert [f["rule"] for row in data["files"] for f in row["findings"]] == ["compile.duplicate"]
    _, data = summary(tmp_path, folder, "--select", "compile", "--ignore", "compile.duplicate")
    assert [f["rule"] for row in data["files"] for f in row["findings"]] == []
    assert data["counted"] == 1 and len(data["duplicates"]) == 1  # switching the finding off counts nothing twice
    code, text = run("compile", folder, "-o", tmp_path / "x.xlsx", "--ignore", "compile.duplicat")
    assert code == 2 and "compile.duplicat" in text and "compile.duplicate" in text


def compiled_summary(workbook: Path, tmp: Path, name: str, *steer: object) -> Path:
    folder = tmp / name
    target = in_folder(workbook, folder)
    target.rename(folder / f"{name}.xlsx")
    out = tmp / "summaries" / f"{name}.json"
    out.parent.mkdir(exist_ok=True)
    code, text = run("compile", folder, "-o", tmp / f"{name}.xlsx", "--json", out, "--jobs", "1", *steer)
    assert code in (0, 1), text
    return out


def merged_json(tmp: Path, *args: object) -> tuple[int, str, dict | None]:
    out = tmp / f"merged-{len(list(tmp.glob('merged-*.json')))}.json"
    code, text = run("merge", *args, "-o", tmp / "m.xlsx", "--json", out)
    if code == 2:
        return code, text, None
    data = json.loads(out.read_text(encoding="utf-8"))
    assert_schema_valid(data, "summary.schema.json")
    return code, text, data


def test_merge_decides_the_findings_again_under_its_own_rules(workbook, tmp_path):
    a, b = (compiled_summary(workbook, tmp_path, n) for n in ("a", "b"))
    _, _, plain = merged_json(tmp_path, a, b)
    assert plain is not None and {f["rule"] for row in plain["files"] for f in row["findings"]} == \
        ITS_RULES | {"compile.duplicate"}
    cfg = _toml(tmp_path, '[rules]\nignore = ["s3.balance"]\n[rules.severity]\n"narrative.required" = "warning"\n'
                          '"cover.phone" = "error"\n')
    code, _, data = merged_json(tmp_path, a, b, "--config", cfg, "--ignore", "compile.duplicate")
    assert data is not None and code == 1
    assert data["rules"]["disabled"] == ["s3.balance", "compile.duplicate"]
    assert data["rules"]["severity"] == {"narrative.required": "warning", "cover.phone": "error"}
    for row in data["files"]:
        by_rule = {f["rule"]: f["severity"] for f in row["findings"]}
        assert by_rule == {"input.coerced": "warning", "cover.phone": "error", "narrative.required": "warning"}
        assert row["errors"] == 1
    # The first is 不通过; the same file again is the decided duplicate (重复报送), whatever its findings.
    assert [row["status"] for row in data["files"]] == ["不通过", "重复报送"]
    assert len(data["duplicates"]) == 1  # switching the finding off still counts the agency once
    # Made warnings only: the files pass with warnings, but the summaries kept no figures of them to count.
    code, _, data = merged_json(tmp_path, a, b, "--ignore", "s3.balance,narrative.required,compile.duplicate")
    assert data is not None and code == 0
    assert [row["status"] for row in data["files"]] == ["有警告", "重复报送"] and data["counted"] == 0
    assert any("没有该机关的数字" in (row["note"] or "") for row in data["files"])


def test_merge_refuses_a_rule_a_summary_did_not_run_and_says_how_to_go_on(workbook, tmp_path):
    a = compiled_summary(workbook, tmp_path, "a", "--ignore", "input.coerced")
    b = compiled_summary(workbook, tmp_path, "b")  # every rule
    code, text, _ = merged_json(tmp_path, a, b)
    assert code == 2 and str(a) in text and "input.coerced" in text and "--ignore input.coerced" in text
    assert str(b) not in text  # b ran every rule: it is not the problem
    # Summaries compiled with different rules merge once the merge does not run what one of them did not.
    code, _, data = merged_json(tmp_path, a, b, "--ignore", "input.coerced")
    assert data is not None and data["rules"]["disabled"] == ["input.coerced"]
    assert "input.coerced" not in {f["rule"] for row in data["files"] for f in row["findings"]}
    assert [f["rule"] for row in data["files"] for f in row["findings"] if f["rule"] == "compile.duplicate"]
    # The project file beside the summaries decides, as beside the reports for compile.
    (a.parent / PROJECT_FILE).write_text('[rules]\nignore = ["input.coerced"]\n', encoding="utf-8")
    code, _, data = merged_json(tmp_path, a, b)
    assert data is not None and data["rules"]["config"] == str(a.parent / PROJECT_FILE)
    assert data["rules"]["disabled"] == ["input.coerced"]


def test_api_validate_file_takes_a_selection(workbook):
    result = api.validate_file(workbook, rules=RuleSelection.of(select=["cover"]))
    assert [f.rule for f in result.findings] == ["cover.phone"]
    assert result.to_json()["rules"]["enabled"] == [r for r in RULES if r.startswith("cover.")]
    assert all(isinstance(f, Finding) for f in result.findings)


def _toml(tmp: Path, text: str) -> Path:
    path = tmp / f"cfg-{len(list(tmp.glob('cfg-*.toml')))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# One project file, every surface: validate, compile, merge, parse --validate, compare, the Excel button
# ---------------------------------------------------------------------------

def _cli_json(tmp: Path, *args: object) -> dict:
    out = tmp / f"out-{len(list(tmp.glob('out-*.json')))}.json"
    code, text = run(*args, out)
    assert code in (0, 1), text
    return json.loads(out.read_text(encoding="utf-8"))


def _reported(data: dict) -> set[str]:
    """The rule ids of every finding (or difference) in a command's JSON output."""
    items = data.get("findings") or data.get("differences") or []
    for entry in data.get("files", []):
        items = [*items, *entry["findings"]]
    return {f["rule"] for f in items}


def _published_text(folder: Path) -> Path:
    """A published report whose table 三 does not balance (s3.balance) and whose figures are not the workbook's."""
    report = random_report(random.Random(8), agency="某某县统计局")
    report.values["s3_new_natural"] = int(report.values["s3_new_natural"] or 0) + 3
    path = folder / "某某县统计局2024年度报告.txt"
    path.write_text(seed_layout_text(report), encoding="utf-8")
    return path


def _by_validate(workbook: Path, folder: Path, tmp: Path) -> dict:
    return _cli_json(tmp, "validate", in_folder(workbook, folder), "--json")


def _by_compile(workbook: Path, folder: Path, tmp: Path) -> dict:
    in_folder(workbook, folder)
    return _cli_json(tmp, "compile", folder, "-o", tmp / "c.xlsx", "--jobs", "1", "--json")


def _by_merge(workbook: Path, folder: Path, tmp: Path) -> dict:
    elsewhere = tmp / "reports"  # compiled without the project file: every rule ran
    in_folder(workbook, elsewhere)
    folder.mkdir(parents=True, exist_ok=True)
    code, text = run("compile", elsewhere, "-o", tmp / "c.xlsx", "--jobs", "1", "--json", folder / "县.json")
    assert code in (0, 1), text
    return _cli_json(tmp, "merge", folder / "县.json", "-o", tmp / "m.xlsx", "--json")


def _by_parse(workbook: Path, folder: Path, tmp: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    return _cli_json(tmp, "parse", _published_text(folder), "--validate", "-o")


def _by_compare(workbook: Path, folder: Path, tmp: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    return _cli_json(tmp, "compare", in_folder(workbook, folder), _published_text(folder), "--json")


def _by_button(workbook: Path, folder: Path, tmp: Path) -> dict:
    xw = remote_engine()
    saved = in_folder(workbook, folder)
    book = xw.Book(json=book_json(saved, str(saved)))  # the name a saved workbook has: its full path
    book.set_mock_caller()
    try:
        exec(compile(button.ENTRY_POINT, "<RunPython>", "exec"), {})  # what the shipped macro runs
    finally:
        del xw.Book._mock_caller
    return json.loads((folder / button.json_name(saved.name)).read_text(encoding="utf-8"))


SURFACES = {"validate": _by_validate, "compile": _by_compile, "merge": _by_merge, "parse --validate": _by_parse,
            "compare": _by_compare, "Excel 校验按钮": _by_button}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_a_rule_switched_off_in_the_project_file_is_gone_from_every_surface(surface, workbook, tmp_path,
                                                                          monkeypatch):
    monkeypatch.setenv(button.RESULTS_DIR_ENV, str(tmp_path / "local-results"))
    rule = "compare.differs" if surface == "compare" else "s3.balance"
    before = SURFACES[surface](workbook, tmp_path / "plain", tmp_path)
    assert rule in _reported(before), surface
    assert before["rules"]["disabled"] == [] and before["rules"]["config"] is None
    steered = tmp_path / "steered"
    steered.mkdir()
    (steered / PROJECT_FILE).write_text(f'[rules]\nignore = ["{rule}"]\n', encoding="utf-8")
    after = SURFACES[surface](workbook, steered, tmp_path)
    assert rule not in _reported(after), surface
    assert _reported(after) == _reported(before) - {rule}, surface  # nothing else changed
    assert after["rules"]["disabled"] == [rule] and after["rules"]["config"] == str(steered / PROJECT_FILE)


def test_parse_takes_rule_options_only_with_validate(tmp_path):
    code, text = run("parse", _published_text(tmp_path), "--ignore", "s3.balance")
    assert code == 2 and "--validate" in text


def test_merge_does_not_ask_for_rules_a_summary_could_not_have_run(workbook, tmp_path):
    # compare.* are never reported by compile: a summary compiled without them merges under every rule.
    a = compiled_summary(workbook, tmp_path, "a", "--ignore", "compare")
    code, text, data = merged_json(tmp_path, a)
    assert code in (0, 1) and data is not None, text
    assert data["rules"]["disabled"] == []
    # A rule the catalogue did not have when the summary was written (neither enabled nor disabled in its
    # record) counts as run, as every rule does for a summary written before rules were recorded.
    b = compiled_summary(workbook, tmp_path, "b", "--ignore", "input.coerced")
    data = json.loads(b.read_text(encoding="utf-8"))
    record = data["rules"]
    assert "narrative.all_done" in record["enabled"]
    record["enabled"].remove("narrative.all_done")
    b.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    code, text, merged = merged_json(tmp_path, b, "--ignore", "input.coerced")
    assert code in (0, 1) and merged is not None, text
    assert merged["rules"]["disabled"] == ["input.coerced"]
    code, text, _ = merged_json(tmp_path, b)  # what the record does say was off still refuses
    assert code == 2 and "input.coerced" in text and "narrative.all_done" not in text
