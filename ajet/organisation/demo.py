"""The demo world of `seed_demo` (and of the benchmark): members, chapters and two councils.

Everything that is chosen at random comes from `random.Random(seed)`, so the same arguments give the same
people; dates are laid out around today so that the current council is current whenever the demo is built.
The writes use `bulk_create`, so 5,800 members and 50 chapters take a few seconds on SQLite.

It lives in `organisation`, which sits above `people`, because it builds both; it is a tool for a fresh
database, not part of the domain, and nothing in the site imports it.
"""

import datetime
import random
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ajet.organisation import signals
from ajet.organisation.geography import block_map_on
from ajet.organisation.models import Chapter, ChapterMembership, Post, Prefecture, Term
from ajet.people.models import Member, User

DEMO_PASSWORD = "ajet-demo-2026"  # noqa: S105 - printed for everyone: demo sites only
DEMO_DOMAIN = "demo.ajet.example"
# Base32, shared by every demo officer: `manage.py demo_totp EMAIL` turns it into today's code.
DEMO_TOTP_SECRET = "AJETDEMOAJETDEMOAJETDEMOAJETDEMO"  # noqa: S105 - public on purpose
DEFAULT_MEMBERS = 300
DEFAULT_CHAPTERS = 24
DEFAULT_SEED = 2026

HOME_PREFECTURE = "11"  # Saitama, block 3: the demo member, the pending sign-up and their officers live here
HOME_BLOCK = 3


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    full_name: str
    prefecture: str
    position: str = Member.Position.ALT
    status: str = Member.Status.CURRENT
    officer: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("member", f"member@{DEMO_DOMAIN}", "Maya Thompson", HOME_PREFECTURE),
    DemoAccount("pending member", f"pending@{DEMO_DOMAIN}", "Pablo Fernández", HOME_PREFECTURE,
                status=Member.Status.PENDING),
    DemoAccount("chapter officer", f"chapter-officer@{DEMO_DOMAIN}", "Chloe Nakamura-Reid", HOME_PREFECTURE,
                officer=True),
    DemoAccount("block representative", f"block-rep@{DEMO_DOMAIN}", "Kwame Osei", HOME_PREFECTURE, officer=True),
    DemoAccount("executive", f"executive@{DEMO_DOMAIN}", "Emily Sato", "13", officer=True),
    DemoAccount("CIR representative", f"cir-rep@{DEMO_DOMAIN}", "Camille Dubois", "01",
                position=Member.Position.CIR, officer=True),
    DemoAccount("PSG coordinator", f"psg-coordinator@{DEMO_DOMAIN}", "Priya Raman", "27", officer=True),
)
DEMO_EMAILS = frozenset(account.email for account in DEMO_ACCOUNTS)

# Where JET participants concentrate (relative weights; every prefecture gets some).
PREFECTURE_WEIGHTS = {
    "01": 4.0, "02": 1.6, "03": 1.6, "04": 1.4, "05": 1.3, "06": 1.3, "07": 1.6, "08": 1.4, "09": 1.2,
    "10": 1.3, "11": 2.0, "12": 1.4, "13": 2.4, "14": 1.4, "15": 2.0, "16": 1.0, "17": 1.2, "18": 1.1,
    "19": 1.0, "20": 2.2, "21": 1.5, "22": 1.6, "23": 1.6, "24": 1.1, "25": 1.0, "26": 1.6, "27": 2.0,
    "28": 3.0, "29": 1.0, "30": 0.9, "31": 0.9, "32": 1.2, "33": 1.3, "34": 1.6, "35": 1.1, "36": 1.0,
    "37": 0.9, "38": 1.2, "39": 1.0, "40": 2.0, "41": 1.1, "42": 1.3, "43": 2.0, "44": 1.1, "45": 1.2,
    "46": 2.0, "47": 1.5,
}

# A few cities per prefecture, for contracting organisations and city chapters.
CITIES = {
    "01": ["Sapporo", "Asahikawa", "Hakodate", "Obihiro"], "02": ["Aomori", "Hirosaki", "Hachinohe"],
    "03": ["Morioka", "Ichinoseki", "Hanamaki"], "04": ["Sendai", "Ishinomaki"], "05": ["Akita", "Yokote"],
    "06": ["Yamagata", "Tsuruoka"], "07": ["Fukushima", "Koriyama", "Aizuwakamatsu"], "08": ["Mito", "Tsukuba"],
    "09": ["Utsunomiya", "Nikko"], "10": ["Maebashi", "Takasaki"], "11": ["Saitama", "Kawagoe", "Tokorozawa"],
    "12": ["Chiba", "Funabashi"], "13": ["Hachioji", "Machida", "Setagaya"],
    "14": ["Yokohama", "Kawasaki", "Sagamihara"], "15": ["Niigata", "Nagaoka", "Joetsu"],
    "16": ["Toyama", "Takaoka"], "17": ["Kanazawa", "Komatsu"], "18": ["Fukui", "Tsuruga"],
    "19": ["Kofu", "Fujiyoshida"], "20": ["Nagano", "Matsumoto", "Ueda"], "21": ["Gifu", "Takayama"],
    "22": ["Shizuoka", "Hamamatsu", "Numazu"], "23": ["Nagoya", "Toyota", "Okazaki"],
    "24": ["Tsu", "Yokkaichi", "Ise"], "25": ["Otsu", "Hikone"], "26": ["Kyoto", "Uji", "Maizuru"],
    "27": ["Osaka", "Sakai", "Toyonaka"], "28": ["Kobe", "Himeji", "Nishinomiya"],
    "29": ["Nara", "Kashihara"], "30": ["Wakayama", "Tanabe"], "31": ["Tottori", "Yonago"],
    "32": ["Matsue", "Izumo"], "33": ["Okayama", "Kurashiki"], "34": ["Hiroshima", "Fukuyama", "Onomichi"],
    "35": ["Yamaguchi", "Shimonoseki"], "36": ["Tokushima", "Naruto"], "37": ["Takamatsu", "Marugame"],
    "38": ["Matsuyama", "Imabari"], "39": ["Kochi", "Shimanto"], "40": ["Fukuoka", "Kitakyushu", "Kurume"],
    "41": ["Saga", "Karatsu"], "42": ["Nagasaki", "Sasebo"], "43": ["Kumamoto", "Yatsushiro"],
    "44": ["Oita", "Beppu"], "45": ["Miyazaki", "Nobeoka"], "46": ["Kagoshima", "Kirishima"],
    "47": ["Naha", "Okinawa", "Ishigaki"],
}

# Given and family names by where people come from; most people keep one tradition, some mix.
NAMES = {
    "anglophone": (
        ["Emma", "Olivia", "Hannah", "Grace", "Sophie", "Abigail", "Megan", "Lauren", "Rachel", "Claire",
         "Jessica", "Katie", "Molly", "Isla", "Chloe", "James", "Liam", "Noah", "Ethan", "Jack", "Ryan",
         "Connor", "Daniel", "Matthew", "Tyler", "Owen", "Callum", "Nathan", "Sean", "Brendan", "Lachlan"],
        ["Smith", "Johnson", "Williams", "Brown", "Taylor", "Wilson", "Anderson", "Thompson", "White",
         "Harris", "Clarke", "Walker", "Robinson", "Wright", "Campbell", "Murphy", "O'Brien", "Kelly",
         "MacDonald", "Stewart", "Fraser", "Hughes", "Evans", "Morgan", "Bennett", "Cooper", "Reid", "Hayes"],
    ),
    "japanese_heritage": (
        ["Kenji", "Emi", "Naomi", "Kai", "Hana", "Ryo", "Mika", "Kenta", "Aiko", "Sora", "Yuki", "Daisuke",
         "Marina", "Leo", "Erika", "Akira", "Mari"],
        ["Tanaka", "Nakamura", "Yamamoto", "Sato", "Suzuki", "Takahashi", "Watanabe", "Ito", "Kobayashi",
         "Yoshida", "Yamada", "Inoue", "Kimura", "Hayashi", "Matsumoto", "Shimizu", "Okada", "Fujita",
         "Nishimura", "Higa", "Oshiro", "Miyashiro"],
    ),
    "filipino": (
        ["Angelica", "Jasmine", "Patricia", "Kristine", "Mark", "Joshua", "Paolo", "Miguel", "Bea", "Carlo"],
        ["Santos", "Reyes", "Cruz", "Bautista", "Garcia", "Mendoza", "Villanueva", "Dela Cruz", "Aquino",
         "Ramos"],
    ),
    "latin": (
        ["Sofía", "Valentina", "Camila", "Lucía", "Mariana", "Gabriela", "Mateo", "Santiago", "Diego",
         "Rafael", "Thiago", "Joaquín", "Ana", "Luiza", "João", "Beatriz"],
        ["García", "Martínez", "Rodríguez", "López", "Hernández", "Gómez", "Silva", "Oliveira", "Souza",
         "Pereira", "Costa", "Alves", "Fernández", "Torres", "Vargas", "Castillo"],
    ),
    "francophone": (
        ["Camille", "Manon", "Léa", "Chloé", "Juliette", "Lucas", "Hugo", "Louis", "Théo", "Étienne",
         "Amélie", "Mathieu"],
        ["Dubois", "Martin", "Bernard", "Lefebvre", "Moreau", "Laurent", "Girard", "Roux", "Fontaine",
         "Tremblay", "Gagnon", "Côté", "Bouchard"],
    ),
    "germanic_nordic": (
        ["Anna", "Lena", "Johanna", "Freya", "Ingrid", "Astrid", "Lukas", "Felix", "Jonas", "Niklas",
         "Erik", "Sven", "Mats"],
        ["Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker", "Hoffmann", "Johansson",
         "Andersson", "Nielsen", "Hansen", "Virtanen", "Berg", "de Vries", "Janssen"],
    ),
    "south_asian": (
        ["Priya", "Ananya", "Aisha", "Sana", "Nisha", "Arjun", "Rohan", "Vikram", "Imran", "Ravi", "Kiran",
         "Tariq"],
        ["Patel", "Sharma", "Singh", "Kumar", "Gupta", "Khan", "Iyer", "Reddy", "Chaudhry", "Perera",
         "Fernando", "Rahman"],
    ),
    "african": (
        ["Amara", "Chiamaka", "Ngozi", "Adaeze", "Zanele", "Thandiwe", "Wanjiru", "Kwame", "Kofi", "Chinedu",
         "Tendai", "Sipho", "Oluwaseun", "Yaw"],
        ["Okafor", "Adeyemi", "Mensah", "Osei", "Boateng", "Nkosi", "Dlamini", "Mwangi", "Otieno",
         "Okonkwo", "Achterberg", "Mokoena", "Asante"],
    ),
    "east_asian": (
        ["Mei", "Jia", "Xin", "Wei", "Hao", "Min-jun", "Ji-woo", "Seo-yeon", "Hyun", "Linh", "Minh", "Thao",
         "Jun"],
        ["Chen", "Wang", "Li", "Zhang", "Liu", "Wong", "Kim", "Lee", "Park", "Choi", "Nguyen", "Tran", "Pham",
         "Lin", "Huang"],
    ),
    "caribbean_pacific": (
        ["Shanice", "Keisha", "Tatiana", "Malik", "Andre", "Marlon", "Leilani", "Tane", "Mere", "Sione"],
        ["Campbell", "Francis", "Joseph", "Charles", "Baptiste", "Ngata", "Tuilagi", "Fonoti", "Parata",
         "Henry"],
    ),
    "eastern_european": (
        ["Katarzyna", "Zofia", "Alina", "Daria", "Milena", "Piotr", "Tomasz", "Andrei", "Mihai", "Ivan",
         "Luka"],
        ["Kowalski", "Nowak", "Wiśniewska", "Popescu", "Ionescu", "Horvat", "Novak", "Petrov", "Kovač",
         "Dvořák"],
    ),
}
# Roughly who comes on JET: mostly the anglophone countries, with people from everywhere.
NAME_ORIGIN_WEIGHTS = {
    "anglophone": 46, "japanese_heritage": 8, "filipino": 6, "latin": 6, "francophone": 5,
    "germanic_nordic": 4, "south_asian": 6, "african": 6, "east_asian": 7, "caribbean_pacific": 4,
    "eastern_european": 2,
}

INTERESTS = [
    "runs the town's English club", "hikes a new mountain every month", "is learning taiko",
    "organises the prefecture's charity run", "writes the chapter newsletter", "plays in a local futsal team",
    "is studying for JLPT N2", "volunteers at the international centre", "bakes for every staff room",
    "coaches the school's debate team", "photographs local festivals", "cycles to three schools a week",
    "teaches a community Portuguese class", "helps new arrivals find their feet", "sings in a city choir",
]
COUNCIL_PLEDGES = [
    "wants every member to know who to call when things get hard",
    "is working on clearer information for new arrivals",
    "brings members' questions to the sponsors' meetings",
    "keeps the chapters of the area talking to each other",
    "cares about fair treatment for ALTs on every kind of contract",
    "is building a handbook so that next year's council starts running",
]
CHAPTER_OFFICER_POSTS = [
    # slug, English, Japanese, kind, order; the first two exist in every chapter
    ("president", "President", "会長", Post.Kind.ELECTED, 1),
    ("treasurer", "Treasurer", "会計", Post.Kind.ELECTED, 3),
    ("vice-president", "Vice-President", "副会長", Post.Kind.ELECTED, 2),
    ("events-coordinator", "Events Coordinator", "イベント担当", Post.Kind.APPOINTED, 4),
    ("secretary", "Secretary", "書記", Post.Kind.ELECTED, 5),
]


@dataclass(frozen=True)
class ChapterSpec:
    name: str
    slug: str
    kind: str
    codes: tuple[str, ...]
    city: str = ""


@dataclass
class Person:
    email: str
    full_name: str
    prefecture: str
    position: str
    status: str
    year_on_jet: int
    jet_start_date: datetime.date
    arrival_group: str
    organisation: str
    city: str
    language: str = "en"
    jet_number: str | None = None
    signed_up_days_ago: int = 0
    bio: str = ""
    user: User | None = None
    member: Member | None = None


@dataclass
class DemoSummary:
    members: int = 0
    chapters: int = 0
    pending: int = 0
    terms: int = 0
    prefectures: int = 0
    by_position: dict[str, int] = field(default_factory=dict)


def council_year_start(day: datetime.date) -> datetime.date:
    """The first day of the council year that `day` falls in."""
    month = settings.AJET_COUNCIL_YEAR_START_MONTH
    year = day.year if day.month >= month else day.year - 1
    return datetime.date(year, month, 1)


def chapter_catalogue() -> list[ChapterSpec]:
    """Every chapter the demo can build, in the order they are picked (the first N are used)."""
    names = {p.code: p.name_en for p in Prefecture.objects.all()}
    regional = ChapterSpec("San'in AJET", "sanin", Chapter.Kind.REGION, ("31", "32"))
    cities = [
        ChapterSpec("Sapporo AJET", "sapporo", Chapter.Kind.CITY, ("01",), "Sapporo"),
        ChapterSpec("Osaka City AJET", "osaka-city", Chapter.Kind.CITY, ("27",), "Osaka"),
        ChapterSpec("Kobe City AJET", "kobe-city", Chapter.Kind.CITY, ("28",), "Kobe"),
        ChapterSpec("Fukuoka City AJET", "fukuoka-city", Chapter.Kind.CITY, ("40",), "Fukuoka"),
        ChapterSpec("Nagoya AJET", "nagoya", Chapter.Kind.CITY, ("23",), "Nagoya"),
        ChapterSpec("Yokohama AJET", "yokohama", Chapter.Kind.CITY, ("14",), "Yokohama"),
        ChapterSpec("Sendai AJET", "sendai", Chapter.Kind.CITY, ("04",), "Sendai"),
        ChapterSpec("Hiroshima City AJET", "hiroshima-city", Chapter.Kind.CITY, ("34",), "Hiroshima"),
        ChapterSpec("Kyoto City AJET", "kyoto-city", Chapter.Kind.CITY, ("26",), "Kyoto"),
        ChapterSpec("Kitakyushu AJET", "kitakyushu", Chapter.Kind.CITY, ("40",), "Kitakyushu"),
    ]
    by_weight = sorted(
        (code for code in names if code not in regional.codes),
        key=lambda code: (code != HOME_PREFECTURE, -PREFECTURE_WEIGHTS.get(code, 1.0), code),
    )
    prefectural = [
        ChapterSpec(f"{names[code]} AJET", slugify(names[code]), Chapter.Kind.PREFECTURE, (code,))
        for code in by_weight
    ]
    return [regional, *cities[:2], *prefectural, *cities[2:]]


def _allocate(total: int, weights: dict[str, float]) -> dict[str, int]:
    """Split `total` over the keys by weight (largest remainder), at least one each when there are enough."""
    keys = sorted(weights)
    floor = 1 if total >= len(keys) else 0
    rest = total - floor * len(keys)
    weight_sum = sum(weights.values())
    shares = {key: rest * weights[key] / weight_sum for key in keys}
    counts = {key: floor + int(shares[key]) for key in keys}
    leftover = total - sum(counts.values())
    for key in sorted(keys, key=lambda k: (-(shares[k] - int(shares[k])), k))[:leftover]:
        counts[key] += 1
    return counts


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _email_local_part(full_name: str) -> str:
    return ".".join(part for part in (_ascii(word).replace("'", "") for word in full_name.split()) if part)


def _organisation(rng: random.Random, code: str, prefecture_name: str, position: str) -> tuple[str, str]:
    city = rng.choice(CITIES[code])
    prefectural = {"01": "Hokkaido", "13": "Tokyo Metropolitan"}.get(code, f"{prefecture_name} Prefectural")
    if position == Member.Position.CIR:
        if rng.random() < 0.5:
            return f"{prefectural} Government, International Affairs Division", ""
        return f"{city} City Hall, International Exchange Division", city
    if position == Member.Position.SEA:
        return f"{city} City Sports Promotion Division", city
    if rng.random() < 0.4:
        return f"{prefectural} Board of Education", ""
    return f"{city} City BOE", city


def _jet_cohort_year(day: datetime.date) -> int:
    """JET years start with the summer arrivals (late July / early August)."""
    return day.year if day >= datetime.date(day.year, 7, 25) else day.year - 1


def plan_people(*, members: int, seed: int, today: datetime.date) -> list[Person]:
    """Who the demo members are: the same list for the same `members` and `seed`."""
    rng = random.Random(seed)
    names = {p.code: p.name_en for p in Prefecture.objects.all()}
    cohort = _jet_cohort_year(today)
    generated = max(members - len(DEMO_ACCOUNTS), 0)
    per_prefecture = _allocate(generated, {code: PREFECTURE_WEIGHTS.get(code, 1.0) for code in names})
    codes = [code for code in sorted(per_prefecture) for _ in range(per_prefecture[code])]

    cirs = round(generated * 0.09)
    seas = max(min(generated, 3), round(generated * 0.015)) if generated >= 10 else 0
    positions = [Member.Position.CIR] * cirs + [Member.Position.SEA] * seas
    positions += [Member.Position.ALT] * (generated - len(positions))
    rng.shuffle(positions)
    pending = round(generated * 0.05) if generated >= 40 else min(generated, 2)
    alumni = round(generated * 0.08)
    left = round(generated * 0.015)
    statuses = [Member.Status.PENDING] * pending + [Member.Status.ALUMNI] * alumni + [Member.Status.LEFT] * left
    statuses += [Member.Status.CURRENT] * (generated - len(statuses))
    rng.shuffle(statuses)

    origins = list(NAME_ORIGIN_WEIGHTS)
    origin_weights = [NAME_ORIGIN_WEIGHTS[origin] for origin in origins]
    used_emails = set(DEMO_EMAILS)
    used_jet_numbers: set[str] = set()
    people = []
    for code, position, status in zip(codes, positions, statuses, strict=True):
        origin = rng.choices(origins, origin_weights)[0]
        family_origin = origin if rng.random() < 0.8 else rng.choices(origins, origin_weights)[0]
        full_name = f"{rng.choice(NAMES[origin][0])} {rng.choice(NAMES[family_origin][1])}"
        local = _email_local_part(full_name)
        email, suffix = f"{local}@{DEMO_DOMAIN}", 2
        while email in used_emails:
            email, suffix = f"{local}{suffix}@{DEMO_DOMAIN}", suffix + 1
        used_emails.add(email)
        people.append(_person(rng, email=email, full_name=full_name, code=code, prefecture_name=names[code],
                              position=position, status=status, cohort=cohort, today=today,
                              used_jet_numbers=used_jet_numbers))
    for account in DEMO_ACCOUNTS:
        person = _person(rng, email=account.email, full_name=account.full_name, code=account.prefecture,
                         prefecture_name=names[account.prefecture], position=account.position,
                         status=account.status, cohort=cohort, today=today, used_jet_numbers=used_jet_numbers)
        person.language = "en"  # the accounts a newcomer tries first speak English; the switcher is one click
        if account.officer:
            person.year_on_jet = max(person.year_on_jet, 2)
            person.jet_start_date = person.jet_start_date.replace(year=cohort - person.year_on_jet + 1)
        people.append(person)
    return people


def _person(rng, *, email, full_name, code, prefecture_name, position, status, cohort, today,
            used_jet_numbers) -> Person:
    if status in (Member.Status.ALUMNI, Member.Status.LEFT):
        year_on_jet = rng.choice([1, 2, 2, 3, 3, 3, 4, 5])
        cohort_start = cohort - year_on_jet - rng.choice([0, 0, 1, 2])
    else:
        year_on_jet = rng.choices([1, 2, 3, 4, 5], [35, 28, 20, 10, 7])[0]
        if status == Member.Status.PENDING:
            year_on_jet = rng.choice([1, 1, 1, 2])
        cohort_start = cohort - year_on_jet + 1
    arrival_group = rng.choices(["A", "B", "C", "other"], [45, 40, 10, 5])[0]
    start = {"A": datetime.date(cohort_start, 7, 27), "B": datetime.date(cohort_start, 8, 3),
             "C": datetime.date(cohort_start, 8, 10), "other": datetime.date(cohort_start, 4, 1)}[arrival_group]
    start = min(start, today)
    organisation, city = _organisation(rng, code, prefecture_name, position)
    jet_number = None
    if rng.random() < 0.85:
        while jet_number is None or jet_number in used_jet_numbers:
            jet_number = f"20{cohort_start % 100:02d}{rng.randrange(10**7):07d}"
        used_jet_numbers.add(jet_number)
    language = "ja" if position == Member.Position.CIR and rng.random() < 0.3 else "en"
    if rng.random() < 0.05:
        language = "ja"
    position_label = {"ALT": "An ALT", "CIR": "A CIR", "SEA": "An SEA"}[position]
    bio = f"{position_label} in {prefecture_name} who {rng.choice(INTERESTS)}." if rng.random() < 0.6 else ""
    return Person(
        email=email, full_name=full_name, prefecture=code, position=position, status=status,
        year_on_jet=year_on_jet, jet_start_date=start, arrival_group=arrival_group, organisation=organisation,
        city=city, language=language, jet_number=jet_number, signed_up_days_ago=rng.randrange(1, 21), bio=bio,
    )


@transaction.atomic
def build_demo_world(
    *, members: int = DEFAULT_MEMBERS, chapters: int = DEFAULT_CHAPTERS, seed: int = DEFAULT_SEED,
    today: datetime.date | None = None,
) -> DemoSummary:
    """Write the demo world into an empty database: members (with verified e-mails and one shared
    password), chapters with members and officers, this year's and last year's council, and TOTP
    authenticators with the shared demo secret for every current officer.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    rng = random.Random(seed * 7919 + 1)  # the world's choices; the people come from their own stream
    people = plan_people(members=members, seed=seed, today=today)
    by_email = {person.email: person for person in people}
    demo = {account.role: by_email[account.email] for account in DEMO_ACCOUNTS}

    _write_people(people, now=now)
    specs = chapter_catalogue()[:chapters]
    chapter_rows = _write_chapters(specs, rng)
    _write_memberships(rng, people, specs, chapter_rows, now=now)
    officers: set[str] = set()
    terms = _write_council(rng, people, demo, today=today, officers=officers)
    terms += _write_chapter_officers(rng, people, demo, specs, chapter_rows, today=today, officers=officers)
    Term.objects.bulk_create(terms)
    secret = encrypt(DEMO_TOTP_SECRET)
    Authenticator.objects.bulk_create(
        Authenticator(user=by_email[email].user, type=Authenticator.Type.TOTP, data={"secret": secret})
        for email in sorted(officers)
    )
    signals.data_changed()  # bulk_create sends no signals: drop cached powers and dashboards
    counts: dict[str, int] = defaultdict(int)
    for person in people:
        counts[person.position] += 1
    return DemoSummary(
        members=len(people), chapters=len(chapter_rows), terms=len(terms),
        pending=sum(person.status == Member.Status.PENDING for person in people),
        prefectures=len({person.prefecture for person in people}), by_position=dict(counts),
    )


def _write_people(people: list[Person], *, now: datetime.datetime) -> None:
    password = make_password(DEMO_PASSWORD)  # one hash, shared by every demo account
    users = [
        User(email=person.email, password=password, date_joined=now - datetime.timedelta(
            days=person.signed_up_days_ago if person.status == Member.Status.PENDING
            else max((now.date() - person.jet_start_date).days + 30, 1)))
        for person in people
    ]
    User.objects.bulk_create(users, batch_size=500)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=500
    )
    rows = []
    for person, user in zip(people, users, strict=True):
        person.user = user
        confirmed = person.status != Member.Status.PENDING
        rows.append(Member(
            user=user, full_name=person.full_name, preferred_language=person.language, position=person.position,
            prefecture_id=person.prefecture, contracting_organisation=person.organisation,
            jet_start_date=person.jet_start_date, year_on_jet=person.year_on_jet,
            arrival_group=person.arrival_group, jet_number=person.jet_number, status=person.status,
            bio=person.bio, confirmed_at=user.date_joined + datetime.timedelta(days=2) if confirmed else None,
        ))
    Member.objects.bulk_create(rows, batch_size=500)
    for person, member in zip(people, rows, strict=True):
        person.member = member
        member.created_at = person.user.date_joined  # auto_now_add set it to now; sign-ups have dates
    Member.objects.bulk_update(rows, ["created_at"], batch_size=500)


def _write_chapters(specs: list[ChapterSpec], rng: random.Random) -> list[Chapter]:
    # (English, Japanese): some chapters write in one language only, as real ones do.
    descriptions = [
        ("Welcome and farewell parties, a charity run every autumn and a monthly language exchange.",
         "歓迎会・送別会、毎年秋のチャリティーラン、毎月の言語交換会を開いています。"),
        ("We run trips, a seasonal newsletter and help new arrivals with everything from banks to bins.", ""),
        ("Volunteering, beach clean-ups and the best enkai in the block. Say hello!",
         "ボランティア活動やビーチクリーン、ブロック一の宴会。お気軽にどうぞ！"),
        ("Skills development days for teachers, board game nights and a mentoring scheme for first-years.", ""),
        ("", "地域の方との交流イベントと、新任者のための生活相談をしています。"),
    ]
    chosen = [rng.choice(descriptions) for _ in specs]
    chapters = [
        Chapter(name=spec.name, slug=spec.slug, kind=spec.kind, description=english, description_ja=japanese,
                contact_email=f"{spec.slug}@chapters.{DEMO_DOMAIN}")
        for spec, (english, japanese) in zip(specs, chosen, strict=True)
    ]
    Chapter.objects.bulk_create(chapters)
    Chapter.prefectures.through.objects.bulk_create([
        Chapter.prefectures.through(chapter_id=chapter.pk, prefecture_id=code)
        for chapter, spec in zip(chapters, specs, strict=True) for code in spec.codes
    ])
    return chapters


def _chapters_for(person: Person, specs: list[ChapterSpec]) -> list[int]:
    """Indices of the chapters that fit the person: their city chapter first, then their prefecture's."""
    city = [i for i, spec in enumerate(specs) if spec.city and spec.city == person.city]
    wider = [i for i, spec in enumerate(specs) if not spec.city and person.prefecture in spec.codes]
    return city + wider


def _write_memberships(rng, people, specs, chapters, *, now) -> None:
    rows = []
    for person in people:
        if person.status == Member.Status.PENDING or person.email in DEMO_EMAILS:
            continue
        fitting = _chapters_for(person, specs)
        if not fitting or rng.random() > 0.75:
            continue
        joined = now - datetime.timedelta(days=rng.randrange(20, 400))
        left = None
        if person.status in (Member.Status.ALUMNI, Member.Status.LEFT):
            left = joined + datetime.timedelta(days=rng.randrange(10, 300))
            left = min(left, now - datetime.timedelta(days=1))
        rows.append(ChapterMembership(chapter=chapters[fitting[0]], member=person.member, joined_at=joined,
                                      left_at=left))
    for account in DEMO_ACCOUNTS:
        person = next(p for p in people if p.email == account.email)
        fitting = _chapters_for(person, specs)
        if fitting and account.status != Member.Status.PENDING:
            rows.append(ChapterMembership(chapter=chapters[fitting[0]], member=person.member,
                                          joined_at=now - datetime.timedelta(days=200)))
    ChapterMembership.objects.bulk_create(rows, batch_size=500)


def _pick(rng, people: list[Person], taken: set[str], predicate) -> Person | None:
    candidates = [person for person in people if person.email not in taken and predicate(person)]
    if not candidates:
        return None
    chosen = rng.choice(candidates)
    taken.add(chosen.email)
    return chosen


def _council_bio(rng, person: Person, prefecture_names: dict[str, str]) -> str:
    return (f"{person.position} in {prefecture_names[person.prefecture]}, year {person.year_on_jet} on JET; "
            f"{rng.choice(COUNCIL_PLEDGES)}.")


def _write_council(rng, people, demo, *, today, officers: set[str]) -> list[Term]:
    """This year's council (every post filled) and last year's, ending the day before this year began."""
    start = council_year_start(today)
    next_start = start.replace(year=start.year + 1)
    last_start = start.replace(year=start.year - 1)
    block_of = block_map_on(today)
    names = {p.code: p.name_en for p in Prefecture.objects.all()}
    posts = [post for post in Post.objects.filter(chapter=None).order_by("order", "slug") if post.exists_on(today)]
    _date_posts(posts, latest=last_start)
    fixed = {"chair": demo["executive"], f"block-{HOME_BLOCK}-representative": demo["block representative"],
             "cir-representative": demo["CIR representative"], "psg-coordinator": demo["PSG coordinator"]}
    current = [p for p in people if p.status == Member.Status.CURRENT and p.email not in DEMO_EMAILS]
    former = [p for p in people if p.status == Member.Status.ALUMNI]
    taken = set(DEMO_EMAILS)
    terms = []
    for post in posts:
        fits = _post_predicate(post, block_of)
        holder = fixed.get(post.slug) or _pick(rng, current, taken, fits) or _pick(
            rng, current, taken, lambda person: True)
        if holder is not None:
            officers.add(holder.email)
            terms.append(Term(post=post, member=holder.member, holder_name=holder.full_name, start=start,
                              end=next_start - datetime.timedelta(days=1), bio=_council_bio(rng, holder, names)))
        # Last year's holder: mostly people who have since left JET, some still here.
        previous = _pick(rng, former, taken, fits) if rng.random() < 0.7 else None
        previous = previous or _pick(rng, current, taken, lambda p, fits=fits: fits(p) and p.year_on_jet >= 2)
        previous = previous or _pick(rng, former + current, taken, lambda person: True)
        if previous is not None:
            terms.append(Term(post=post, member=previous.member, holder_name=previous.full_name, start=last_start,
                              end=start - datetime.timedelta(days=1), bio=_council_bio(rng, previous, names)))
    return terms


def _date_posts(posts: list[Post], *, latest: datetime.date, save: bool = True) -> None:
    """Give posts that carry the placeholder first day (2000-01-01) a realistic one: the first day of a
    council year a few years before `latest` (when AJET created the post, or the chapter was founded).
    Each post draws from its own generator, so the people the demo picks do not depend on it."""
    placeholder = Post._meta.get_field("valid_from").default
    for post in posts:
        if post.valid_from == placeholder:
            own = random.Random(f"{post.slug}/{post.chapter.slug if post.chapter else ''}")
            post.valid_from = latest.replace(year=latest.year - own.randrange(2, 12))
    if save:
        Post.objects.bulk_update(posts, ["valid_from"])


def _post_predicate(post: Post, block_of: dict[str, int]):
    if post.scope == Post.Scope.BLOCK:
        return lambda person: block_of.get(person.prefecture) == post.block_id
    if post.constituency_position:
        return lambda person: person.position == post.constituency_position
    return lambda person: person.year_on_jet >= 2


def _write_chapter_officers(rng, people, demo, specs, chapters, *, today, officers: set[str]) -> list[Term]:
    start = council_year_start(today)
    end = start.replace(year=start.year + 1) - datetime.timedelta(days=1)
    posts, holders = [], []
    taken = set(officers) | DEMO_EMAILS
    home = next((i for i, spec in enumerate(specs) if HOME_PREFECTURE in spec.codes and not spec.city), 0)
    for index, (spec, chapter) in enumerate(zip(specs, chapters, strict=True)):
        extra = rng.randrange(0, 4)
        for slug, name_en, name_ja, kind, order in CHAPTER_OFFICER_POSTS[:2 + extra]:
            post = Post(name_en=name_en, name_ja=name_ja, slug=slug, kind=kind, scope=Post.Scope.CHAPTER,
                        chapter=chapter, order=order, leads_chapter=slug == "president")
            if index == home and slug == "president":
                holder = demo["chapter officer"]
            else:
                holder = _pick(rng, people, taken, lambda p, spec=spec: (
                    p.status == Member.Status.CURRENT and p.prefecture in spec.codes
                    and (not spec.city or p.city == spec.city)))
            posts.append(post)
            holders.append(holder)
    _date_posts(posts, latest=start, save=False)
    Post.objects.bulk_create(posts)
    terms = []
    for post, holder in zip(posts, holders, strict=True):
        if holder is None:
            continue  # a small chapter with a vacant post, as in life
        officers.add(holder.email)
        terms.append(Term(post=post, member=holder.member, holder_name=holder.full_name, start=start, end=end))
    return terms


def demo_accounts_text() -> str:
    """What `seed_demo` prints: one account per role, the shared password, and how officers get a code."""
    width = max(len(account.role) for account in DEMO_ACCOUNTS)
    lines = [f"Demo accounts (password for all: {DEMO_PASSWORD}):"]
    for account in DEMO_ACCOUNTS:
        lines.append(f"  {account.role:<{width}}  {account.email}{'  *' if account.officer else ''}")
    lines += [
        "* Officers sign in with a two-factor code too: `python manage.py demo_totp EMAIL` prints the current one,",
        f"  or add the secret {DEMO_TOTP_SECRET} to any authenticator app.",
    ]
    return "\n".join(lines)


def demo_members_by_role() -> dict[str, Member]:
    """The demo accounts' member profiles by role ("member", "executive", …), for the apps' demo parts."""
    by_email = {member.user.email: member for member in Member.objects.select_related("user").filter(
        user__email__in=DEMO_EMAILS)}
    return {account.role: by_email[account.email] for account in DEMO_ACCOUNTS if account.email in by_email}
