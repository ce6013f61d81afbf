"""Invented people and places for the demo council's case registers.

The demo council serves an invented county: the towns, streets and postcodes below are made up
(the ``ZX`` postcode area does not exist), phone numbers come from Ofcom's drama ranges and
email addresses are at example.org.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sar.demo_data import identifiers

FIRST_NAMES_F = (
    "Amelia",
    "Aisha",
    "Chloe",
    "Ella",
    "Freya",
    "Grace",
    "Hannah",
    "Imogen",
    "Jade",
    "Kayleigh",
    "Leah",
    "Maya",
    "Nadia",
    "Olivia",
    "Poppy",
    "Ruby",
    "Sofia",
    "Tia",
    "Zara",
    "Bethany",
    "Courtney",
    "Demi",
    "Elif",
    "Fatima",
    "Gemma",
    "Harriet",
    "Iqra",
    "Jasmine",
    "Keira",
    "Lacey",
    "Maryam",
    "Niamh",
    "Priya",
    "Roxanne",
    "Shannon",
    "Tanisha",
    "Wiktoria",
    "Yasmin",
)
FIRST_NAMES_M = (
    "Aaron",
    "Ben",
    "Callum",
    "Declan",
    "Ethan",
    "Finley",
    "George",
    "Harvey",
    "Isaac",
    "Jayden",
    "Kai",
    "Liam",
    "Mason",
    "Nathan",
    "Oliver",
    "Reece",
    "Samuel",
    "Tyler",
    "Usman",
    "Zac",
    "Bilal",
    "Connor",
    "Dylan",
    "Elliot",
    "Frankie",
    "Hamza",
    "Jake",
    "Kacper",
    "Lewis",
    "Mohammed",
    "Owen",
    "Riley",
    "Theo",
    "Tomasz",
    "Wayne",
    "Yusuf",
)
SURNAMES = (
    "Ashworth",
    "Bailey",
    "Begum",
    "Bennett",
    "Brennan",
    "Carter",
    "Chaudhry",
    "Clarke",
    "Dawson",
    "Doyle",
    "Evans",
    "Fletcher",
    "Foster",
    "Gallagher",
    "Hartley",
    "Hussain",
    "Jackson",
    "Kowalski",
    "Lambert",
    "Lister",
    "Mahmood",
    "Marsden",
    "McCarthy",
    "Nowak",
    "Okafor",
    "Oldroyd",
    "Patel",
    "Pearson",
    "Quinn",
    "Rahman",
    "Riley",
    "Shaw",
    "Sutcliffe",
    "Taylor",
    "Thornton",
    "Walsh",
    "Whitaker",
    "Wood",
    "Yilmaz",
    "Adeyemi",
    "Barker",
    "Crowther",
    "Duffy",
    "Haigh",
    "Iqbal",
    "Mensah",
    "Rhodes",
    "Sykes",
)
NICKNAMES = {
    "Samuel": "Sam",
    "Oliver": "Ollie",
    "Nathan": "Nate",
    "Benjamin": "Ben",
    "Callum": "Cal",
    "Elliot": "El",
    "Jasmine": "Jas",
    "Harriet": "Hattie",
    "Olivia": "Liv",
    "Mohammed": "Mo",
    "Kayleigh": "Kay",
    "Frankie": "Frank",
    "Bethany": "Beth",
    "Imogen": "Immy",
    "Zachary": "Zac",
}

TOWNS = (
    ("Brambleford", "ZX1"),
    ("Brambleford", "ZX2"),
    ("Kettlewick", "ZX4"),
    ("Oakhollow", "ZX5"),
    ("Fernleigh Vale", "ZX6"),
    ("Marshcombe", "ZX7"),
    ("Netherby Cross", "ZX8"),
    ("Holmwick", "ZX9"),
)
STREETS = (
    "Elm Road",
    "Mill Lane",
    "Canal Street",
    "Victoria Terrace",
    "Rowan Close",
    "Chapel Street",
    "Moor View",
    "Beech Avenue",
    "Station Road",
    "Hawthorn Drive",
    "Albert Street",
    "Weavers Court",
    "Foundry Walk",
    "Primrose Hill",
    "Larch Grove",
    "Tanners Row",
    "Kestrel Way",
    "Quarry Bank",
    "Orchard Rise",
    "Linden Mews",
)
_POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"

# Professional organisations in the demo county.
COUNCIL_ORG = "Example Council Children's Services"
SCHOOLS = (
    "Brambleford Primary School",
    "Kettlewick Academy",
    "Oakhollow Church of England Primary School",
    "Fernleigh Vale High School",
    "Marshcombe Community College",
)
GP_SURGERIES = ("Canal Street Surgery", "Oakhollow Medical Practice", "Kettlewick Health Centre")
POLICE_FORCE = "Exampleshire Police"
HEALTH_TRUST = "Exampleshire Community Health NHS Trust"


@dataclass
class DemoPerson:
    """One entry in a demo case register (the shape of people.json, before the service canonicalises it)."""

    full_name: str
    relationship: str = ""
    date_of_birth: date | None = None
    aliases: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    nhs_number: str | None = None
    ni_number: str | None = None
    job_title: str = ""
    organisation: str = ""
    consent_obtained: bool | None = None

    @property
    def first_name(self) -> str:
        return self.full_name.split()[0]

    @property
    def surname(self) -> str:
        return self.full_name.split()[-1]


class PeopleFactory:
    """Makes invented people from one seeded random source, so the demo is the same every time."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self._used_names: set[str] = set()

    # --- building blocks ---------------------------------------------------------------------------

    def first_name(self, sex: str | None = None) -> str:
        sex = sex or self.rng.choice("fm")
        return self.rng.choice(FIRST_NAMES_F if sex == "f" else FIRST_NAMES_M)

    def name(self, sex: str | None = None, surname: str | None = None, middle: bool = False) -> str:
        for _ in range(50):
            sex_here = sex or self.rng.choice("fm")
            parts = [self.first_name(sex_here)]
            if middle:
                parts.append(self.first_name(sex_here))
            parts.append(surname or self.rng.choice(SURNAMES))
            candidate = " ".join(parts)
            if candidate not in self._used_names:
                self._used_names.add(candidate)
                return candidate
        return candidate

    def address(self) -> str:
        town, district = self.rng.choice(TOWNS)
        inward = f"{self.rng.randrange(1, 10)}{self.rng.choice(_POSTCODE_LETTERS)}{self.rng.choice(_POSTCODE_LETTERS)}"
        number = self.rng.randrange(1, 140)
        flat = f"Flat {self.rng.randrange(1, 9)}, " if self.rng.random() < 0.15 else ""
        return f"{flat}{number} {self.rng.choice(STREETS)}, {town}, {district} {inward}"

    def date_of_birth(self, age_years: int) -> date:
        return self.today - timedelta(days=age_years * 365 + self.rng.randrange(0, 360))

    def email_for(self, full_name: str) -> str:
        first, last = full_name.split()[0].lower(), full_name.split()[-1].lower()
        style = self.rng.randrange(3)
        local = {0: f"{first}.{last}", 1: f"{first[0]}{last}{self.rng.randrange(10, 99)}", 2: f"{first}{last}"}[style]
        return f"{local}@example.org"

    def work_email_for(self, full_name: str) -> str:
        first, last = full_name.split()[0].lower(), full_name.split()[-1].lower()
        return f"{first}.{last}@example.org"

    # --- people ------------------------------------------------------------------------------------

    def subject(self, age_years: int, sex: str | None = None, surname: str | None = None) -> DemoPerson:
        sex = sex or self.rng.choice("fm")
        full_name = self.name(sex, surname=surname, middle=self.rng.random() < 0.6)
        first = full_name.split()[0]
        aliases = [NICKNAMES[first]] if first in NICKNAMES else []
        aliases.append("".join(part[0] for part in full_name.split()))  # initials, as records often use them
        adult = age_years >= 16
        return DemoPerson(
            full_name=full_name,
            date_of_birth=self.date_of_birth(age_years),
            aliases=aliases,
            addresses=[self.address()],
            phones=[identifiers.mobile_number(self.rng)] if age_years >= 12 else [],
            emails=[self.email_for(full_name)] if adult else [],
            nhs_number=identifiers.nhs_number(self.rng),
            ni_number=identifiers.ni_number(self.rng) if adult else None,
        )

    def relative(self, relationship: str, sex: str, age_years: int, surname: str | None = None) -> DemoPerson:
        full_name = self.name(sex, surname=surname)
        person = DemoPerson(full_name=full_name, relationship=relationship)
        # The register is deliberately incomplete, as real ones are.
        if self.rng.random() < 0.7:
            person.date_of_birth = self.date_of_birth(age_years)
        if age_years >= 16 and self.rng.random() < 0.8:
            person.addresses = [self.address()]
        if age_years >= 16 and self.rng.random() < 0.6:
            person.phones = [
                identifiers.mobile_number(self.rng)
                if self.rng.random() < 0.8
                else identifiers.landline_number(self.rng)
            ]
        if age_years >= 16 and self.rng.random() < 0.3:
            person.emails = [self.email_for(full_name)]
        if self.rng.random() < 0.2:
            person.nhs_number = identifiers.nhs_number(self.rng)
        return person

    def professional(self, job_title: str, organisation: str) -> DemoPerson:
        full_name = self.name()
        relationship = job_title.lower()
        person = DemoPerson(
            full_name=full_name, relationship=relationship, job_title=job_title, organisation=organisation
        )
        if self.rng.random() < 0.8:
            person.emails = [self.work_email_for(full_name)]
        if self.rng.random() < 0.9:
            person.phones = [identifiers.landline_number(self.rng)]
        return person

    def professionals_around_a_child(self, count: int) -> list[DemoPerson]:
        choices = [
            ("Social Worker", COUNCIL_ORG),
            ("Independent Reviewing Officer", COUNCIL_ORG),
            ("Team Manager", COUNCIL_ORG),
            ("Family Support Worker", COUNCIL_ORG),
            ("Class Teacher", self.rng.choice(SCHOOLS)),
            ("Designated Safeguarding Lead", self.rng.choice(SCHOOLS)),
            ("General Practitioner", self.rng.choice(GP_SURGERIES)),
            ("Health Visitor", HEALTH_TRUST),
            ("School Nurse", HEALTH_TRUST),
            ("Police Constable", POLICE_FORCE),
            ("Detective Constable", POLICE_FORCE),
        ]
        self.rng.shuffle(choices)
        # A social worker is always on the file.
        picked = [("Social Worker", COUNCIL_ORG)] + [c for c in choices if c[0] != "Social Worker"][: count - 1]
        return [self.professional(title, org) for title, org in picked]
