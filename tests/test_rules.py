"""The rule catalogue: every rule is emitted, every finding is made by its rule, and its words match its values."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.rule_cases import CASES, base

from xl_disclosure import api
from xl_disclosure.checks.validator import validate_report
from xl_disclosure.cli.main import cli
from xl_disclosure.form import FORM, RULES, Finding, Rule, Severity, placeholders
from xl_disclosure.model.report import Report
from xl_disclosure.writers.rules_doc import DOC_COMMAND, rules_markdown

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "xl_disclosure"


def wording_regex(template: str) -> re.Pattern[str]:
    """A pattern matching exactly the messages ``template`` words, one named group per placeholder."""
    out, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(template):
        out.append(re.escape(literal))
        if name:
            out.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
            seen.add(name)
    return re.compile("".join(out), re.S)


def wording_of(rule: Rule, message: str) -> tuple[str, re.Match[str]] | None:
    """Which of the rule's wordings ``message`` is, and the values it shows."""
    for name, template in rule.templates.items():
        m = wording_regex(template).fullmatch(message)
        if m:
            return name, m
    return None


def assert_shows_its_values(f: Finding, m: re.Match[str]) -> None:
    """The numbers a message presents as expected, actual and their difference are the finding's own."""
    rule = RULES[f.rule]
    shown = m.groupdict()
    if "expected" in shown:
        assert shown["expected"] == rule.show(f.expected), (f.message, f.expected)
    if "actual" in shown:
        assert shown["actual"] == rule.show(f.actual), (f.message, f.actual)
    if "diff" in shown:
        assert isinstance(f.expected, int | float) and isinstance(f.actual, int | float)
        assert shown["diff"] == rule.show(abs(f.expected - f.actual)), f.message
    if f.field is not None and "label" in shown:
        assert shown["label"] == FORM.by_id[f.field].label


# ---------------------------------------------------------------------------
# Every rule is emitted, by crafted input through the real code path
# ---------------------------------------------------------------------------

def test_every_wording_of_every_rule_has_a_case():
    catalogued = {(r.id, name) for r in RULES.values() for name in r.templates}
    assert set(CASES) == catalogued
    assert {rid for rid, _ in CASES} == set(RULES)


@pytest.mark.parametrize("key", list(CASES), ids=[f"{r}:{w or 'main'}" for r, w in CASES])
def test_crafted_input_is_reported_in_that_wording(key, tmp_path):
    rule_id, wording = key
    findings = CASES[key](tmp_path)
    assert findings, key
    for f in findings:
        assert f.rule in RULES and f.severity is RULES[f.rule].severity, f
        assert wording_of(RULES[f.rule], f.message) is not None, f.message  # every message is one of its wordings
    hits = [(f, wording_of(RULES[f.rule], f.message)) for f in findings if f.rule == rule_id]
    worded = [(f, wm[1]) for f, wm in hits if wm and wm[0] == wording]
    assert worded, (key, [f.message for f in findings])
    for f, m in worded:
        assert_shows_its_values(f, m)


def test_a_compile_finding_is_located_at_its_field(tmp_path):
    (f,) = CASES[("compile.year", "")](tmp_path)
    assert (f.sheet, f.cell, f.field, f.expected, f.actual) == ("封面", "B8", "cover_year", 2023, 2024)
    assert f.message.startswith("报告年度为 2024，本次汇总的是 2023 年度")


# ---------------------------------------------------------------------------
# Every finding is made by its catalogue entry
# ---------------------------------------------------------------------------

def _sources() -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")}


def test_findings_are_made_only_by_the_catalogue():
    """No module builds a Finding itself: each goes through RULES[id].finding, which words it from its values."""
    makers = {p.relative_to(SRC).as_posix() for p, text in _sources().items() if re.search(r"\bFinding\(", text)}
    assert makers == {"form/model.py"}  # Rule.finding and Finding.from_json
    model = (SRC / "form" / "model.py").read_text(encoding="utf-8")
    assert len(re.findall(r"\bFinding\(", model)) == 1
    assert "return cls(" in model  # from_json rebuilds a finding already made


def test_every_rule_id_in_the_source_is_catalogued():
    families = {rid.split(".")[0] for rid in RULES}
    # (a file name such as "content.xml", the part of an .ods, is not a rule id of the content family)
    literal = re.compile(r"[\"']((?:" + "|".join(map(re.escape, families)) + r")\.(?!xml[\"'])[a-z_]+)[\"']")
    named = {m.group(1) for text in _sources().values() for m in literal.finditer(text)}
    by_lookup = {m.group(1) for text in _sources().values() for m in re.finditer(r"RULES\[\"([^\"]+)\"\]", text)}
    assert by_lookup <= set(RULES) and by_lookup
    assert named <= set(RULES), named - set(RULES)
    assert {eq.rule for eq in FORM.equations} <= set(RULES)
    assert "compile.crash" not in RULES and "compile.crash" not in named


# ---------------------------------------------------------------------------
# For any values, a rule's message shows exactly the finding's expected and actual
# ---------------------------------------------------------------------------

_WORDS = st.text(alphabet="甲乙丙丁戊己庚辛壬癸", min_size=1, max_size=8)
_NUMBERS = st.one_of(st.integers(-10**9, 10**12),
                     st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False).filter(lambda x: x != 0))
_WORDINGS = [(r.id, name) for r in RULES.values() for name in r.templates]


def _value(rule: Rule, name: str) -> st.SearchStrategy[object]:
    example = rule.example.get(name)
    if isinstance(example, int | float) and not isinstance(example, bool):
        return _NUMBERS
    return _WORDS


@pytest.mark.parametrize("key", _WORDINGS, ids=[f"{r}:{w or 'main'}" for r, w in _WORDINGS])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_message_numbers_are_the_findings_values(key, data):
    rule, wording = RULES[key[0]], key[1]
    template = rule.templates[wording]
    fixed = rule.expected_template(wording)
    names = set(placeholders(template)) | set(placeholders(fixed or ""))
    values = {n: data.draw(_value(rule, n), label=n) for n in sorted(names - {"expected", "actual", "diff"})}
    numeric = "diff" in names or isinstance(rule.example.get("expected", rule.example.get("actual")), int | float)
    side = _NUMBERS if numeric else st.one_of(_NUMBERS, _WORDS, st.none())
    expected = None if fixed is not None else data.draw(side, label="expected")
    actual = data.draw(side, label="actual")
    f = rule.finding(expected=expected, actual=actual, wording=wording, **values)
    assert (f.rule, f.severity, f.actual) == (rule.id, rule.severity, actual)
    if fixed is None:
        assert f.expected == expected
    else:
        assert f.expected == fixed.format_map({k: rule.show(v) for k, v in values.items()})
    m = wording_regex(template).fullmatch(f.message)
    assert m is not None, f.message
    assert_shows_its_values(f, m)
    for name, value in values.items():
        if name in m.groupdict():
            assert m.group(name) == rule.show(value)


def test_a_rule_refuses_values_its_message_does_not_show():
    with pytest.raises(TypeError):
        RULES["cover.phone"].finding(actual="x", extra=5)
    with pytest.raises(TypeError):
        RULES["input.blank"].finding(expected="数字")  # the rule fixes it
    with pytest.raises(TypeError):
        RULES["s4.total"].finding(expected="a", actual=3, label="x", terms="y")  # {diff} of text
    with pytest.raises(TypeError, match="label"):
        RULES["input.coerced"].finding(shown="无")  # no field to take the label from
    with pytest.raises(KeyError):
        RULES["cover.phone"].finding(actual="x", wording="no such wording")


# ---------------------------------------------------------------------------
# Real reports: the equations' messages add up to the values they report
# ---------------------------------------------------------------------------

_TERM = re.compile(r"(-?\d+(?:\.\d+)?)(?= \+|$)")


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10**6), changes=st.lists(
    st.tuples(st.sampled_from([f.id for f in FORM.inputs if f.section in ("三", "四")]), st.integers(-50, 500)),
    min_size=1, max_size=4))
def test_equation_messages_add_up_to_expected_and_actual(seed, changes):
    report = base(seed % 7 + 1)
    values = dict(report.values)
    for fid, v in changes:
        values[fid] = v
    findings = [f for f in validate_report(Report(values, {})) if f.rule in {eq.rule for eq in FORM.equations}]
    for f in findings:
        name, m = wording_of(RULES[f.rule], f.message) or pytest.fail(f.message)
        assert_shows_its_values(f, m)
        terms = {k: v for k, v in m.groupdict().items() if k in ("terms", "lhs_terms", "rhs_terms")}
        sums = {k: sum(float(x) for x in _TERM.findall(v)) for k, v in terms.items()}
        if "lhs_terms" in sums:
            assert sums["lhs_terms"] == pytest.approx(f.expected) and sums["rhs_terms"] == pytest.approx(f.actual)
        if "terms" in sums:
            assert sums["terms"] == pytest.approx(f.expected)


# ---------------------------------------------------------------------------
# The catalogue as users see it: xl-disclosure rules, api.rules(), docs/rules.md
# ---------------------------------------------------------------------------

def test_every_rule_has_its_description_and_a_worked_example():
    for r in RULES.values():
        assert r.title and len(r.description) >= 10 and r.example, r.id
        shown = r.example_finding()
        assert shown.rule == r.id and wording_regex(r.message).fullmatch(shown.message), r.id
        assert "{" not in shown.message and "（空）" not in shown.message, shown.message
        assert re.search(r"[\u4e00-\u9fff]", r.description + r.message)


def test_api_rules_lists_the_catalogue_and_filters_by_prefix():
    assert [r.id for r in api.rules()] == list(RULES)
    assert [r.id for r in api.rules(["narrative"])][:2] == ["narrative.required", "narrative.contradiction"]
    assert [r.id for r in api.rules(["narrative"])] == [k for k in RULES if k.startswith("narrative.")]
    assert [r.id for r in api.rules(["input.coerced", "s4"])] == ["s4.total", "input.coerced"]
    with pytest.raises(api.UsageError, match="narr"):
        api.rules(["narr"])  # a prefix ends at a dot


def test_rules_command_text_and_json():
    runner = CliRunner()
    r = runner.invoke(cli, ["rules"])
    assert r.exit_code == 0
    for rule in RULES.values():
        assert rule.id in r.output and rule.title in r.output
        assert rule.example_finding().message in r.output
    assert f"共 {len(RULES)} 条规则" in r.output
    r = runner.invoke(cli, ["rules", "--json"])
    data = json.loads(r.output)
    assert [d["id"] for d in data] == list(RULES)
    phone = next(d for d in data if d["id"] == "cover.phone")
    assert phone["severity"] == "warning" and phone["example"] == RULES["cover.phone"].example_finding().message
    assert set(phone) == {"id", "severity", "title", "description", "message", "wordings", "example"}
    r = runner.invoke(cli, ["rules", "cross_year", "--json"])
    assert [d["id"] for d in json.loads(r.output)] == [k for k in RULES if k.startswith("cross_year.")]
    r = runner.invoke(cli, ["rules", "cover.fone"])
    assert r.exit_code == 2 and "cover.fone" in r.output and "cover.phone" in r.output


def test_rules_doc_is_fresh():
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == rules_markdown(), f"run: {DOC_COMMAND}"


def test_rules_doc_command_writes_the_page(tmp_path):
    target = tmp_path / "rules.md"
    r = CliRunner().invoke(cli, ["rules", "--markdown", "-o", str(target)])
    assert r.exit_code == 0 and target.read_text(encoding="utf-8") == rules_markdown()
    text = rules_markdown()
    for rule in RULES.values():
        assert f"### `{rule.id}`" in text and rule.description in text


def test_readme_links_the_rules_page_and_names_every_rule():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/rules.md" in readme
    assert [r for r in RULES if f"`{r}`" not in readme] == []


def test_catalogue_severities_are_errors_or_warnings():
    assert {r.severity for r in RULES.values()} == set(Severity)
