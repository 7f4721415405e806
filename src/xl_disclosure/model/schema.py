"""JSON Schemas generated from the form definition, and from typed models.

* ``report.schema.json`` — one report's data as written by :meth:`Report.to_json`
  (cover, sections 二/三/四, narratives keyed by field id).
* ``validation.schema.json`` — the JSON of ``validate --json``: one result, or
  ``{"valid", "results": [...]}`` for several files; rule ids come from FORM.rules.
  Its ``$defs/rules`` (which rules ran) is also what summary.schema.json refers to.
* :func:`model_schema` turns a dataclass or TypedDict (with ``Literal``, ``Annotated``
  constraints, unions, lists and dicts) into a JSON Schema; the summary model
  (:mod:`.summary`) derives ``summary.schema.json`` with it.

Every schema file is listed in :mod:`.schema_files`, which writes and checks them.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NotRequired, Required, Union, get_args, get_origin, get_type_hints

from xl_disclosure.form import FORM, FORM_ID, FORM_VERSION, GROUP_TITLES, YEAR_MAX, YEAR_MIN, Field, Kind, Severity
from xl_disclosure.model.report import GROUP_ORDER

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://xl-disclosure.example/schema/"
REPORT_SCHEMA = "report.schema.json"
VALIDATION_SCHEMA = "validation.schema.json"
STATUSES = ("通过", "有警告", "不通过", "无法读取")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    t = schema["type"]
    schema["type"] = [t, "null"]
    return schema


def _integral(f: Field) -> bool:
    """A total of counts only (recursively) is a whole number."""
    return all(FORM.by_id[a].kind is Kind.COUNT or FORM.by_id[a].kind is Kind.TOTAL and _integral(FORM.by_id[a])
               for a in f.addends)


def field_schema(f: Field) -> dict[str, Any]:
    """The JSON Schema of one field's value (null = missing).

    The schema states the shape of the data, so that a faithful export of any
    readable workbook conforms; what the values must satisfy (whole numbers,
    ranges, check digits, choice lists) is stated in ``description`` and
    enforced by ``xl-disclosure validate``, which names the cell to fix.
    """
    where = f"{f.sheet}!{f.cell}"
    unit = f"，单位：{f.unit}" if f.unit else ""
    rule = ""
    s: dict[str, Any]
    if f.kind is Kind.COUNT or f.kind is Kind.TOTAL and _integral(f):
        s, rule = {"type": "number"}, "应为非负整数"
    elif f.kind in (Kind.AMOUNT, Kind.TOTAL):
        s, rule = {"type": "number"}, f"应为非负数，最多 {f.decimals} 位小数" if f.decimals else "应为非负数"
    elif f.kind is Kind.YEAR:
        s, rule = {"type": "integer"}, f"应在 {YEAR_MIN} 至 {YEAR_MAX} 之间"
    elif f.kind is Kind.USCC:
        s, rule = {"type": "string"}, "18 位统一社会信用代码（GB 32100-2015，含校验位）"
    elif f.kind is Kind.CHOICE:
        s, rule = {"type": "string", "examples": list(f.choices)}, "取值：" + "、".join(f.choices)
    elif f.kind is Kind.DATE:
        s, rule = {"type": "string", "format": "date"}, "日期，如 2025-01-15"
    else:
        s = {"type": "string"}
    s = _nullable(s)
    kind = "合计（由各分项计算）" if f.kind is Kind.TOTAL else f.kind.value
    rule = f"；{rule}" if rule else ""
    return {"title": f.label, "description": f"{f.section} · {kind} · 模板位置 {where}{unit}{rule}", **s}


def report_schema() -> dict[str, Any]:
    groups: dict[str, Any] = {}
    for group in GROUP_ORDER:
        fields = FORM.groups[group]
        groups[group] = {
            "title": GROUP_TITLES[group],
            "type": "object",
            "properties": {f.id: field_schema(f) for f in fields},
            "additionalProperties": False,
        }
    return {
        "$schema": DRAFT,
        "$id": BASE_URI + REPORT_SCHEMA,
        "title": "政府信息公开工作年度报告数据（国办公开办函〔2021〕30号格式）",
        "description": "由表单定义自动生成，请勿手工修改。字段编号与填报模板中的名称一致；null 表示未填写。",
        "type": "object",
        "properties": {
            "form": {"const": FORM_ID},
            "form_version": {"const": FORM_VERSION},
            **groups,
        },
        "required": ["form", "form_version", *GROUP_ORDER],
        "additionalProperties": False,
    }


def validation_schema() -> dict[str, Any]:
    scalar = {"type": ["integer", "number", "string", "null"]}
    field_ids = [f.id for f in FORM.fields]
    finding = {
        "type": "object",
        "properties": {
            "rule": {"enum": list(FORM.rules), "description": "规则编号，见 xl-disclosure rules 或 docs/rules.md"},
            "severity": {"enum": [s.value for s in Severity]},
            "message": {"type": "string", "minLength": 1},
            "sheet": {"type": ["string", "null"]},
            "cell": {"type": ["string", "null"], "pattern": "^[A-Z]{1,3}[0-9]+$"},
            "field": {"enum": [*field_ids, None]},
            "fields": {"type": "array", "items": {"enum": field_ids}},
            "expected": scalar,
            "actual": scalar,
        },
        "required": ["rule", "severity", "message", "sheet", "cell", "field", "fields", "expected", "actual"],
        "additionalProperties": False,
    }
    rule_ids = {"type": "array", "items": {"enum": list(FORM.rules)}, "uniqueItems": True}
    rules = {
        "type": "object",
        "description": "运行了哪些规则：用了哪个项目文件（xl-disclosure.toml），启用和关闭了哪些规则，哪些改了级别。"
                       "--select、--ignore 和项目文件的 [rules] 决定。",
        "properties": {
            "config": {"type": ["string", "null"], "description": "项目文件的路径；null 表示没有使用项目文件"},
            "enabled": {**rule_ids, "description": "运行的规则"},
            "disabled": {**rule_ids, "description": "关闭的规则（不报告）"},
            "severity": {"type": "object", "description": "级别与规则目录不同的规则：规则编号 → 级别",
                         "propertyNames": {"enum": list(FORM.rules)},
                         "additionalProperties": {"enum": [s.value for s in Severity]}},
        },
        "required": ["config", "enabled", "disabled", "severity"],
        "additionalProperties": False,
    }
    result = {
        "type": "object",
        "properties": {
            "file": {"type": "string"},
            "valid": {"type": "boolean"},
            "status": {"enum": list(STATUSES)},
            "readable": {"type": "boolean"},
            "read_error": {"type": ["string", "null"]},
            "form_version": {"const": FORM_VERSION},
            "template_version": {"type": ["integer", "null"]},
            "generator": {"type": "string"},
            "counts": {
                "type": "object",
                "properties": {"error": {"type": "integer", "minimum": 0},
                               "warning": {"type": "integer", "minimum": 0}},
                "required": ["error", "warning"],
                "additionalProperties": False,
            },
            "findings": {"type": "array", "items": {"$ref": "#/$defs/finding"}},
            "rules": {"$ref": "#/$defs/rules"},
            "report": {"type": "object", "description": "报告数据，结构见 report.schema.json"},
        },
        "required": ["file", "valid", "status", "readable", "read_error", "form_version", "template_version",
                     "generator", "counts", "findings", "rules"],
        "additionalProperties": False,
    }
    return {
        "$schema": DRAFT,
        "$id": BASE_URI + VALIDATION_SCHEMA,
        "title": "政府信息公开工作年度报告校验结果",
        "description": "xl-disclosure validate --json 的输出：单个文件的结果，或多个文件时的 {valid, results}。由表单定义自动生成。",
        "$defs": {"finding": finding, "rules": rules, "result": result},
        "oneOf": [
            {"$ref": "#/$defs/result"},
            {
                "type": "object",
                "properties": {"valid": {"type": "boolean"},
                               "results": {"type": "array", "items": {"$ref": "#/$defs/result"}}},
                "required": ["valid", "results"],
                "additionalProperties": False,
            },
        ],
    }


# ---------------------------------------------------------------------------
# Schemas of typed models
# ---------------------------------------------------------------------------

#: Field metadata keys understood by :func:`model_schema`.
DESCRIPTION, OPTIONAL, NULLABLE = "description", "optional", "nullable"


class Keywords:
    """JSON Schema keywords a type carries: ``Annotated[int, Keywords(minimum=0)]``."""

    def __init__(self, **keywords: Any) -> None:
        self.keywords = keywords

    def __repr__(self) -> str:
        return f"Keywords({self.keywords!r})"


def _is_model(tp: object) -> bool:
    return isinstance(tp, type) and (dataclasses.is_dataclass(tp) or typing.is_typeddict(tp))


def _merge_types(members: list[dict[str, Any]]) -> dict[str, Any]:
    """``X | Y`` of simple typed schemas as one ``type`` list; otherwise ``anyOf``."""
    if not all(isinstance(m.get("type"), str) for m in members):
        return {"anyOf": members}
    out: dict[str, Any] = {"type": [m["type"] for m in members]}
    for m in members:
        out.update({k: v for k, v in m.items() if k != "type"})
    return out


def type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a Python type; dataclasses and TypedDicts go to ``defs`` and are referenced."""
    origin = get_origin(tp)
    if origin is Annotated:
        base, *extras = get_args(tp)
        out = type_schema(base, defs)
        for extra in extras:
            if isinstance(extra, Keywords):
                out = {**out, **extra.keywords}
        return out
    if origin in (Required, NotRequired):
        return type_schema(get_args(tp)[0], defs)
    if origin is Union or origin is types.UnionType:
        return _merge_types([type_schema(a, defs) for a in get_args(tp)])
    if origin is Literal:
        values = list(get_args(tp))
        return {"const": values[0]} if len(values) == 1 else {"enum": values}
    if origin is list or getattr(origin, "json_array", False):
        return {"type": "array", "items": type_schema(get_args(tp)[0], defs)}
    if origin is dict:
        key, value = get_args(tp)
        out = {"type": "object"}
        if key is not str:
            out["propertyNames"] = type_schema(key, defs)
        if value is not Any:
            out["additionalProperties"] = type_schema(value, defs)
        return out
    simple = {str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}
    if tp in simple:
        return {"type": simple[tp]}
    if tp is Any:
        return {}
    if _is_model(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder: a model may refer to itself
            defs[name] = model_schema(tp, defs)
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {tp!r}")


ModelField = tuple[str, Any, Mapping[str, Any], bool]
_FIELDS: dict[type, tuple[ModelField, ...]] = {}


def model_fields(cls: type) -> tuple[ModelField, ...]:
    """(name, type, metadata, required) of each JSON member of a dataclass or TypedDict, in order.

    Dataclass fields whose metadata says ``json=False`` are not part of the JSON.
    """
    known = _FIELDS.get(cls)
    if known is not None:
        return known
    hints = get_type_hints(cls, include_extras=True)
    out: tuple[ModelField, ...]
    if typing.is_typeddict(cls):
        # Decided here from Required[...]/NotRequired[...]: under postponed annotations the
        # class's own __required_keys__ cannot see them.
        total = getattr(cls, "__total__", True)
        out = tuple((name, tp, {}, get_origin(tp) is Required or (total and get_origin(tp) is not NotRequired))
                    for name, tp in hints.items())
    else:
        out = tuple((f.name, hints[f.name], f.metadata, not f.metadata.get(OPTIONAL, False))
                    for f in dataclasses.fields(cls) if f.metadata.get("json", True))
    _FIELDS[cls] = out
    return out


def _without_null(tp: Any) -> Any:
    args = [a for a in get_args(tp) if a is not type(None)]
    return Union[tuple(args)] if len(args) > 1 else args[0]  # noqa: UP007 - built from a tuple


def model_schema(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """The object schema of a dataclass or TypedDict; its ``__schema__`` class attribute adds keywords.

    A field's metadata may give a ``description``; ``optional`` members may be absent, and
    with ``nullable=False`` their ``None`` (the Python value for "absent") is not valid JSON.
    """
    extra = dict(cls.__dict__.get("__schema__", {}))
    out: dict[str, Any] = {k: extra.pop(k) for k in ("title", "description") if k in extra}
    properties: dict[str, Any] = {}
    required: list[str] = []
    for name, tp, meta, is_required in model_fields(cls):
        if not is_required and not meta.get(NULLABLE, True):
            tp = _without_null(tp)
        schema = type_schema(tp, defs)
        if DESCRIPTION in meta:
            schema = {**schema, "description": meta[DESCRIPTION]}
        properties[name] = schema
        if is_required:
            required.append(name)
    out.update({"type": "object", "required": required, "properties": properties})
    out.update(extra)
    return out
