"""baseline: the whole schema as it stood at 0009_delivery, created in one step

Revision ID: 0009_delivery
Revises:
Create Date: 2026-12-04 16:20:00

Before the first release the nine revisions 0001_spine … 0009_delivery were squashed into this one, which creates
the final schema directly (issue 8: they repeated the same table shapes nine times). It keeps the revision id of
the last of them, so a database already at 0009_delivery (a demo database in instance/, say) is at head with
nothing to do. A database at any older pre-release revision (0001_spine … 0008_bundle) cannot be upgraded: Alembic
no longer knows those revisions. No council holds one; recreate it (``flask --app sar db upgrade`` on an empty
database, then ``flask --app sar seed-demo`` for the demo data).

The data steps of the old revisions (re-deriving every case's status in 0004, indexing case names and sealing
existing audit events in 0002) are gone with them: on an empty database they had nothing to do.

Column order, names and types are exactly what the nine revisions built, on SQLite and PostgreSQL alike (columns
that a later revision added, such as ``cases.withdrawn_on`` or ``audit_events.seal``, are still last in their
table). Tables are created in dependency order, grouped by the stage that owns them.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from sar import audit_triggers

# revision identifiers, used by Alembic.
revision = "0009_delivery"
down_revision = None
branch_labels = None
depends_on = None


# Names are written out, not left to the models' naming convention, so this file builds the same schema
# whatever the application's metadata says later.


def _pk(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=op.f(f"pk_{table}"))


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _unique(table: str, *columns: str, name: str | None = None) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(*columns, name=name or op.f(f"uq_{table}_{columns[0]}"))


def _index(table: str, *columns: str, name: str | None = None, **kw: Any) -> None:
    op.create_index(name or op.f(f"ix_{table}_{columns[0]}"), table, list(columns), unique=False, **kw)


def _enum(name: str, *values: str, length: int) -> sa.Enum:
    # Enums are stored as VARCHAR (no CHECK, no native type), so adding a value never needs a migration.
    return sa.Enum(*values, name=name, native_enum=False, length=length)


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer(), nullable=False)


def _at(name: str, *, nullable: bool = False) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _stored_file(*, nullable: bool = False) -> list[sa.Column[Any]]:
    """The four columns of a file kept in the file store (sar.files.StoredFile)."""
    return [
        sa.Column("file_key", sa.String(length=64), nullable=nullable),
        sa.Column("file_size", sa.Integer(), nullable=nullable),
        sa.Column("media_type", sa.String(length=127), nullable=nullable),
        sa.Column("original_name", sa.String(length=255), nullable=nullable),
    ]


def _attempts_table(table: str, link_table: str) -> None:
    """A rate limit's log of attempts from an IP address (sign-in has its own shape; upload and delivery links
    share this one)."""
    op.create_table(
        table,
        _id(),
        _at("at"),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        _fk(table, "link_id", link_table, "SET NULL"),
        _pk(table),
    )
    _index(table, "at")
    _index(table, "ip_address")


_ROLE = ("dpo", "ig_officer", "record_holder", "auditor", "admin")
_LETTER_KIND = (
    "acknowledgement",
    "evidence_request",
    "clarification",
    "extension",
    "fee_request",
    "refusal",
    "no_data_held",
    "disclosure_cover",
)
_CONSULTATION = ("", "health", "social_work")


def upgrade() -> None:
    _foundations()
    _people_and_audit()
    _intake()
    _clock()
    _sources()
    _review()
    _bundle()


def _foundations() -> None:
    """Background jobs, the mail outbox, case reference numbers."""
    op.create_table(
        "case_reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        _pk("case_reference_counters", "year"),
    )
    op.create_table(
        "jobs",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", _enum("jobstatus", "queued", "running", "done", "failed", length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        _at("run_after"),
        _at("created_at"),
        _at("started_at", nullable=True),
        _at("finished_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("progress_done", sa.Integer(), server_default="0", nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=True),
        sa.Column("progress_message", sa.String(length=300), server_default="", nullable=False),
        _pk("jobs"),
    )
    _index("jobs", "status", "run_after", name="ix_jobs_due")
    _index("jobs", "name")

    op.create_table(
        "mail_outbox",
        _id(),
        sa.Column("dedup_key", sa.String(length=300), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", _enum("mailstatus", "queued", "sent", length=10), nullable=False),
        _at("created_at"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _at("last_attempt_at", nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _at("sent_at", nullable=True),
        sa.Column("attachment_key", sa.String(length=64), nullable=True),
        sa.Column("attachment_name", sa.String(length=255), nullable=True),
        sa.Column("attachment_type", sa.String(length=127), nullable=True),
        _pk("mail_outbox"),
        _unique("mail_outbox", "dedup_key"),
    )
    _index("mail_outbox", "case_id")
    _index("mail_outbox", "status", "id", name="ix_mail_outbox_status_id")


def _people_and_audit() -> None:
    """Teams, users and their sign-in security, and the append-only audit trail."""
    op.create_table(
        "sign_in_attempts",
        _id(),
        _at("at"),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        _pk("sign_in_attempts"),
    )
    _index("sign_in_attempts", "at")
    _index("sign_in_attempts", "ip_address")

    op.create_table(
        "teams",
        _id(),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", _enum("teamkind", "team", "provider", length=20), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _pk("teams"),
        _unique("teams", "name"),
    )
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("mfa_secret_encrypted", sa.String(length=500), nullable=True),
        _at("mfa_enrolled_at", nullable=True),
        sa.Column("mfa_last_timestep", sa.Integer(), nullable=True),
        sa.Column("failed_sign_ins", sa.Integer(), nullable=False),
        _at("locked_until", nullable=True),
        _at("last_sign_in_at", nullable=True),
        _at("password_changed_at"),
        sa.Column("must_change_password", sa.Boolean(), nullable=False),
        _at("created_at"),
        _fk("users", "team_id", "teams"),
        _pk("users"),
        _unique("users", "email"),
    )
    _index("users", "team_id")

    op.create_table(
        "audit_events",
        _id(),
        _at("occurred_at"),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=80), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.String(length=60), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("ip_address", sa.String(length=64), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("seal", sa.String(length=64), nullable=True),
        _fk("audit_events", "actor_id", "users"),
        _pk("audit_events"),
        _unique("audit_events", "hash"),
        _unique("audit_events", "prev_hash"),
    )
    _index("audit_events", "action")
    _index("audit_events", "actor_id")
    _index("audit_events", "case_id")
    _index("audit_events", "object_type", "object_id", name="ix_audit_events_object")
    _index("audit_events", "occurred_at")
    audit_triggers.create_audit_triggers(op)

    op.create_table(
        "recovery_codes",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=255), nullable=False),
        _at("used_at", nullable=True),
        _fk("recovery_codes", "user_id", "users", "CASCADE"),
        _pk("recovery_codes"),
    )
    _index("recovery_codes", "user_id")

    op.create_table(
        "user_roles",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", _enum("role", *_ROLE, length=20), nullable=False),
        _fk("user_roles", "user_id", "users", "CASCADE"),
        _pk("user_roles", "user_id", "role"),
    )
    op.create_table(
        "enrolment_links",
        _id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        _at("used_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _fk("enrolment_links", "created_by_id", "users"),
        _fk("enrolment_links", "user_id", "users", "CASCADE"),
        _pk("enrolment_links"),
        _unique("enrolment_links", "token_hash"),
    )
    _index("enrolment_links", "user_id")

    op.create_table(
        "role_grants",
        _id(),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", _enum("role", *_ROLE, length=20), nullable=False),
        sa.Column(
            "status",
            _enum("grantstatus", "pending", "approved", "refused", "withdrawn", length=20),
            nullable=False,
        ),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        _at("requested_at"),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        _at("decided_at", nullable=True),
        _fk("role_grants", "decided_by_id", "users"),
        _fk("role_grants", "requested_by_id", "users"),
        _fk("role_grants", "user_id", "users", "CASCADE"),
        _pk("role_grants"),
    )
    _index("role_grants", "status")
    _index("role_grants", "user_id")

    op.create_table(
        "user_sessions",
        _id(),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("last_seen_at"),
        _at("expires_at"),
        sa.Column("ip_address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=300), nullable=False),
        sa.Column("mfa_method", sa.String(length=40), nullable=False),
        _at("ended_at", nullable=True),
        sa.Column("end_reason", sa.String(length=80), nullable=True),
        _fk("user_sessions", "user_id", "users", "CASCADE"),
        _pk("user_sessions"),
        _unique("user_sessions", "token_hash"),
    )
    _index("user_sessions", "user_id")


def _intake() -> None:
    """Cases: the request, the people in it, the rights asked for, proof of identity and authority."""
    op.create_table(
        "cases",
        _id(),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            _enum(
                "casestatus",
                "received",
                "awaiting_id",
                "awaiting_authority",
                "awaiting_fee",
                "awaiting_clarification",
                "gathering",
                "in_review",
                "awaiting_sign_off",
                "ready_to_send",
                "closed",
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "outcome",
            _enum(
                "outcome",
                "FULL",
                "PARTIAL",
                "NONE_HELD",
                "WITHHELD_ALL",
                "NCND",
                "REFUSED_MUE",
                "FEE_UNPAID_CLOSED",
                "ID_NOT_PROVIDED_CLOSED",
                "AUTHORITY_NOT_PROVIDED_CLOSED",
                "CLARIFICATION_NOT_PROVIDED_CLOSED",
                "WITHDRAWN",
                "TRANSFERRED",
                "OTHER_RIGHT_ACTIONED",
                "OTHER_RIGHT_REFUSED",
                length=40,
            ),
            nullable=True,
        ),
        sa.Column(
            "channel",
            _enum("channel", "email", "post", "phone", "in_person", "web_form", "other_body", length=40),
            nullable=False,
        ),
        _at("received_at"),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("logged_by_id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        _at("closed_at", nullable=True),
        sa.Column(
            "requester_type",
            _enum(
                "requestertype",
                "self",
                "competent_child",
                "parent_pr",
                "solicitor",
                "advocate",
                "attorney",
                "deputy",
                "other",
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("scope_from", sa.Date(), nullable=True),
        sa.Column("scope_to", sa.Date(), nullable=True),
        sa.Column("scope_description", sa.Text(), nullable=False),
        sa.Column("education_record", sa.Boolean(), nullable=True),
        sa.Column("form_token", sa.String(length=64), nullable=True),
        sa.Column("outcome_reason", sa.Text(), nullable=False),
        sa.Column("exemption_codes", sa.JSON(), nullable=False),
        sa.Column(
            "transferred_to",
            _enum("transfertarget", "school_record", "nhs", "police", "academy_trust", "other", length=20),
            nullable=True,
        ),
        sa.Column("transferred_to_detail", sa.String(length=500), nullable=False),
        sa.Column("ncnd_signed_off_by_id", sa.Integer(), nullable=True),
        _at("created_at"),
        sa.Column("received_time_known", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), server_default="", nullable=False),
        _fk("cases", "logged_by_id", "users"),
        _fk("cases", "ncnd_signed_off_by_id", "users"),
        _fk("cases", "owner_id", "users"),
        _pk("cases"),
        _unique("cases", "reference"),
        _unique("cases", "form_token"),
    )
    _index("cases", "owner_id")
    _index("cases", "received_on")
    _index("cases", "status")

    op.create_table(
        "case_competence_assessments",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("maturity", sa.Text(), nullable=False),
        sa.Column("nature_of_data", sa.Text(), nullable=False),
        sa.Column("court_orders", sa.Text(), nullable=False),
        sa.Column("duty_of_confidence", sa.Text(), nullable=False),
        sa.Column("consequences_of_parental_access", sa.Text(), nullable=False),
        sa.Column("detriment_if_refused", sa.Text(), nullable=False),
        sa.Column("childs_views", sa.Text(), nullable=False),
        sa.Column(
            "decision",
            _enum(
                "competencedecision",
                "competent_own_request",
                "competent_authorises",
                "competent_does_not_authorise",
                "not_competent_in_best_interests",
                "not_competent_not_in_best_interests",
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _at("recorded_at"),
        _fk("case_competence_assessments", "case_id", "cases", "CASCADE"),
        _fk("case_competence_assessments", "recorded_by_id", "users"),
        _pk("case_competence_assessments"),
        _unique("case_competence_assessments", "case_id"),
    )
    op.create_table(
        "case_people",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            _enum("personrole", "data_subject", "requester", "professional", "third_party", length=20),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("addresses", sa.JSON(), nullable=False),
        sa.Column("phones", sa.JSON(), nullable=False),
        sa.Column("emails", sa.JSON(), nullable=False),
        sa.Column("nhs_number", sa.String(length=12), nullable=True),
        sa.Column("ni_number", sa.String(length=13), nullable=True),
        sa.Column("relationship", sa.String(length=100), nullable=False),
        sa.Column("job_title", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("consent_obtained", sa.Boolean(), nullable=True),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_note", sa.String(length=500), nullable=False),
        _at("created_at"),
        _fk("case_people", "case_id", "cases", "CASCADE"),
        _pk("case_people"),
    )
    _index("case_people", "case_id")

    # Every name and alias of a case's people, normalised, so a name search is one indexed lookup.
    op.create_table(
        "case_person_names",
        _id(),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        _fk("case_person_names", "person_id", "case_people", "CASCADE"),
        _pk("case_person_names"),
    )
    _index("case_person_names", "name")
    _index("case_person_names", "person_id")

    op.create_table(
        "case_rights",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "right",
            _enum(
                "right",
                "access",
                "rectification",
                "erasure",
                "restriction",
                "objection",
                "portability",
                length=20,
            ),
            nullable=False,
        ),
        _fk("case_rights", "case_id", "cases", "CASCADE"),
        _pk("case_rights", "case_id", "right"),
    )
    _index("case_rights", "right")

    op.create_table(
        "case_scope_teams",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        _fk("case_scope_teams", "case_id", "cases", "CASCADE"),
        _fk("case_scope_teams", "team_id", "teams"),
        _pk("case_scope_teams", "case_id", "team_id"),
    )
    _index("case_scope_teams", "team_id")

    op.create_table(
        "case_evidence",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("evidencekind", "identity", "authority", "parental_responsibility", length=30),
            nullable=False,
        ),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("asked_for", sa.String(length=500), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("what_arrived", sa.String(length=500), nullable=False),
        sa.Column("verified_by_id", sa.Integer(), nullable=True),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        _at("created_at"),
        _fk("case_evidence", "case_id", "cases", "CASCADE"),
        _fk("case_evidence", "person_id", "case_people", "SET NULL"),
        _fk("case_evidence", "verified_by_id", "users"),
        _pk("case_evidence"),
    )
    _index("case_evidence", "case_id")


def _clock() -> None:
    """The statutory clock: each case's computed deadlines and the events that move them."""
    op.create_table(
        "case_clocks",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum(
                "clockstatus",
                "running",
                "paused",
                "awaiting_id",
                "awaiting_authority",
                "awaiting_fee",
                "closed",
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("raw_due_date", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("internal_target", sa.Date(), nullable=False),
        sa.Column("notice_deadline", sa.Date(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("excluded_days", sa.Integer(), nullable=False),
        sa.Column("paused_since", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("answered_on_time", sa.Boolean(), nullable=True),
        sa.Column("response_days", sa.Integer(), nullable=True),
        sa.Column("problem", sa.String(length=500), nullable=True),
        _at("last_recalculated_at"),
        sa.Column("last_reason", sa.String(length=200), nullable=False),
        _fk("case_clocks", "case_id", "cases", "CASCADE"),
        _pk("case_clocks", "case_id"),
    )
    _index("case_clocks", "closed_on", "response_days", "answered_on_time", name="ix_case_clocks_closed")
    open_only = sa.text("status != 'closed'")
    _index(
        "case_clocks",
        "due_date",
        "status",
        name="ix_case_clocks_open_due",
        sqlite_where=open_only,
        postgresql_where=open_only,
    )
    _index("case_clocks", "status", "due_date", name="ix_case_clocks_status_due")
    _index("case_clocks", "status", "extended", "notice_deadline", name="ix_case_clocks_status_notice")

    op.create_table(
        "clock_events",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "eventkind",
                "id_requested",
                "id_received",
                "authority_requested",
                "authority_received",
                "fee_requested",
                "fee_paid",
                "clarification_asked",
                "clarification_answered",
                "extension_decided",
                "case_closed",
                "case_reopened",
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("notice_date", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _at("recorded_at"),
        _at("voided_at", nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        _fk("clock_events", "case_id", "cases", "CASCADE"),
        _fk("clock_events", "recorded_by_id", "users"),
        _fk("clock_events", "voided_by_id", "users"),
        _pk("clock_events"),
    )
    _index("clock_events", "case_id", "event_date", name="ix_clock_events_case_date")


def _sources() -> None:
    """Gathering records: connectors, search tasks sent to teams, upload links, and the documents that arrive."""
    op.create_table(
        "connectors",
        _id(),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("suspended", sa.Boolean(), nullable=False),
        _at("last_tested_at", nullable=True),
        sa.Column("last_test_result", sa.Text(), nullable=False),
        _at("created_at"),
        _fk("connectors", "team_id", "teams"),
        _pk("connectors"),
        _unique("connectors", "name"),
    )
    op.create_table(
        "team_contacts",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("inbox_email", sa.String(length=254), nullable=False),
        sa.Column("manager_email", sa.String(length=254), nullable=False),
        _fk("team_contacts", "team_id", "teams", "CASCADE"),
        _pk("team_contacts", "team_id"),
    )
    op.create_table(
        "search_tasks",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("instructions", sa.Text(), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column(
            "status",
            _enum("taskstatus", "open", "records_supplied", "no_records", "failed", "cancelled", length=20),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _at("completed_at", nullable=True),
        sa.Column("completed_by_label", sa.String(length=200), nullable=False),
        sa.Column("reminded_on", sa.Date(), nullable=True),
        sa.Column("chase_count", sa.Integer(), nullable=False),
        sa.Column("last_chased_on", sa.Date(), nullable=True),
        sa.Column("escalated_on", sa.Date(), nullable=True),
        _at("created_at"),
        _fk("search_tasks", "assignee_id", "users"),
        _fk("search_tasks", "case_id", "cases", "CASCADE"),
        _fk("search_tasks", "connector_id", "connectors", "SET NULL"),
        _fk("search_tasks", "created_by_id", "users"),
        _fk("search_tasks", "team_id", "teams"),
        _pk("search_tasks"),
    )
    for column in ("assignee_id", "case_id", "due_date", "status", "team_id"):
        _index("search_tasks", column)

    op.create_table(
        "documents",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("child_index", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(length=30), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("connector_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        _at("document_date", nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            _enum("documentstatus", "queued", "ready", "refused", "duplicate", length=20),
            nullable=False,
        ),
        sa.Column("refusal_code", sa.String(length=30), nullable=False),
        sa.Column("refusal_message", sa.Text(), nullable=False),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("working_key", sa.String(length=64), nullable=True),
        sa.Column("working_size", sa.Integer(), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_by_label", sa.String(length=200), nullable=False),
        _at("read_at", nullable=True),
        *_stored_file(),
        _at("created_at"),
        _fk("documents", "added_by_id", "users"),
        _fk("documents", "case_id", "cases", "CASCADE"),
        _fk("documents", "connector_id", "connectors", "SET NULL"),
        _fk("documents", "duplicate_of_id", "documents", "SET NULL"),
        _fk("documents", "parent_id", "documents", "CASCADE"),
        _fk("documents", "task_id", "search_tasks", "SET NULL"),
        _pk("documents"),
        _unique("documents", "parent_id", "child_index", name="uq_documents_parent_child"),
    )
    _index("documents", "case_id", "file_key", name="ix_documents_case_file")
    _index("documents", "case_id", "status", name="ix_documents_case_status")
    for column in ("file_key", "parent_id", "task_id"):
        _index("documents", column)

    op.create_table(
        "search_statements",
        _id(),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("systems_searched", sa.Text(), nullable=False),
        sa.Column("terms_used", sa.Text(), nullable=False),
        sa.Column("searched_by", sa.String(length=200), nullable=False),
        sa.Column("searched_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_label", sa.String(length=200), nullable=False),
        _at("recorded_at"),
        _fk("search_statements", "task_id", "search_tasks", "CASCADE"),
        _pk("search_statements"),
        _unique("search_statements", "task_id"),
    )
    op.create_table(
        "upload_links",
        _id(),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        _at("expires_at"),
        _at("revoked_at", nullable=True),
        _at("used_at", nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        _at("created_at"),
        _fk("upload_links", "created_by_id", "users"),
        _fk("upload_links", "task_id", "search_tasks", "CASCADE"),
        _pk("upload_links"),
        _unique("upload_links", "token_hash"),
    )
    _index("upload_links", "task_id")

    op.create_table(
        "document_groups",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("groupkind", "near_duplicate", "email_thread", length=20), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kept_document_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _at("undone_at", nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        _fk("document_groups", "case_id", "cases", "CASCADE"),
        _fk("document_groups", "kept_document_id", "documents", "CASCADE"),
        _fk("document_groups", "undone_by_id", "users"),
        _pk("document_groups"),
        _unique("document_groups", "case_id", "key", name="uq_document_groups_case_key"),
    )
    _index("document_groups", "case_id")

    op.create_table(
        "document_pages",
        _id(),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("width", sa.Double(), nullable=False),
        sa.Column("height", sa.Double(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("ocr", sa.Boolean(), nullable=False),
        _fk("document_pages", "document_id", "documents", "CASCADE"),
        _pk("document_pages"),
        _unique("document_pages", "document_id", "number", name="uq_document_pages_number"),
    )
    _index("document_pages", "document_id")

    # Proof of identity or authority uploaded for a case's evidence record.
    op.create_table(
        "evidence_files",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        _at("deleted_at", nullable=True),
        sa.Column("deleted_reason", sa.String(length=300), nullable=False),
        *_stored_file(),
        _at("created_at"),
        _fk("evidence_files", "case_id", "cases", "CASCADE"),
        _fk("evidence_files", "evidence_id", "case_evidence", "CASCADE"),
        _fk("evidence_files", "uploaded_by_id", "users"),
        _pk("evidence_files"),
    )
    for column in ("case_id", "evidence_id", "file_key"):
        _index("evidence_files", column)

    _attempts_table("upload_link_attempts", "upload_links")

    op.create_table(
        "document_group_members",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        _fk("document_group_members", "document_id", "documents", "CASCADE"),
        _fk("document_group_members", "group_id", "document_groups", "CASCADE"),
        _pk("document_group_members", "group_id", "document_id"),
    )


def _review() -> None:
    """Review: the exemption catalogue, findings and decisions, consultations, sign-off."""
    op.create_table(
        "review_exemptions",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("provision", sa.String(length=120), nullable=False),
        sa.Column("test", sa.Text(), nullable=False),
        sa.Column("consultee", sa.String(length=300), nullable=False),
        sa.Column("consultation", _enum("consultationkind", *_CONSULTATION, length=20), nullable=False),
        sa.Column("usage", sa.String(length=20), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        _pk("review_exemptions", "code"),
    )
    op.create_table(
        "case_reviews",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            _enum("signoffstate", "in_review", "ready", "signed_off", "returned", length=20),
            nullable=False,
        ),
        sa.Column("ready_by_id", sa.Integer(), nullable=True),
        _at("ready_at", nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        _at("signed_off_at", nullable=True),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.Column("voided_reason", sa.Text(), nullable=False),
        _fk("case_reviews", "case_id", "cases", "CASCADE"),
        _fk("case_reviews", "ready_by_id", "users"),
        _fk("case_reviews", "signed_off_by_id", "users"),
        _pk("case_reviews", "case_id"),
    )
    op.create_table(
        "review_batches",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("at"),
        _at("undone_at", nullable=True),
        _fk("review_batches", "by_id", "users"),
        _fk("review_batches", "case_id", "cases", "CASCADE"),
        _pk("review_batches"),
    )
    _index("review_batches", "case_id")

    op.create_table(
        "review_consistency_explanations",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("at"),
        _fk("review_consistency_explanations", "case_id", "cases", "CASCADE"),
        _pk("review_consistency_explanations"),
        _unique("review_consistency_explanations", "case_id", "key", name="uq_review_consistency_key"),
    )
    op.create_table(
        "review_detection_runs",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        _at("started_at"),
        _at("finished_at", nullable=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("documents", "pages", "added", "removed", "changed", "decisions_kept")
        ),
        sa.Column("changes", sa.JSON(), nullable=False),
        _fk("review_detection_runs", "case_id", "cases", "CASCADE"),
        _pk("review_detection_runs"),
    )
    _index("review_detection_runs", "case_id")

    op.create_table(
        "review_consultations",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("kind", _enum("consultationkind", *_CONSULTATION, length=20), nullable=False),
        sa.Column("consultee", sa.String(length=200), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("opinion_date", sa.Date(), nullable=True),
        sa.Column("recorded_by_label", sa.String(length=200), nullable=False),
        _at("recorded_at", nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        _at("created_at"),
        _fk("review_consultations", "case_id", "cases", "CASCADE"),
        _fk("review_consultations", "document_id", "documents", "CASCADE"),
        _pk("review_consultations"),
        _unique("review_consultations", "case_id", "code", "document_id", name="uq_review_consultations"),
    )
    _index("review_consultations", "case_id")

    op.create_table(
        "review_documents",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("withheld_code", sa.String(length=20), nullable=True),
        sa.Column("withheld_reason", sa.Text(), nullable=False),
        sa.Column("not_relevant", sa.Boolean(), nullable=False),
        sa.Column("duplicate", sa.Boolean(), nullable=False),
        sa.Column("set_aside_reason", sa.Text(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("at"),
        _fk("review_documents", "case_id", "cases", "CASCADE"),
        _fk("review_documents", "document_id", "documents", "CASCADE"),
        _pk("review_documents", "document_id"),
    )
    _index("review_documents", "case_id")

    op.create_table(
        "review_findings",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("folded_text", sa.String(length=200), nullable=False),
        sa.Column("boxes", sa.JSON(), nullable=False),
        sa.Column("origin", _enum("origin", "detector", "text", "box", length=10), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("person_ref", sa.String(length=10), nullable=True),
        sa.Column("person_name", sa.String(length=200), nullable=False),
        sa.Column("proposed", sa.String(length=10), nullable=False),
        sa.Column("proposed_code", sa.String(length=20), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("detected", sa.Boolean(), nullable=False),
        sa.Column("outcome", _enum("outcome", "pending", "redact", "keep", length=10), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_label", sa.String(length=200), nullable=False),
        _at("decided_at", nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        _at("created_at"),
        _fk("review_findings", "batch_id", "review_batches", "SET NULL"),
        _fk("review_findings", "case_id", "cases", "CASCADE"),
        _fk("review_findings", "decided_by_id", "users"),
        _fk("review_findings", "document_id", "documents", "CASCADE"),
        _pk("review_findings"),
    )
    _index("review_findings", "case_id", "outcome", name="ix_review_findings_case_outcome")
    _index("review_findings", "case_id", "person_ref", name="ix_review_findings_case_person")
    _index("review_findings", "case_id", "folded_text", name="ix_review_findings_case_text")
    _index("review_findings", "document_id", "page_number", name="ix_review_findings_page")

    op.create_table(
        "review_notes",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("page_number", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("created_at"),
        _fk("review_notes", "case_id", "cases", "CASCADE"),
        _fk("review_notes", "document_id", "documents", "CASCADE"),
        _pk("review_notes"),
    )
    _index("review_notes", "case_id")

    op.create_table(
        "review_page_images",
        _id(),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        _fk("review_page_images", "document_id", "documents", "CASCADE"),
        _pk("review_page_images"),
        _unique("review_page_images", "document_id", "page_number", name="uq_review_page_images"),
    )
    op.create_table(
        "review_pages_withheld",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page_number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("at"),
        _fk("review_pages_withheld", "case_id", "cases", "CASCADE"),
        _fk("review_pages_withheld", "document_id", "documents", "CASCADE"),
        _pk("review_pages_withheld"),
        _unique("review_pages_withheld", "document_id", "page_number", name="uq_review_pages_withheld"),
    )
    _index("review_pages_withheld", "case_id")

    op.create_table(
        "review_decision_log",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("page_number", sa.Integer(), nullable=True),
        sa.Column("finding_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("by_label", sa.String(length=200), nullable=False),
        _at("at"),
        _fk("review_decision_log", "by_id", "users"),
        _fk("review_decision_log", "case_id", "cases", "CASCADE"),
        _fk("review_decision_log", "document_id", "documents", "CASCADE"),
        _fk("review_decision_log", "finding_id", "review_findings", "SET NULL"),
        _pk("review_decision_log"),
    )
    _index("review_decision_log", "case_id")


def _bundle() -> None:
    """The response: letters, the disclosure bundle and its release gate, secure delivery to the requester."""
    op.create_table(
        "art15_information",
        _id(),
        *(
            sa.Column(name, sa.Text(), nullable=False)
            for name in (
                "purposes",
                "categories",
                "recipients",
                "transfers",
                "retention",
                "sources",
                "automated_decisions",
                "ico_contact",
                "complaint_route",
                "support_offer",
            )
        ),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        _at("updated_at"),
        _fk("art15_information", "updated_by_id", "users"),
        _pk("art15_information"),
    )
    op.create_table(
        "letter_templates",
        _id(),
        sa.Column("kind", _enum("letterkind", *_LETTER_KIND, length=30), nullable=False),
        sa.Column("audience", _enum("audience", "adult", "child", length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _at("created_at"),
        _fk("letter_templates", "created_by_id", "users"),
        _pk("letter_templates"),
        _unique("letter_templates", "kind", "audience", "version"),
    )
    op.create_table(
        "case_letter_styles",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("audience", _enum("audience", "adult", "child", length=10), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=False),
        _at("chosen_at"),
        _fk("case_letter_styles", "case_id", "cases", "CASCADE"),
        _fk("case_letter_styles", "chosen_by_id", "users"),
        _pk("case_letter_styles", "case_id"),
    )
    op.create_table(
        "letters",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("letterkind", *_LETTER_KIND, length=30), nullable=False),
        sa.Column("audience", _enum("audience", "adult", "child", length=10), nullable=False),
        sa.Column("template_id", sa.Integer(), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        *_stored_file(),
        sa.Column("status", _enum("letterstatus", "draft", "emailed", "posted", length=10), nullable=False),
        sa.Column("sent_to", sa.String(length=254), nullable=True),
        sa.Column("sent_on", sa.Date(), nullable=True),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("outbox_message_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _fk("letters", "case_id", "cases", "CASCADE"),
        _fk("letters", "created_by_id", "users"),
        _fk("letters", "sent_by_id", "users"),
        _fk("letters", "template_id", "letter_templates"),
        _pk("letters"),
    )
    _index("letters", "case_id")
    _index("letters", "file_key")

    # One row per built part of a bundle; the stored file is its released (encrypted) copy, absent until release.
    op.create_table(
        "bundles",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("build_number", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("parts_total", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            _enum("bundlestatus", "building", "failed", "built", "gate_failed", "released", length=20),
            nullable=False,
        ),
        sa.Column("superseded", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("only_new", sa.Boolean(), nullable=False),
        sa.Column("audience", sa.String(length=10), nullable=False),
        sa.Column("disclosed_to", sa.String(length=200), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=True),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in (
                "first_page_number",
                "page_count",
                "document_count",
                "redaction_count",
                "withheld_page_count",
            )
        ),
        sa.Column("codes", sa.JSON(), nullable=False),
        sa.Column("cover_letter_id", sa.Integer(), nullable=True),
        sa.Column("built_key", sa.String(length=64), nullable=True),
        sa.Column("built_size", sa.Integer(), nullable=True),
        sa.Column("built_by_id", sa.Integer(), nullable=True),
        sa.Column("built_by_label", sa.String(length=200), nullable=False),
        _at("started_at"),
        _at("built_at", nullable=True),
        sa.Column("gate_passed", sa.Boolean(), nullable=True),
        sa.Column("gate_report", sa.Text(), nullable=False),
        _at("gate_checked_at", nullable=True),
        sa.Column("gate_sha256", sa.String(length=64), nullable=True),
        sa.Column("gate_seal", sa.String(length=64), nullable=True),
        sa.Column("forbidden_count", sa.Integer(), nullable=False),
        sa.Column("must_keep_count", sa.Integer(), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("released_by_label", sa.String(length=200), nullable=False),
        _at("released_at", nullable=True),
        *_stored_file(nullable=True),
        _fk("bundles", "built_by_id", "users"),
        _fk("bundles", "case_id", "cases", "CASCADE"),
        _fk("bundles", "cover_letter_id", "letters", "SET NULL"),
        _fk("bundles", "released_by_id", "users"),
        _pk("bundles"),
    )
    _index("bundles", "case_id", "status", name="ix_bundles_case_status")
    _index("bundles", "file_key")

    op.create_table(
        "bundle_entries",
        _id(),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("document_date", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=False),
        *(
            sa.Column(name, sa.Integer(), nullable=False)
            for name in ("first_page", "last_page", "pages", "pages_withheld", "redactions")
        ),
        sa.Column("withheld_code", sa.String(length=20), nullable=True),
        _fk("bundle_entries", "bundle_id", "bundles", "CASCADE"),
        _fk("bundle_entries", "document_id", "documents", "SET NULL"),
        _pk("bundle_entries"),
    )
    _index("bundle_entries", "bundle_id")
    _index("bundle_entries", "document_id", name="ix_bundle_entries_document")

    op.create_table(
        "delivery_links",
        _id(),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("to_address", sa.String(length=254), nullable=False),
        sa.Column("password_channel", _enum("passwordchannel", "email", "sms", "post", length=10), nullable=False),
        _at("expires_at"),
        sa.Column("max_downloads", sa.Integer(), nullable=False),
        sa.Column("downloads", sa.Integer(), nullable=False),
        _at("last_downloaded_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_reason", sa.String(length=200), nullable=False),
        sa.Column("link_message_id", sa.Integer(), nullable=True),
        sa.Column("password_message_id", sa.Integer(), nullable=True),
        sa.Column("password_letter_key", sa.String(length=64), nullable=True),
        _at("password_sent_at", nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        _at("created_at"),
        _fk("delivery_links", "bundle_id", "bundles", "CASCADE"),
        _fk("delivery_links", "case_id", "cases", "CASCADE"),
        _fk("delivery_links", "created_by_id", "users"),
        _fk("delivery_links", "revoked_by_id", "users"),
        _pk("delivery_links"),
        _unique("delivery_links", "token_hash"),
    )
    _index("delivery_links", "bundle_id")
    _index("delivery_links", "case_id")

    _attempts_table("delivery_attempts", "delivery_links")


# Newest first, so every table is dropped before the tables it refers to.
_TABLES = [
    "delivery_attempts",
    "delivery_links",
    "bundle_entries",
    "bundles",
    "letters",
    "case_letter_styles",
    "letter_templates",
    "art15_information",
    "review_decision_log",
    "review_pages_withheld",
    "review_page_images",
    "review_notes",
    "review_findings",
    "review_documents",
    "review_consultations",
    "review_detection_runs",
    "review_consistency_explanations",
    "review_batches",
    "case_reviews",
    "review_exemptions",
    "document_group_members",
    "upload_link_attempts",
    "evidence_files",
    "document_pages",
    "document_groups",
    "upload_links",
    "search_statements",
    "documents",
    "search_tasks",
    "team_contacts",
    "connectors",
    "clock_events",
    "case_clocks",
    "case_evidence",
    "case_scope_teams",
    "case_rights",
    "case_person_names",
    "case_people",
    "case_competence_assessments",
    "cases",
    "user_sessions",
    "role_grants",
    "enrolment_links",
    "user_roles",
    "recovery_codes",
    "audit_events",
    "users",
    "teams",
    "sign_in_attempts",
    "mail_outbox",
    "jobs",
    "case_reference_counters",
]


def downgrade() -> None:
    # Dropping a table drops its indexes with it; the audit table's triggers (and PostgreSQL's trigger function)
    # go first.
    audit_triggers.drop_audit_triggers(op)
    for table in _TABLES:
        op.drop_table(table)
