"""What the service keeps: agencies, their upload tokens, every submission, every compile — SQLAlchemy Core.

One code path for SQLite (the default, a file in the data folder) and PostgreSQL
(``--db postgresql://…``).  The schema is made by the Alembic migrations shipped
in ``serve/migrations`` (:func:`upgrade`); the tables here describe it for queries.
Rows are only ever added or updated (a token revoked, a compile finished): nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from xl_disclosure.api import UsageError
from xl_disclosure.model.agency import Agency, Identity, norm_name, norm_uscc

metadata = sa.MetaData()

agencies = sa.Table(
    "agencies", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("uscc", sa.String(32), nullable=False, server_default=""),
    #: norm_uscc when there is one, else norm_name: one row per agency of the list
    sa.Column("key", sa.String(220), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

tokens = sa.Table(
    "tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    #: sha256 of the token: the token itself is shown once, when issued, and never stored
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id"), nullable=False, index=True),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    #: the uploaded bytes, in the content-addressed folder
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    #: the clerk's file name, for display only (never a path)
    sa.Column("filename", sa.String(255), nullable=False),
    sa.Column("status", sa.String(8), nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    #: the validation result JSON (schema/validation.schema.json), as the CLI writes it
    sa.Column("result_json", sa.Text, nullable=False),
    #: the report data (report.schema.json) when readable
    sa.Column("report_json", sa.Text, nullable=True),
    #: the copy with the 校验结果 sheet, in the content-addressed folder (made when first downloaded)
    sa.Column("annotated_sha256", sa.String(64), nullable=True),
    #: the agency named on the cover, when it is not the agency of the token
    sa.Column("cover_agency", sa.String(200), nullable=True),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

compilations = sa.Table(
    "compilations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    #: 进行中 / 完成 / 失败
    sa.Column("state", sa.String(8), nullable=False),
    sa.Column("counted", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message", sa.Text, nullable=False, server_default=""),
)

#: Submissions whose status lets them count (the latest such one per agency does).
COUNTED_STATUSES = ("通过", "有警告")
#: The dashboard's statuses, in its order.
DASHBOARD_STATUSES = ("未报送", "不通过", "有警告", "通过")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """An upload token: 32 random bytes, URL-safe (unguessable; only its hash is stored)."""
    return secrets.token_urlsafe(32)


def agency_key(agency: Agency) -> str:
    code = norm_uscc(agency.uscc)
    return f"uscc:{code}" if code else f"name:{norm_name(agency.name)}"


def engine_for(url: str) -> Engine:
    """An engine for ``url``: ``sqlite:///path`` or ``postgresql://…`` (psycopg 3)."""
    parsed = sa.engine.make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = sa.create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise UsageError(f"不支持的数据库地址“{parsed.render_as_string(hide_password=True)}”："
                         f"请用 SQLite（省略 --db）或 postgresql://用户@主机/库名。")
    return sa.create_engine(parsed, pool_size=10, max_overflow=20, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")  # readers never wait for the one writer
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("xl_disclosure.serve") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest schema (``alembic upgrade head``); run at every start."""
    command.upgrade(alembic_config(engine), "head")


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    uscc: str

    @property
    def agency(self) -> Agency:
        return Agency(self.name, self.uscc)


@dataclass(frozen=True)
class Submission:
    id: int
    agency_id: int
    uploaded_at: dt.datetime
    sha256: str
    size: int
    filename: str
    status: str
    errors: int
    warnings: int
    result_json: str
    report_json: str | None
    annotated_sha256: str | None
    cover_agency: str | None

    @property
    def result(self) -> dict[str, Any]:
        return dict(json.loads(self.result_json))

    @property
    def counts(self) -> bool:
        return self.status in COUNTED_STATUSES


@dataclass
class AgencyStatus:
    """One line of the dashboard."""

    agency: AgencyRow
    attempts: int
    latest: Submission | None
    counted: Submission | None

    @property
    def status(self) -> str:
        """未报送 / 不通过 / 有警告 / 通过: the counted submission's, else 不通过 once anything arrived."""
        if self.counted is not None:
            return self.counted.status
        return "未报送" if self.latest is None else "不通过"


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # SQLite keeps no offset


def _submission(row: Any) -> Submission:
    data = dict(row._mapping)
    data["uploaded_at"] = _aware(data["uploaded_at"])
    return Submission(**data)


class Store:
    """Every query the service makes, over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # ------------------------------------------------------------------ settings
    def setting(self, key: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(settings.c.value).where(settings.c.key == key)).scalar()

    def set_setting(self, key: str, value: str) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(settings.update().where(settings.c.key == key).values(value=value)).rowcount
            if not done:
                conn.execute(settings.insert().values(key=key, value=value))

    def setting_or_create(self, key: str, make: Any) -> str:
        """The setting, made once by ``make()`` when missing (a race loses to the first writer)."""
        value = self.setting(key)
        if value is not None:
            return value
        try:
            with self.engine.begin() as conn:
                conn.execute(settings.insert().values(key=key, value=make()))
        except sa.exc.IntegrityError:
            pass
        value = self.setting(key)
        assert value is not None
        return value

    # ------------------------------------------------------------------ agencies and tokens
    def import_agencies(self, listed: Sequence[Agency]) -> tuple[int, int]:
        """Add the agencies not yet known (the library's identity rule: by code when both have one, else by name);
        (added, already there)."""
        added = 0
        with self.engine.begin() as conn:
            rows = conn.execute(sa.select(agencies.c.name, agencies.c.uscc, agencies.c.key)).all()
            known = [Identity.of(name, code) for name, code, _key in rows]
            keys = {key for _name, _code, key in rows}
            for a in listed:
                identity = a.identity
                key = agency_key(a)
                if key in keys or any(identity.matches(k) for k in known):
                    continue
                conn.execute(agencies.insert().values(name=a.name.strip() or a.uscc, uscc=norm_uscc(a.uscc),
                                                      key=key, created_at=now()))
                known.append(identity)
                keys.add(key)
                added += 1
        return added, len(listed) - added

    def agencies(self) -> list[AgencyRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(agencies.c.id, agencies.c.name, agencies.c.uscc).order_by(agencies.c.id))
            return [AgencyRow(*r) for r in rows]

    def agency(self, agency_id: int) -> AgencyRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(agencies.c.id, agencies.c.name, agencies.c.uscc)
                               .where(agencies.c.id == agency_id)).first()
        return AgencyRow(*row) if row is not None else None

    def issue_tokens(self, *, reissue: bool = False) -> list[tuple[AgencyRow, str]]:
        """A new token for every agency without a live one (every agency with ``reissue``: old ones stop working).

        The tokens are returned once, here; only their hashes are kept.
        """
        out: list[tuple[AgencyRow, str]] = []
        with self.engine.begin() as conn:
            live = set(conn.execute(sa.select(tokens.c.agency_id).where(tokens.c.revoked_at.is_(None))).scalars())
            for a in self.agencies():
                if a.id in live and not reissue:
                    continue
                if a.id in live:
                    conn.execute(tokens.update().where(tokens.c.agency_id == a.id, tokens.c.revoked_at.is_(None))
                                 .values(revoked_at=now()))
                token = new_token()
                conn.execute(tokens.insert().values(agency_id=a.id, token_hash=hash_token(token), created_at=now()))
                out.append((a, token))
        return out

    def agency_for_token(self, token: str) -> AgencyRow | None:
        """The agency a live token belongs to; None for an unknown or revoked token."""
        if not token or len(token) > 128:
            return None
        q = (sa.select(agencies.c.id, agencies.c.name, agencies.c.uscc)
             .join(tokens, tokens.c.agency_id == agencies.c.id)
             .where(tokens.c.token_hash == hash_token(token), tokens.c.revoked_at.is_(None)))
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        return AgencyRow(*row) if row is not None else None

    # ------------------------------------------------------------------ submissions
    def add_submission(self, **values: Any) -> int:
        with self.engine.begin() as conn:
            result = conn.execute(submissions.insert().values(uploaded_at=now(), **values))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

    def set_annotated(self, submission_id: int, sha256: str) -> None:
        """Record the annotated copy of a version (made when first downloaded)."""
        with self.engine.begin() as conn:
            conn.execute(submissions.update().where(submissions.c.id == submission_id)
                         .values(annotated_sha256=sha256))

    def submissions_of(self, agency_id: int) -> list[Submission]:
        """Every version an agency uploaded, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(submissions).where(submissions.c.agency_id == agency_id)
                                .order_by(submissions.c.id.desc()))
            return [_submission(r) for r in rows]

    def submission(self, submission_id: int) -> Submission | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(submissions).where(submissions.c.id == submission_id)).first()
        return _submission(row) if row is not None else None

    def count_submissions(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(submissions)).scalar() or 0)

    def statuses(self) -> list[AgencyStatus]:
        """Every agency with its attempts, latest and counted submission (the dashboard), in list order."""
        s = submissions
        with self.engine.connect() as conn:
            attempts: dict[int, int] = dict(conn.execute(sa.select(s.c.agency_id, sa.func.count()).group_by(s.c.agency_id)).all())
            latest_ids = sa.select(sa.func.max(s.c.id)).group_by(s.c.agency_id)
            counted_ids = (sa.select(sa.func.max(s.c.id)).where(s.c.status.in_(COUNTED_STATUSES))
                           .group_by(s.c.agency_id))
            wanted = sa.select(s).where(sa.or_(s.c.id.in_(latest_ids), s.c.id.in_(counted_ids)))
            by_id = {r.id: _submission(r) for r in conn.execute(wanted)}
        latest: dict[int, Submission] = {}
        counted: dict[int, Submission] = {}
        for sub in sorted(by_id.values(), key=lambda x: x.id):
            latest[sub.agency_id] = sub
            if sub.counts:
                counted[sub.agency_id] = sub
        return [AgencyStatus(a, int(attempts.get(a.id, 0)), latest.get(a.id), counted.get(a.id))
                for a in self.agencies()]

    def counted(self) -> Iterator[tuple[AgencyRow, Submission]]:
        for st in self.statuses():
            if st.counted is not None:
                yield st.agency, st.counted

    # ------------------------------------------------------------------ compilations
    def start_compilation(self) -> int:
        with self.engine.begin() as conn:
            key = conn.execute(compilations.insert().values(started_at=now(), state="进行中")).inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_compilation(self, compilation_id: int, *, state: str, counted: int = 0, message: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(compilations.update().where(compilations.c.id == compilation_id)
                         .values(finished_at=now(), state=state, counted=counted, message=message))

    def compilation(self, compilation_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(compilations).where(compilations.c.id == compilation_id)).first()
        return dict(row._mapping) if row is not None else None

    def compilation_list(self, limit: int = 5) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(compilations).order_by(compilations.c.id.desc()).limit(limit))
            return [dict(r._mapping) for r in rows]

    def abandon_running_compilations(self) -> None:
        """At start: a compile still 进行中 was cut off when the service stopped."""
        with self.engine.begin() as conn:
            conn.execute(compilations.update().where(compilations.c.state == "进行中")
                         .values(state="失败", finished_at=now(), message="服务在汇总完成前停止，请重新汇总。"))


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'xl-disclosure.sqlite3').resolve()}"
