"""Fuzz the workbook reader with mutated real workbooks: it never raises, whatever the bytes.

Crashes ever found are kept as files under tests/hostile/regressions/ (each with a .md note)
and replayed by test_regressions.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hostile.make_corpus import base_template, deflate, read_members, write_zip

from xl_disclosure.readers.workbook import read_workbook

REGRESSIONS = Path(__file__).parent / "hostile" / "regressions"


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    out = tmp_path_factory.mktemp("fuzz")
    path = base_template(out)
    return out, path.read_bytes(), read_members(path)


def check(path: Path) -> None:
    result = read_workbook(path)  # must not raise
    assert result.read_error is not None or result.report is not None


mutation = st.tuples(st.sampled_from(["flip", "truncate", "insert", "delete"]),
                     st.integers(min_value=0), st.binary(min_size=1, max_size=16))


def mutate(data: bytes, op: str, at: int, blob: bytes) -> bytes:
    if not data:
        return blob
    i = at % len(data)
    if op == "flip":
        return data[:i] + bytes([data[i] ^ (blob[0] or 1)]) + data[i + 1:]
    if op == "truncate":
        return data[:i]
    if op == "insert":
        return data[:i] + blob + data[i:]
    return data[:i] + data[i + len(blob):]


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(mutation, min_size=1, max_size=4))
def test_raw_bytes_mutations(base, ops):
    out, raw, _members = base
    for op in ops:
        raw = mutate(raw, *op)
    path = out / "raw.xlsx"
    path.write_bytes(raw)
    check(path)


@settings(max_examples=200, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(part=st.integers(min_value=0), ops=st.lists(mutation, min_size=1, max_size=4),
       xml=st.sampled_from([b"", b"<c r=\"A1\"><v>1</v></c>", b"</row>", b"<row r=\"9\">", b"&amp;", b"&#0;",
                            b"<f>SUM(A1:A2)</f>", b"<c r=\"XFD1\"><v>1</v></c>", b"\xff\xfe", b"<![CDATA[x]]>"]))
def test_member_xml_mutations(base, part, ops, xml):
    out, _raw, members = base
    names = sorted(members)
    target = names[part % len(names)]
    data = members[target]
    for op in ops:
        data = mutate(data, *op)
    if xml:
        data = mutate(data, "insert", ops[0][1], xml)
    path = out / "member.xlsx"
    write_zip(path, [deflate(n, data if n == target else members[n]) for n in names])
    check(path)


def test_regressions():
    cases = sorted(REGRESSIONS.glob("*.xlsx"))
    for path in cases:
        assert path.with_suffix(".md").exists(), f"{path.name} needs a note"
        check(path)
    assert (REGRESSIONS / "README.md").exists()
