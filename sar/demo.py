"""``flask --app sar seed-demo``: a fictional council with staff in every role and about 40 cases.

Everything goes through the same service functions the pages use (accounts, teams, intake, evidence,
competence, the case workflow and the clock), so every case has a real audit trail and a due date the
clock worked out, exactly as if officers had done the work on the dates shown. Nothing is inserted
behind the services' back. The data is deterministic: the same ``--today`` and ``--seed`` always give
the same council.

Staff sign in with the shared demo password and set up their authenticator app at first sign-in,
as every real account does.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from sar import calendar
from sar.audit import SystemActor
from sar.auth import service as accounts
from sar.auth.models import Role, Team, User
from sar.cases import service as intake
from sar.cases.models import Case, CasePerson, CaseStatus, EvidenceItem, EvidenceKind, Outcome, PersonRole
from sar.cases.workflow import Closure
from sar.demo_data.people import DemoPerson, PeopleFactory
from sar.demo_data.stories import Story, all_stories
from sar.extensions import db

DEMO_PASSWORD = "demo-council-2026"
DEFAULT_SEED = 2026
SEED_DEMO = SystemActor("seed-demo command")
STAFF_DOMAIN = "council.example"


@dataclass(frozen=True)
class DemoStaff:
    full_name: str
    roles: tuple[Role, ...]
    job_title: str
    team: str | None = None

    @property
    def email(self) -> str:
        first, last = self.full_name.lower().split()[0], self.full_name.lower().split()[-1]
        return f"{first}.{last}@{STAFF_DOMAIN}"


STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("Margaret Oyelaran", (Role.DPO,), "Data Protection Officer"),
    DemoStaff("Priya Raman", (Role.IG_OFFICER,), "Information Governance Officer"),
    DemoStaff("Tom Hargreaves", (Role.IG_OFFICER,), "Information Governance Officer"),
    DemoStaff("Sian Lloyd", (Role.IG_OFFICER,), "Senior Information Governance Officer"),
    DemoStaff("Danielle Brooks", (Role.RECORD_HOLDER,), "Business Support Officer", "Children's Social Care"),
    DemoStaff("Marcus Webb", (Role.RECORD_HOLDER,), "Early Help Coordinator", "Early Help"),
    DemoStaff("Helen Okoro", (Role.RECORD_HOLDER,), "Fostering Team Administrator", "Fostering and Adoption"),
    DemoStaff("Jo Pickering", (Role.RECORD_HOLDER,), "Families Information Officer", "Families Information Service"),
    DemoStaff("Adam Sykes", (Role.RECORD_HOLDER,), "MASH Business Support", "Multi-Agency Safeguarding Hub"),
    DemoStaff("Graham Tate", (Role.AUDITOR,), "Internal Auditor"),
    DemoStaff("Lena Fischer", (Role.ADMIN,), "Systems Administrator"),
)

_EVIDENCE_KIND = {
    "identity": EvidenceKind.IDENTITY,
    "authority": EvidenceKind.AUTHORITY,
    "parental_responsibility": EvidenceKind.PARENTAL_RESPONSIBILITY,
}
_WAITING_STATUS = {
    EvidenceKind.IDENTITY: CaseStatus.AWAITING_ID,
    EvidenceKind.AUTHORITY: CaseStatus.AWAITING_AUTHORITY,
    EvidenceKind.PARENTAL_RESPONSIBILITY: CaseStatus.AWAITING_AUTHORITY,
}
_REVIEWED = (CaseStatus.IN_REVIEW, CaseStatus.AWAITING_SIGN_OFF, CaseStatus.READY_TO_SEND)
_CLOSES_WHILE_WAITING = {
    Outcome.ID_NOT_PROVIDED_CLOSED: CaseStatus.AWAITING_ID,
    Outcome.AUTHORITY_NOT_PROVIDED_CLOSED: CaseStatus.AWAITING_AUTHORITY,
}


class DemoError(click.ClickException):
    """The demo data could not be created (nothing was saved)."""


@dataclass
class SeedResult:
    users: list[tuple[DemoStaff, User]] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    teams_created: int = 0
    delivery: Any = None  # sar.bundle.demo.DemoDelivery: the released bundle and its download link, printed once


# --- the clock, if the clock stage is installed --------------------------------------------------------


def _clock() -> Any | None:
    try:
        from sar.clock import service as clock_service
    except ModuleNotFoundError:
        return None
    return clock_service


def _clock_kinds() -> Any | None:
    try:
        from sar.clock.models import EventKind
    except ModuleNotFoundError:
        return None
    return EventKind


# --- timeline ------------------------------------------------------------------------------------------


class Timeline:
    """Dates for the steps of one case, moving forward from the day it arrived and never past ``end``."""

    def __init__(self, rng: random.Random, start: date, end: date) -> None:
        self.rng = rng
        self.current = start
        self.end = end
        self.last_moment: datetime | None = None

    def advance(self, low: int, high: int) -> date:
        self.current = min(self.current + timedelta(days=self.rng.randint(low, high)), self.end)
        return self.current

    def moment(self, on: date | None = None) -> datetime:
        """A time during the working day on ``on`` (default: the current step), in UTC."""
        when = on or self.current
        local = datetime.combine(
            when, time(self.rng.randint(9, 16), self.rng.choice((0, 10, 25, 40, 55))), calendar.COUNCIL_TZ
        )
        moment = local.astimezone(UTC)
        if self.last_moment is not None and moment <= self.last_moment:
            moment = self.last_moment + timedelta(minutes=self.rng.randint(5, 40))  # steps on one day stay in order
        self.last_moment = moment
        return moment


# --- the seeding itself --------------------------------------------------------------------------------


class Seeder:
    def __init__(self, today: date, seed: int) -> None:
        self.today = today
        self.rng = random.Random(seed)
        self.result = SeedResult()
        self.clock = _clock()
        self.kinds = _clock_kinds()

    # staff and teams

    def teams(self) -> dict[str, Team]:
        from sar.auth.teams import ensure_seed_teams

        self.result.teams_created = len(ensure_seed_teams(by=SEED_DEMO))
        return {team.name: team for team in db.session.scalars(select(Team))}

    def team_named(self, teams: dict[str, Team], name: str) -> Team | None:
        wanted = name.lower()
        for team_name, team in teams.items():
            if team_name.lower().startswith(wanted):
                return team
        return None

    def staff(self, teams: dict[str, Team]) -> None:
        for person in STAFF:
            team = self.team_named(teams, person.team) if person.team else None
            user = accounts.create_user(
                email=person.email,
                full_name=person.full_name,
                password=DEMO_PASSWORD,
                roles=person.roles,
                team=team,
                job_title=person.job_title,
                by=SEED_DEMO,
            )
            self.result.users.append((person, user))

    def with_role(self, role: Role) -> list[User]:
        return [user for _, user in self.result.users if role in user.roles]

    # cases

    def cases(self, teams: dict[str, Team]) -> None:
        factory = PeopleFactory(self.rng, self.today)
        stories = all_stories(factory)
        # Log them in the order they arrived, so references run in date order as they would for real.
        for story in sorted(stories, key=lambda s: -s.received_days_ago):
            self.result.cases.append(self.play(story, teams))

    def play(self, story: Story, teams: dict[str, Team]) -> Case:
        received_on = self.today - timedelta(days=story.received_days_ago)
        end = self.today - timedelta(days=story.closed_days_ago) if story.closed_days_ago is not None else self.today
        timeline = Timeline(self.rng, received_on, end)
        officers = self.with_role(Role.IG_OFFICER)
        dpo = self.with_role(Role.DPO)[0]
        logged_by = self.rng.choice(officers)
        owner = self.rng.choice(officers)
        received_at = min(timeline.moment(received_on), self._now())
        scope_teams = tuple(t for t in (self.team_named(teams, name) for name in story.teams) if t is not None)
        case = intake.log_case(
            intake.CaseDetails(
                channel=story.channel,
                received_at=received_at,
                rights=story.rights,
                requester_type=story.requester_type,
                description=story.description,
                scope_teams=scope_teams,
                scope_from=story.scope_from,
                scope_to=received_on if story.scope_from else None,
                scope_description=story.scope_description,
                education_record=story.education_record,
            ),
            subject=_person(story.subject),
            requester=_person(story.requester) if story.requester is not None else None,
            logged_by=logged_by,
            owner=owner,
            now=self._now(),
        )
        for role, person in story.people:
            intake.add_person(case, PersonRole(role), _person(person), by=logged_by)
        if story.status is CaseStatus.RECEIVED:
            return case
        Progress(self, story, case, timeline, owner, dpo).run()
        return case

    # letters

    def letters(self) -> None:
        """The council's Art 15 information from its privacy notice, and the letters each case has had so far."""
        from sar.bundle.letters import service as letters
        from sar.bundle.letters.models import LetterKind
        from sar.bundle.letters.privacy_notice import read_notice

        dpo = self.with_role(Role.DPO)[0]
        notice = Path(__file__).parent / "demo_data" / "childrens-services-privacy-notice.txt"
        letters.update_supplementary(read_notice(notice, council_email=current_app.config["COUNCIL_EMAIL"]), by=dpo)
        closing = {
            Outcome.NONE_HELD: LetterKind.NO_DATA_HELD,
            Outcome.REFUSED_MUE: LetterKind.REFUSAL,
            Outcome.FULL: LetterKind.DISCLOSURE_COVER,
            Outcome.PARTIAL: LetterKind.DISCLOSURE_COVER,
            Outcome.NCND: LetterKind.DISCLOSURE_COVER,
        }
        halfway = self.result.cases[len(self.result.cases) // 2]
        for case in self.result.cases:
            if case is halfway:
                self.improve_acknowledgement(dpo, case)
            if case.received_on >= self.today - timedelta(days=1):
                continue  # logged today or yesterday: the acknowledgement is still to be written
            owner = case.owner or dpo
            sent_on = min(case.received_on + timedelta(days=self.rng.randint(1, 3)), self.today)
            acknowledgement = letters.create_letter(case, LetterKind.ACKNOWLEDGEMENT, {}, by=owner, on=sent_on)
            letters.mark_posted(case, acknowledgement, by=owner, on=sent_on)
            kind = closing.get(case.outcome) if case.outcome is not None else None
            if kind is None or case.closed_at is None:
                continue
            closed_on = calendar.council_date(case.closed_at)
            details = {"reasons": _REFUSAL_REASONS} if kind is LetterKind.REFUSAL else {}
            letter = letters.create_letter(case, kind, details, by=owner, on=closed_on)
            letters.mark_posted(case, letter, by=owner, on=closed_on)

    def improve_acknowledgement(self, dpo: User, example: Case) -> None:
        """Part-way through the year the DPO reworded the acknowledgement: older letters keep version 1."""
        from sar.bundle.letters import service as letters
        from sar.bundle.letters.models import Audience, LetterKind

        current = letters.current_template(LetterKind.ACKNOWLEDGEMENT, Audience.ADULT)
        body = current.body.replace(
            "Please quote it whenever you contact us about this request.",
            "Please quote it whenever you contact us about this request. You do not need to do anything else now.",
        )
        letters.save_template(
            current,
            current.subject,
            body,
            "Told requesters they need do nothing else for now",
            preview_case=example,
            by=dpo,
        )

    def _now(self) -> datetime:
        real_now = datetime.now(UTC)
        if self.today >= calendar.council_date(real_now):
            return max(real_now, datetime.combine(self.today, time(0, 1), calendar.COUNCIL_TZ).astimezone(UTC))
        return datetime.combine(self.today, time(18, 0), calendar.COUNCIL_TZ).astimezone(UTC)


def _person(person: DemoPerson) -> intake.PersonDetails:
    """A story's person as the service takes them: a demo person has the service's fields, with lists for tuples."""
    fields: dict[str, Any] = {name: tuple(v) if isinstance(v, list) else v for name, v in asdict(person).items()}
    return intake.PersonDetails(**fields)


def _details_of(person: CasePerson, **changes: Any) -> intake.PersonDetails:
    """The person's register entry as the service takes it, with some fields changed."""
    current = intake.PersonDetails(
        full_name=person.full_name,
        aliases=tuple(person.aliases),
        date_of_birth=person.date_of_birth,
        addresses=tuple(person.addresses),
        phones=tuple(person.phones),
        emails=tuple(person.emails),
        nhs_number=person.nhs_number,
        ni_number=person.ni_number,
        relationship=person.relation,
        job_title=person.job_title,
        organisation=person.organisation,
        consent_obtained=person.consent_obtained,
        consent_date=person.consent_date,
        consent_note=person.consent_note,
    )
    return replace(current, **changes)


class Progress:
    """Walks one case from "received" to where its story says it has got to, step by dated step."""

    def __init__(self, seeder: Seeder, story: Story, case: Case, timeline: Timeline, owner: User, dpo: User) -> None:
        self.seeder = seeder
        self.story = story
        self.case = case
        self.t = timeline
        self.owner = owner
        self.dpo = dpo

    @property
    def today(self) -> date:
        return self.seeder.today

    def close(self) -> None:
        story = self.story
        assert story.outcome is not None
        self.t.current = self.t.end
        closure = Closure(
            outcome=story.outcome,
            exemption_codes=story.exemption_codes,
            transferred_to=story.transferred_to,
        )
        by_dpo = story.outcome in (Outcome.NCND, Outcome.REFUSED_MUE, Outcome.WITHHELD_ALL)
        reason = story.closing_reason or _CLOSING_REASONS.get(story.outcome, "Response sent")
        intake.decide_outcome(self.case, closure, reason, by=self.dpo if by_dpo else self.owner, now=self.t.moment())

    def clock_event(self, kind_name: str, on: date, **extra: Any) -> None:
        clock, kinds = self.seeder.clock, self.seeder.kinds
        if clock is None or kinds is None:
            return
        clock.record_event(self.case, kinds[kind_name], on, by=self.owner, **extra)

    def run(self) -> None:
        """Record the facts of the story in order; the status follows from them (sar.cases.workflow).

        A story records intake's and the clock's facts only. One that goes on to searches, review, sign-off and a
        bundle stops where those facts begin (its case waits at "Received"), and so do the outcomes that need them:
        a disclosure needs a released bundle, "none held" needs returned searches, a refusal needs the refusal
        letter. The later stages' own seeding (gathering, review, the bundle) carries chosen cases on from there.
        """
        story = self.story
        self.competence()
        if self.evidence():
            return
        if story.outcome is Outcome.TRANSFERRED:
            self.t.advance(1, 3)
            self.close()
            return
        self.t.advance(1, 3)
        if story.extended:
            self.extend()
        if self.waits_on_requester():
            return
        if story.clarified:
            self.clarify()
        if story.outcome is Outcome.WITHDRAWN:
            self.withdraw()
            self.close()
            return
        if story.status in _REVIEWED or story.outcome is not None:
            self.ask_consent()

    def withdraw(self) -> None:
        on = min(self.t.advance(2, 6), self.today)
        intake.record_withdrawal(
            self.case, on, "By phone to the case owner; confirmed by email", by=self.owner, today=self.today
        )

    def clarify(self) -> None:
        """The request was unclear: the clock paused while the requester said what they meant (Art 15 only)."""
        asked_on = self.t.advance(1, 3)
        self.clock_event("CLARIFICATION_ASKED", asked_on, note="Asked which placements and years matter most")
        answered_on = self.t.advance(4, 10)
        self.clock_event("CLARIFICATION_ANSWERED", answered_on, note="Requester named two placements and 2012-2016")

    def ask_consent(self) -> None:
        """Third parties asked whether their information may go to the requester (sar-rules section 4)."""
        answers = {
            "foster carer": (True, "Happy for their names to be left in"),
            "mother's partner": (False, "Does not want anything about him disclosed"),
            "maternal grandmother": (True, "Agreed by phone"),
        }
        for person in self.case.people:
            if person.role is not PersonRole.THIRD_PARTY or person.relation not in answers:
                continue
            consents, note = answers[person.relation]
            on = min(self.t.current, self.today)
            intake.update_person(
                person,
                _details_of(person, consent_obtained=consents, consent_date=on, consent_note=note),
                by=self.owner,
            )

    def competence(self) -> None:
        assessment = self.story.competence
        if assessment is None:
            return
        intake.record_competence_assessment(
            self.case,
            intake.CompetenceDetails(**asdict(assessment), assessed_on=self.t.advance(0, 2)),
            by=self.owner,
            today=self.today,
        )

    def evidence(self) -> bool:
        """Ask for and receive ID and authority; True if the story ends while waiting for some."""
        story = self.story
        requester = self.case.requester
        person_id = requester.id if requester is not None else None
        wanted_wait = _CLOSES_WHILE_WAITING.get(story.outcome) if story.outcome is not None else None
        if story.status in (CaseStatus.AWAITING_ID, CaseStatus.AWAITING_AUTHORITY):
            wanted_wait = story.status
        for item in story.evidence:
            kind = _EVIDENCE_KIND[item.kind]
            if item.enclosed:
                row = intake.record_evidence_request(
                    self.case,
                    intake.EvidenceRequest(
                        kind=kind,
                        asked_for=item.asked_for,
                        person_id=person_id,
                        received_on=self.case.received_on,
                        what_arrived=item.what_arrives,
                    ),
                    by=self.owner,
                    today=self.today,
                )
                intake.record_evidence_verification(row, self.owner, self.case.received_on, today=self.today)
                continue
            asked_on = self.t.advance(0, 2)
            row = intake.record_evidence_request(
                self.case,
                intake.EvidenceRequest(kind=kind, asked_for=item.asked_for, requested_on=asked_on, person_id=person_id),
                by=self.owner,
                today=self.today,
            )
            # Intake's evidence dates drive the clock (sar.clock.service.evidence_of): no separate clock event.
            if wanted_wait is _WAITING_STATUS[kind]:
                if story.outcome is not None:
                    self.close()
                return True
            self.receive(row, item.what_arrives)
        return False

    def receive(self, row: EvidenceItem, what_arrived: str) -> None:
        received_on = self.t.advance(3, 9)
        intake.record_evidence_receipt(row, received_on, what_arrived, by=self.owner, today=self.today)
        intake.record_evidence_verification(
            row, self.owner, received_on, "Checked against the records held", today=self.today
        )

    def waits_on_requester(self) -> bool:
        """A fee or a clarification asked for while gathering; True if the story ends there."""
        story = self.story
        if story.status is CaseStatus.AWAITING_FEE or story.outcome is Outcome.FEE_UNPAID_CLOSED:
            on = self.t.advance(1, 4)
            self.clock_event("FEE_REQUESTED", on, note="£25 for further copies of records already provided")
            if story.outcome is not None:
                self.close()
            return True
        if (
            story.status is CaseStatus.AWAITING_CLARIFICATION
            or story.outcome is Outcome.CLARIFICATION_NOT_PROVIDED_CLOSED
        ):
            on = self.t.advance(1, 4)
            self.clock_event("CLARIFICATION_ASKED", on, note="Asked which years and placements the request is about")
            if story.outcome is not None:
                self.close()
            return True
        return False

    def extend(self) -> None:
        """Extend by two months, with notice sent well inside the first month."""
        on = max(self.t.current, self.case.received_on + timedelta(days=self.seeder.rng.randint(12, 18)))
        if on > self.today or on > self.t.end:
            return
        self.t.current = on
        self.clock_event(
            "EXTENSION_DECIDED",
            on,
            reasons="The request is complex: records from several teams and a commissioned provider over many years.",
            notice_date=on,
            note="Extension notice sent by email",
        )


_REFUSAL_REASONS = (
    "Your request repeats, word for word, three requests we answered in full in the last four months, and you have "
    "told us you will keep sending it until the council changes a decision about your housing. We have decided it "
    "is manifestly unfounded (UK GDPR Article 12(5))."
)

_CLOSING_REASONS = {
    Outcome.FULL: "Records sent in full by secure email; covering letter explains the right to complain to the ICO",
    Outcome.PARTIAL: "Records sent with exemptions applied; the letter lists them and the right to complain to the ICO",
    Outcome.NONE_HELD: "Searched every team named in the request; no records found. Told the requester",
    Outcome.WITHHELD_ALL: "Disclosure refused: the child did not authorise it; reasons and rights given",
    Outcome.FEE_UNPAID_CLOSED: "The fee was not paid within the time allowed",
    Outcome.ID_NOT_PROVIDED_CLOSED: "Proof of identity was not provided after two reminders",
    Outcome.AUTHORITY_NOT_PROVIDED_CLOSED: "The solicitors did not send their client's signed authority",
    Outcome.CLARIFICATION_NOT_PROVIDED_CLOSED: "No reply to the request for clarification after two reminders",
    Outcome.WITHDRAWN: "The requester withdrew the request by phone; confirmed in writing",
    Outcome.TRANSFERRED: "The educational record is the school's to provide; request passed to the school",
    Outcome.OTHER_RIGHT_ACTIONED: "Records corrected or removed as asked; confirmed to the requester",
}


def seed(today: date, *, seed_value: int = DEFAULT_SEED) -> SeedResult:
    """Create the demo council in the current transaction (the caller commits)."""
    seeder = Seeder(today, seed_value)
    config = current_app.config
    pinned = config.get("CLOCK_TODAY")
    config["CLOCK_TODAY"] = today  # the clock refuses events "in the future": the future is after --today
    try:
        teams = seeder.teams()
        seeder.staff(teams)
        seeder.cases(teams)
        from sar.sources.demo import seed_gathering

        seed_gathering(seeder.result.cases, teams, [user for _, user in seeder.result.users], today, seeder.rng)
        seeder.letters()
        from sar.review.catalogue import seed_exemptions

        seed_exemptions()  # the exemption catalogue the DPO edits (sar-rules section 3)
        from sar.review.demo import seed_review

        staff = [user for _, user in seeder.result.users]
        in_review = seed_review(seeder.result.cases, staff, today)
        from sar.bundle.demo import seed_released_bundle

        # One more case all the way to the requester: reviewed, signed off, bundle built, checked, released and sent
        # (not one of review's examples, which stay at their stages).
        seeder.result.delivery = seed_released_bundle([c for c in seeder.result.cases if c not in in_review], staff)
    finally:
        if pinned is None:
            config.pop("CLOCK_TODAY", None)
        else:
            config["CLOCK_TODAY"] = pinned
    return seeder.result


def _has_users() -> bool:
    return bool(db.session.scalar(select(func.count()).select_from(User)))


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if any staff account already exists.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The date the demo is set around (YYYY-MM-DD; default: today).",
)
@click.option("--seed", "seed_value", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@with_appcontext
def seed_demo(if_empty: bool, today: datetime | None, seed_value: int) -> None:
    """Create a fictional council: staff in every role, teams and about 40 cases in every state."""
    if _has_users():
        if if_empty:
            click.echo("Demo data not loaded: the database already has staff accounts.")
            _remind_demo_sign_ins()
            db.session.commit()  # the fresh set-up links
            return
        raise DemoError("The database already has staff accounts. Use an empty database (or --if-empty to skip).")
    on = today.date() if today else calendar.today()
    try:
        result = seed(on, seed_value=seed_value)
        links = _enrolment_links(result.users)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    _report(result, on, links)


def _remind_demo_sign_ins() -> None:
    """On a later start of the demo, list the demo accounts again (if they are still there), with a
    fresh set-up link for each one that has not set up its authenticator yet."""
    emails = [person.email for person in STAFF]
    found = {user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))}
    if found:
        users = [(person, found[person.email]) for person in STAFF if person.email in found]
        _print_sign_ins(users, _enrolment_links(users))


def _enrolment_links(users: list[tuple[DemoStaff, User]]) -> dict[int, str]:
    """A one-time authenticator set-up link for every demo account not yet set up (also in the outbox)."""
    from sar.auth import enrolment, mfa

    return {
        user.id: enrolment.issue(user, by=SEED_DEMO, reason="demo start")
        for _, user in users
        if user.active and not mfa.is_enrolled(user)
    }


def _print_sign_ins(users: list[tuple[DemoStaff, User]], links: dict[int, str]) -> None:
    click.echo("")
    click.echo(
        "Demo sign-ins. Every account uses the same password. The first time, open the account's one-time "
        "set-up link, enter the password and scan the QR code with an authenticator app; after that sign in "
        "at /sign-in:"
    )
    width = max(len(person.email) for person, _ in users)
    for person, user in users:
        roles = ", ".join(role.label for role in person.roles)
        team = f" ({person.team})" if person.team else ""
        click.echo(f"  {user.email:<{width}}  {roles}{team}")
        if user.id in links:
            click.echo(f"  {'':<{width}}  set-up link: {links[user.id]}")
    click.echo(f"  Password: {DEMO_PASSWORD}")


def _report(result: SeedResult, on: date, links: dict[int, str]) -> None:
    by_status: dict[CaseStatus, int] = {}
    for case in result.cases:
        by_status[case.status] = by_status.get(case.status, 0) + 1
    click.echo(f"Demo council created around {on:%d %B %Y}: {len(result.cases)} cases, {len(result.users)} staff.")
    click.echo("  " + ", ".join(f"{status.label}: {by_status[status]}" for status in CaseStatus if status in by_status))
    _print_sign_ins(result.users, links)
    if result.delivery is not None:
        sent = result.delivery
        click.echo("")
        click.echo(
            f"A released bundle to open: case {sent.reference} ({sent.pages} pages), as the requester gets it. "
            "The link and the password are shown only now:"
        )
        click.echo(f"  download link: {sent.url}")
        click.echo(f"  PDF password:  {sent.password}")
