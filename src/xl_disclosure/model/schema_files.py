"""Every JSON Schema the tool publishes, as the files ``xl-disclosure schema`` writes and checks.

They are committed in the repository's ``schema/`` folder and shipped as package
data (``xl_disclosure/data/schema/``, found with :func:`packaged_dir`), so that
a program using the installed package can validate against them offline.
``xl-disclosure schema --check`` (and a test) fails when either copy differs
from what the form definition and the summary model generate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from xl_disclosure.model.schema import REPORT_SCHEMA, VALIDATION_SCHEMA, report_schema, validation_schema
from xl_disclosure.model.summary import SUMMARY_SCHEMA, summary_schema

BUILDERS: dict[str, Callable[[], dict[str, Any]]] = {
    REPORT_SCHEMA: report_schema,
    VALIDATION_SCHEMA: validation_schema,
    SUMMARY_SCHEMA: summary_schema,
}


def schema_texts() -> dict[str, str]:
    """File name → exact JSON text of every generated schema."""
    return {name: json.dumps(build(), ensure_ascii=False, indent=2) + "\n" for name, build in BUILDERS.items()}


def stale_files(out_dir: Path) -> list[str]:
    """Names of schema files that are missing or differ from the generated text."""
    stale = []
    for name, text in schema_texts().items():
        path = out_dir / name
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            stale.append(name)
    return stale


def packaged_dir() -> Path:
    """The schema files shipped inside the package."""
    return Path(str(resources.files("xl_disclosure.data"))) / "schema"
