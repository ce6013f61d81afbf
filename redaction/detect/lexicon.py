"""Word lists behind name detection: first names with gender, word-names, titles and non-name words.

The first-name lexicon joins three sources, because case records name people from every
community the council serves:

* the ``names`` package (US census 1990 frequency lists, MIT licence);
* ``data/forenames.tsv``: the top first names of 33 countries (British, Irish, South Asian,
  Eastern European, African, Caribbean, Arabic-speaking, Kurdish, Chinese and Portuguese
  communities) from the ``names-dataset`` package (MIT licence), reduced at build time by
  ``data/build_forenames.py``, whose header records the source, version and date; names there
  that are also English words carry a ``w`` flag and join :data:`WORD_NAMES`;
* a hand-written supplement of British, Irish and South Asian forms both lists lack.

Everything is read from files inside the package: no network at run time.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

# Forenames common in UK case records that the US census lists do not carry (or carry only as
# rare female forms). Gender: F, M or "" when used for both.
_SUPPLEMENT: dict[str, str] = {
    # Irish and Scottish
    "aoife": "F",
    "aisling": "F",
    "ciara": "F",
    "niamh": "F",
    "saoirse": "F",
    "sinead": "F",
    "siobhan": "F",
    "roisin": "F",
    "orla": "F",
    "orlaith": "F",
    "grainne": "F",
    "eimear": "F",
    "mairead": "F",
    "deirdre": "F",
    "brid": "F",
    "aine": "F",
    "caoimhe": "F",
    "clodagh": "F",
    "fionnuala": "F",
    "maeve": "F",
    "una": "F",
    "nuala": "F",
    "sorcha": "F",
    "ailbhe": "F",
    "eilidh": "F",
    "isla": "F",
    "kirsty": "F",
    "morag": "F",
    "shona": "F",
    "catriona": "F",
    "mhairi": "F",
    "maire": "F",
    "dearbhla": "F",
    "blathnaid": "F",
    "ciaran": "M",
    "cian": "M",
    "conor": "M",
    "connor": "M",
    "cormac": "M",
    "darragh": "M",
    "declan": "M",
    "diarmuid": "M",
    "donal": "M",
    "eamon": "M",
    "eamonn": "M",
    "eoin": "M",
    "fergal": "M",
    "fionn": "M",
    "oisin": "M",
    "padraig": "M",
    "niall": "M",
    "ronan": "M",
    "ruairi": "M",
    "seamus": "M",
    "tadhg": "M",
    "cathal": "M",
    "colm": "M",
    "liam": "M",
    "shane": "M",
    "kieran": "M",
    "callum": "M",
    "hamish": "M",
    "euan": "M",
    "ewan": "M",
    "fraser": "M",
    "lachlan": "M",
    "alasdair": "M",
    "angus": "M",
    "senan": "M",
    "cillian": "M",
    "odhran": "M",
    "rory": "M",
    "brendan": "M",
    "aidan": "M",
    # English and Welsh forms and diminutives
    "alfie": "M",
    "archie": "M",
    "freddie": "M",
    "harvey": "M",
    "jayden": "M",
    "kai": "M",
    "leighton": "M",
    "lewis": "M",
    "reece": "M",
    "rhys": "M",
    "dylan": "M",
    "gareth": "M",
    "dafydd": "M",
    "owain": "M",
    "iwan": "M",
    "gethin": "M",
    "aled": "M",
    "ieuan": "M",
    "tomos": "M",
    "nigel": "M",
    "graham": "M",
    "trevor": "M",
    "clive": "M",
    "colin": "M",
    "derek": "M",
    "gavin": "M",
    "jamal": "M",
    "kyle": "M",
    "ollie": "M",
    "robbie": "M",
    "stuart": "M",
    "toby": "M",
    "tyrese": "M",
    "zak": "M",
    "bethan": "F",
    "cerys": "F",
    "ffion": "F",
    "megan": "F",
    "nia": "F",
    "rhiannon": "F",
    "sian": "F",
    "carys": "F",
    "gwen": "F",
    "elin": "F",
    "lowri": "F",
    "ceri": "F",
    "tegan": "F",
    "chantelle": "F",
    "charlene": "F",
    "demi": "F",
    "gemma": "F",
    "jodie": "F",
    "kayleigh": "F",
    "keeley": "F",
    "leanne": "F",
    "lizzie": "F",
    "paige": "F",
    "shannon": "F",
    "stacey": "F",
    "tash": "F",
    "tasha": "F",
    "zoe": "F",
    "poppy": "F",
    "imogen": "F",
    "phoebe": "F",
    "harriet": "F",
    "evie": "F",
    "millie": "F",
    "lily": "F",
    "elsie": "F",
    "freya": "F",
    "esme": "F",
    "maisie": "F",
    "libby": "F",
    "tilly": "F",
    "hollie": "F",
    "jade": "F",
    "kerry": "F",
    "nicola": "F",
    "joanne": "F",
    "lorraine": "F",
    "tracey": "F",
    "beverley": "F",
    "kimberley": "F",
    "siobhain": "F",
    "becky": "F",
    "bex": "F",
    "jess": "F",
    "liv": "F",
    "izzy": "F",
    "kez": "F",
    "kaz": "",
    "sam": "",
    "alex": "",
    "charlie": "",
    "jo": "",
    "chris": "",
    "danni": "F",
    "steph": "F",
    "vicky": "F",
    "trish": "F",
    "debs": "F",
    "mags": "F",
    "nell": "F",
    "fran": "F",
    "bev": "F",
    "kath": "F",
    "jen": "F",
    "abbie": "F",
    "abi": "F",
    "gabby": "F",
    "ellie": "F",
    "josie": "F",
    "lenny": "M",
    "kenny": "M",
    "robbo": "M",
    "gaz": "M",
    "baz": "M",
    "del": "M",
    "tel": "M",
    "mikey": "M",
    "mick": "M",
    "jonny": "M",
    "benji": "M",
    "theo": "M",
    "matty": "M",
    "jamie": "",
    "stevie": "",
    "alistair": "M",
    "alastair": "M",
    "rhian": "F",
    "nerys": "F",
    "ellis": "",
    "albie": "M",
    "arlo": "M",
    "luca": "M",
    "rowan": "",
    "harper": "F",
    "aria": "F",
    "arabella": "F",
    "ayla": "F",
    "sienna": "F",
    "darcey": "F",
    "darcie": "F",
    "jaxon": "M",
    "kayden": "M",
    "brodie": "",
    "mckenzie": "",
    "harley": "",
    "lacey": "F",
    "macy": "F",
    "tyler": "",
    # South Asian
    "aarav": "M",
    "aditya": "M",
    "ajay": "M",
    "amit": "M",
    "anil": "M",
    "arjun": "M",
    "arun": "M",
    "ashok": "M",
    "deepak": "M",
    "dev": "M",
    "harish": "M",
    "imran": "M",
    "jai": "M",
    "karan": "M",
    "krishna": "M",
    "mohammed": "M",
    "muhammad": "M",
    "mohammad": "M",
    "nikhil": "M",
    "pradeep": "M",
    "rahul": "M",
    "raj": "M",
    "rajesh": "M",
    "ravi": "M",
    "rohan": "M",
    "sachin": "M",
    "sanjay": "M",
    "sunil": "M",
    "vijay": "M",
    "vikram": "M",
    "vivek": "M",
    "yusuf": "M",
    "ali": "M",
    "hassan": "M",
    "hussain": "M",
    "omar": "M",
    "tariq": "M",
    "zain": "M",
    "bilal": "M",
    "faisal": "M",
    "kabir": "M",
    "ishaan": "M",
    "advik": "M",
    "reyansh": "M",
    "vihaan": "M",
    "aarush": "M",
    "dhruv": "M",
    "kunal": "M",
    "manish": "M",
    "naveen": "M",
    "pranav": "M",
    "rakesh": "M",
    "suresh": "M",
    "varun": "M",
    "yash": "M",
    "abhishek": "M",
    "ankit": "M",
    "aisha": "F",
    "amrita": "F",
    "ananya": "F",
    "anjali": "F",
    "anita": "F",
    "asha": "F",
    "deepa": "F",
    "divya": "F",
    "fatima": "F",
    "gita": "F",
    "kavita": "F",
    "lakshmi": "F",
    "meena": "F",
    "nisha": "F",
    "pooja": "F",
    "priya": "F",
    "priyanka": "F",
    "radha": "F",
    "rekha": "F",
    "sangeeta": "F",
    "shreya": "F",
    "sunita": "F",
    "usha": "F",
    "zara": "F",
    "ayesha": "F",
    "nadia": "F",
    "saira": "F",
    "samina": "F",
    "shabana": "F",
    "yasmin": "F",
    "aaradhya": "F",
    "diya": "F",
    "ishani": "F",
    "kavya": "F",
    "myra": "F",
    "saanvi": "F",
    "tanvi": "F",
    "anika": "F",
    "neha": "F",
    "ritu": "F",
    "swati": "F",
    "shweta": "F",
    "jaswinder": "",
    "harpreet": "",
    "gurpreet": "",
    "manpreet": "",
    "simran": "F",
    "navjot": "",
    # Other
    "kwame": "M",
    "kofi": "M",
    "chidi": "M",
    "emeka": "M",
    "tunde": "M",
    "femi": "",
    "ngozi": "F",
    "amara": "F",
    "chloe": "F",
    "ava": "F",
    "mia": "F",
    "ruby": "F",
    "amelia": "F",
    "jasmine": "F",
    "leah": "F",
    "tia": "F",
    "keira": "F",
    "kiera": "F",
    "skye": "F",
    "willow": "F",
    "aurora": "F",
    "noah": "M",
    "oliver": "M",
    "harry": "M",
    "jack": "M",
    "leo": "M",
    "oscar": "M",
    "finley": "M",
    "riley": "",
    "logan": "M",
    "mason": "M",
    "ethan": "M",
    "jake": "M",
    "josh": "M",
    "ashton": "M",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _read_forenames() -> tuple[dict[str, str], frozenset[str]]:
    """The generated lexicon: folded forename -> gender, and the names that are also words."""
    names: dict[str, str] = {}
    words: set[str] = set()
    text = resources.files("redaction.detect").joinpath("data/forenames.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, gender, flag, _countries = line.split("\t")
        names[name] = gender
        if flag == "w":
            words.add(name)
    return names, frozenset(words)


_FORENAMES, _FORENAME_WORDS = _read_forenames()


def _census_names() -> frozenset[str]:
    return frozenset(name for name, _ in _read_census("dist.female.first") + _read_census("dist.male.first"))


# Ordinary English words that are also forenames. Such a word is read as a name only where a name
# can stand: not at the start of a sentence on its own, and never when written in lower case.
WORD_NAMES: frozenset[str] = _words(
    """
    will mark jack frank guy bill miles chase drew rob ray grant dean glen hunter mason carter cole reed wade
    lane dale rich sterling pat sue gene art don major king duke earl baron noble sonny rusty woody buck cliff
    rocky colt august sunny joy hope grace faith rose dawn april may june summer autumn holly ivy ruby amber
    pearl crystal heather iris violet jasmine hazel olive poppy sky rain storm daisy lily fern jade honey
    patience constance prudence harmony melody candy ginger brandy penny misty destiny charity mercy felicity
    precious angel star bliss lane young love long early bishop rex sage robin wren peace jewel opal ebony
    cherry skye river dusty lance pierce nick mike norm stew tom jimmy bob dick kit jean christian victor
    price carol joyce hazel mercedes marina bonnie page paige gay pansy hero tiger
    """
)

TITLES: dict[str, str] = {
    "mr": "M",
    "mrs": "F",
    "ms": "F",
    "miss": "F",
    "mx": "",
    "dr": "",
    "prof": "",
    "rev": "",
    "revd": "",
    "sir": "M",
    "dame": "F",
    "lady": "F",
    "lord": "M",
    "cllr": "",
    "pc": "",
    "dc": "",
    "ds": "",
    "di": "",
    "dci": "",
    "dsi": "",
    "sgt": "",
    "insp": "",
    "psi": "",
    "pcso": "",
    "supt": "",
    "nurse": "",
    "imam": "M",
    "recorder": "",
    "judge": "",
    # family words written as a title: "Uncle Yaw", "Auntie Mei", "Nana Akosua"
    "uncle": "M",
    "auntie": "F",
    "aunty": "F",
    "aunt": "F",
    "nana": "F",
    "grandad": "M",
    "grandma": "F",
    "granny": "F",
}

# Capitalised words that follow or precede a forename without being part of a person's name:
# places, organisations, document labels, weekdays and months. A forename followed by one of
# these is part of a place or organisation name ("Florence Road", "Faith Academy").
NOT_NAME: frozenset[str] = _words(
    """
    road street avenue close drive lane crescent grove way terrace court gardens walk mews rise view place
    square parade wharf quay common fold gate gates estate house tower towers flats flat block lodge cottage
    cottages farm manor centre center building buildings school academy college primary nursery university
    high infant infants junior juniors grammar council borough county city town district police constabulary
    service services team unit trust hospital surgery practice clinic health nhs camhs department dept office
    ltd limited plc group partnership project programme foundation society association church chapel mosque
    temple club station monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december dob nhs no tel mob mobile email address phone ref
    upn age year yr date name names person people staff social worker manager family support care carer carers
    child children commission committee board authority agency tribunal ministry act regulations guidance
    directorate royal mon tue tues wed thu thur thurs fri sat sun
    mother father parent parents referrer referral report review plan conference meeting record note notes
    summary assessment order and or the of for to in on at by with from mum dad nan nana grandad grandma gran
    applicant applicants respondent respondents appellant claimant defendant intervener solicitors solicitor llp
    chambers barristers counsel citation number hearing hearings judgment judgement management directions
    proceedings partner partners park homes cafcass library airport caller callers informant referrers
    """
) | _words(
    # peoples, nationalities and faiths: "the Irish Traveller community", "a Romanian woman". Those
    # that are also surnames or forenames (English, Welsh, Irish, Slovak, Roma, ...) are left out:
    # "Sam Welsh" is a person, and a forename before one of these words is read as a place's
    """
    scottish polish lithuanian latvian romanian hungarian bulgarian pakistani indian bangladeshi kashmiri
    punjabi gujarati nigerian ghanaian zimbabwean kenyan somali eritrean ethiopian sudanese caribbean african
    european asian arabic kurdish chinese portuguese brazilian angolan afghan iranian iraqi syrian turkish
    traveller travellers gypsy gypsies hindu sikh jewish
    """
)

_MONTHS = _words(
    """
    january february march april may june july august september october november december jan feb mar apr jun
    jul aug sep sept oct nov dec
    """
)


# letters that Unicode does not decompose into a base letter and an accent: "Łukasz" is "lukasz"
_UNDECOMPOSED = str.maketrans("łøđħŧı", "lodhti")


def fold(word: str) -> str:
    """Lower-case and strip accents, so "Seán" and "SEAN" meet on one key."""
    lowered = word.lower()
    if lowered.isascii():
        return lowered
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_UNDECOMPOSED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


MONTHS = _MONTHS


def is_month(word: str) -> bool:
    return fold(word) in _MONTHS


def _read_census(filename: str) -> list[tuple[str, float]]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    rows = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 2:
            rows.append((parts[0].lower(), float(parts[1])))
    return rows


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Folded forename -> "F", "M" or "" (used for both)."""
    female = dict(_read_census("dist.female.first"))
    male = dict(_read_census("dist.male.first"))
    out: dict[str, str] = {}
    for name in female.keys() | male.keys():
        f, m = female.get(name, 0.0), male.get(name, 0.0)
        # A name counts as one gender only when the other gender rarely uses it.
        if f > 4 * m:
            out[name] = "F"
        elif m > 4 * f:
            out[name] = "M"
        else:
            out[name] = ""
    for name, gender in _FORENAMES.items():
        # the census's gender split is measured on more people than the dataset's for its names
        if name not in out and name not in NOT_NAME and name not in TITLES and name not in _MONTHS:
            out[name] = gender
    for name, gender in _SUPPLEMENT.items():
        out[name] = gender
    return out


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Folded surnames from the census list, used only to back up other evidence of a name."""
    return frozenset(name for name, _ in _read_census("dist.all.last"))


def gender_of_first_name(name: str) -> str:
    return first_names().get(fold(name), "")


# Names new to the lexicon from the dataset that are also English words ("Blessing", "Precious")
# get the word-name position rules; names the census lists already had keep their treatment.
WORD_NAMES = WORD_NAMES | (_FORENAME_WORDS - _census_names() - frozenset(_SUPPLEMENT))


def _read_word_names() -> frozenset[str]:
    """Rare census forenames that are everyday English words (generated by build_word_names.py)."""
    text = resources.files("redaction.detect").joinpath("data/word_names.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


# Rare census forenames that are English words ("foster", "many", "autumn"): they read as words in
# a heading or a field's value ("Foster carer's log - ...", "Venue: Foster home"), and, with the
# word-names, when they open a label or a closing ("Young person: ...", "Many thanks,").
RARE_WORD_NAMES: frozenset[str] = _read_word_names()
HEADING_WORDS: frozenset[str] = WORD_NAMES | RARE_WORD_NAMES
