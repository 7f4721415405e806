"""Built-in sample data: the seed report's agency and year, and random consistent reports.

Random reports are consistent by construction: every 勾稽关系 holds, so a
test can perturb one value and expect exactly that perturbation to be caught.
"""

from __future__ import annotations

import json
import random
from importlib import resources

from xl_disclosure.form import AGENCY_TYPES, FORM, S3_COLUMNS, S3_RESULTS_LABEL, S3_ROWS, Kind, s3_id, uscc
from xl_disclosure.model.report import Report, Value

SAMPLE_FILE = "sample_xixiayuan_2024.json"

AGENCY_NAMES = (
    "某某县人民政府办公室", "某某县发展和改革委员会", "某某县教育局", "某某县公安局", "某某县民政局",
    "某某县财政局", "某某县人力资源和社会保障局", "某某县自然资源局", "某某县生态环境分局",
    "某某县住房和城乡建设局", "某某县交通运输局", "某某县农业农村局", "某某县卫生健康委员会",
    "某某县市场监督管理局", "某某县城关镇人民政府", "某某县东城街道办事处",
)

#: The 机关类型/层级 each sample name is (all county-level): a random report keeps name, type and figures consistent.
AGENCY_TYPE = {
    **{name: "县（市、区）级政府部门" for name in AGENCY_NAMES},
    "某某县城关镇人民政府": "乡镇人民政府",
    "某某县东城街道办事处": "街道办事处",
}

NARRATIVE_SNIPPETS = {
    "n1_proactive": "本年度严格执行《中华人民共和国政府信息公开条例》，及时主动公开政策文件及解读材料。",
    "n1_on_request": "本年度依法依规办理政府信息公开申请，规范答复流程。",
    "n1_management": "加强政府信息管理，落实公开属性源头认定和保密审查制度。",
    "n1_platform": "依托政府门户网站和政务新媒体做好信息发布。",
    "n1_oversight": "加强业务培训和考核评议，落实责任追究。",
    "n5_problems": "存在的主要问题：公开内容的全面性有待提升。改进措施：加强培训，完善制度。",
}


def seed_report() -> Report:
    """The seed report (孟津区西霞院街道办事处, 2024) as built-in sample data."""
    data = json.loads(resources.files("xl_disclosure.data").joinpath(SAMPLE_FILE).read_text(encoding="utf-8"))
    return Report(dict(data["values"]), {"sample": "seed"})


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """Split ``total`` into ``parts`` non-negative integers, often with zeros (as real data)."""
    if total == 0:
        return [0] * parts
    active = [i for i in range(parts) if rng.random() < 0.5] or [rng.randrange(parts)]
    cuts = sorted(rng.randint(0, total) for _ in range(len(active) - 1))
    sizes = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    out = [0] * parts
    for i, s in zip(active, sizes, strict=True):
        out[i] = s
    return out


def random_report(rng: random.Random | None = None, *, agency: str | None = None, year: int = 2024,
                  scale: int = 60, fee: bool | None = None) -> Report:
    """A random report in which every rule holds."""
    rng = rng or random.Random()
    v: dict[str, Value] = {}
    result_rows = [r.key for r in S3_ROWS if r.level1 == S3_RESULTS_LABEL and not r.computed]
    busy = rng.random() < 0.7
    for ckey, _ in S3_COLUMNS:
        weight = scale if ckey == "natural" else scale // 6
        new = rng.randint(0, weight) if busy else 0
        carried = rng.randint(0, max(1, weight // 10)) if busy else 0
        nxt = rng.randint(0, min(new + carried, max(1, weight // 8)))
        handled = new + carried - nxt
        for key, n in zip(result_rows, _split(rng, handled, len(result_rows)), strict=True):
            v[s3_id(key, ckey)] = n
        v[s3_id("new", ckey)] = new
        v[s3_id("carried", ckey)] = carried
        v[s3_id("next", ckey)] = nxt
    for f in FORM.groups["section2"]:
        if f.kind is Kind.AMOUNT:
            v[f.id] = round(rng.random() * 50, 4) if rng.random() < 0.3 else 0
        else:
            v[f.id] = rng.randint(0, 30) if rng.random() < 0.6 else 0
    for f in FORM.groups["section4"]:
        if f.kind is Kind.COUNT:
            v[f.id] = rng.randint(0, 3) if rng.random() < 0.3 else 0
    name = agency or rng.choice(AGENCY_NAMES)
    code = random_uscc(rng)
    rng.choice(AGENCY_TYPES)  # drawn as before, so a seed gives the same report otherwise
    kind = AGENCY_TYPE.get(name, "县（市、区）级政府部门")
    # County-level bodies make no 规章; a street office issues no 行政规范性文件.
    v.update({f"s2_rules_{c}": 0 for c in ("issued", "repealed", "effective")})
    if kind == "街道办事处":
        v["s2_normative_issued"] = 0
    v.update({
        "cover_agency_name": name,
        "cover_uscc": code,
        "cover_agency_type": kind,
        "cover_year": year,
        "cover_preparer": rng.choice(("张敏", "李伟", "王芳", "刘洋", "陈静")),
        "cover_phone": f"0379-{rng.randint(60000000, 69999999)}",
        "cover_date": f"{year + 1}-01-{rng.randint(5, 25):02d}",
        "cover_parent": "某某县人民政府办公室",
    })
    v.update(NARRATIVE_SNIPPETS)
    charged = (rng.random() < 0.15) if fee is None else fee
    notices = rng.randint(1, 5) if charged else 0
    v["n6_fee_notices"] = notices
    v["n6_fee_notice_amount"] = float(notices * 100) if charged else 0
    v["n6_fee_collected"] = float(notices * 100) if charged else 0
    v["n6_other"] = (
        f"本年度发出收费通知 {notices} 件，收取信息处理费 {notices * 100} 元。" if charged
        else f"本单位 {year} 年度未收取政府信息公开信息处理费。"
    )
    if not busy:
        v["n1_on_request"] = "本年度未收到政府信息公开申请。"
    return Report(v, {"sample": "random"})


def random_uscc(rng: random.Random) -> str:
    area = rng.choice(("410322", "410304", "410105", "110101", "320106"))
    body = "11" + area + "".join(rng.choice(uscc.CHARSET[:10] + "ABCDEFGH") for _ in range(9))
    return uscc.make(body)
