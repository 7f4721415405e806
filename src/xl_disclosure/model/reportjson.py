"""Reading report JSON: how every report JSON handed to the tool is read.

In any encoding people save (:mod:`.textfile`), and checked against
``report.schema.json`` (with jsonschema) before it is used; a problem is a
ReportFormatError naming the file and, in Chinese, the JSON path and what is
wrong there.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema

from xl_disclosure.form import FORM_ID
from xl_disclosure.model.inputs import InputFileError
from xl_disclosure.model.report import Report, ReportFormatError
from xl_disclosure.model.schema import report_schema
from xl_disclosure.model.textfile import load_json_encoding

_JSON_TYPES = {"number": "数字", "integer": "整数", "string": "文字", "object": "JSON 对象", "array": "列表",
               "null": "空（null）", "boolean": "true/false"}


@functools.cache
def _report_validator() -> Any:
    schema = report_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def _schema_problem(error: Any) -> str:
    """One jsonschema error in Chinese: where in the JSON, and what is wrong there."""
    path = ".".join(str(p) for p in error.absolute_path)
    at = f"“{path}”" if path else "顶层"
    title = error.schema.get("title") if isinstance(error.schema, Mapping) else None
    named = f"{at}（{title}）" if title and path else at
    kind = error.validator
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        words = "或".join(_JSON_TYPES.get(str(t), str(t)) for t in wanted if t != "null")
        return f"{named}应为{words}，实际为 {json.dumps(error.instance, ensure_ascii=False)[:60]}"
    if kind == "const":
        return f"{named}应为 {json.dumps(error.validator_value, ensure_ascii=False)}，实际为 " \
               f"{json.dumps(error.instance, ensure_ascii=False)[:60]}"
    if kind == "required":
        missing = [k for k in error.validator_value if isinstance(error.instance, Mapping) and k not in error.instance]
        return f"{at}缺少 {'、'.join(missing)}"
    if kind == "additionalProperties":
        allowed = error.schema.get("properties", {})
        extra = [k for k in error.instance if k not in allowed] if isinstance(error.instance, Mapping) else []
        return f"{at}中有未知字段 {'、'.join(map(str, extra))}"
    return f"{named}不符合报告数据格式（{error.message}）"


def check_report_json(data: Any, where: str) -> None:
    """Raise ReportFormatError (Chinese, naming ``where`` and the JSON path) unless ``data`` fits report.schema.json."""
    errors = sorted(_report_validator().iter_errors(data), key=lambda e: (len(e.absolute_path), list(map(str, e.path))))
    if errors:
        problems = list(dict.fromkeys(_schema_problem(e) for e in errors))  # "required" repeats per missing key
        shown = "；".join(problems[:5])
        more = f"；另有 {len(problems) - 5} 处" if len(problems) > 5 else ""
        raise ReportFormatError(f"{where}：不符合报告数据格式（schema/report.schema.json）：{shown}{more}。")


def load_report_json(path: str | Path, *, name: str | None = None) -> Report:
    """The report in a JSON file (also one wrapped in ``report``, as validate --json with the report writes it).

    Read in UTF-8, UTF-8 with BOM, GB18030 or UTF-16 (``report.source["encoding"]`` records it when it was
    not UTF-8) and checked against report.schema.json; ReportFormatError names the file and what is wrong.
    """
    name = name or str(path)
    try:
        data, encoding = load_json_encoding(path, name=name)
    except (OSError, UnicodeDecodeError) as exc:
        raise ReportFormatError(f"{name}：无法读取为 JSON（{exc}）。") from exc
    except InputFileError as exc:  # not a regular file, too large, or JSON refused (model.jsonio)
        raise ReportFormatError(str(exc)) from None
    # A compile summary or a validation result may wrap the report.
    if isinstance(data, Mapping) and "report" in data and "form" not in data:
        data = data["report"]
    if not isinstance(data, Mapping):
        raise ReportFormatError(f"{name}：不是报告数据（应为 JSON 对象）。")
    if data.get("form") not in (None, FORM_ID):  # another kind of JSON: say so, not which fields it lacks
        raise ReportFormatError(f"{name}：不是政府信息公开工作年度报告数据（form = {data.get('form')!r}）。")
    check_report_json(data, name)
    report = Report.from_json(data, source=name)
    if encoding not in ("utf-8", "utf-8-sig"):
        report.source["encoding"] = encoding
    return report
