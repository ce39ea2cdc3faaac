"""The referral directory: maintained by coordinators, shown to everyone and on the closed line's page."""

import datetime
import importlib

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from ajet.core.models import AuditEntry
from ajet.support import opening_hours
from ajet.support.models import Resource
from ajet.support.opening_hours import validate_weekly_hours
from tests.support.conftest import tokyo

pytestmark = pytest.mark.django_db(databases=["default", "support"])

TELL = {"name": "TELL Lifeline", "category": "counselling", "phone": "03-5774-0992",
        "url": "https://telljp.com/lifeline/", "hours": "9:00–23:00", "languages": "English"}


def test_coordinator_adds_edits_and_deletes_with_audit(client, volunteer_coordinator):
    client.force_login(volunteer_coordinator.member.user)
    assert client.post(reverse("support:resource_create"), TELL).status_code == 302
    resource = Resource.objects.get()
    client.post(reverse("support:resource_edit", kwargs={"resource_id": resource.pk}), TELL | {"hours": "Daily"})
    resource.refresh_from_db()
    assert resource.hours == "Daily"
    client.post(reverse("support:resource_delete", kwargs={"resource_id": resource.pk}))
    assert not Resource.objects.exists()
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "support.resource_save", "support.resource_save", "support.resource_delete"]


@pytest.mark.parametrize("bad", [{"url": "javascript:alert(1)"}, {"name": "Evil\u202eName"}, {"category": "spa"}])
def test_bad_input_changes_nothing(client, psg_coordinator, bad):
    client.force_login(psg_coordinator.user)
    response = client.post(reverse("support:resource_create"), TELL | bad)
    assert response.status_code == 200 and not Resource.objects.exists()


def test_directory_shows_on_the_closed_page_and_to_volunteers(client, volunteer, frozen):
    Resource.objects.create(**TELL)
    frozen(tokyo(2026, 3, 15, 9, 0))
    assert "TELL Lifeline" in client.get(reverse("support:home")).content.decode()
    frozen(tokyo(2026, 3, 15, 21, 0))
    assert "TELL Lifeline" not in client.get(reverse("support:home")).content.decode()
    client.force_login(volunteer.member.user)
    page = client.get(reverse("support:resources")).content.decode()
    assert "TELL Lifeline" in page and "tel:03-5774-0992" in page
    assert reverse("support:resource_create") not in page


WEEKDAYS_9_TO_17 = [[["09:00", "17:00"]]] * 5 + [[], []]


def _directory():
    Resource.objects.create(**TELL, weekly_hours=[[["09:00", "23:00"]]] * 7)
    Resource.objects.create(name="Police", category="emergency", phone="110", languages="Japanese",
                            always_open=True)
    Resource.objects.create(name="Saitama Legal Aid", category="legal", more_categories=["counselling"],
                            languages="Japanese, English", weekly_hours=WEEKDAYS_9_TO_17).prefectures.set(["11"])
    Resource.objects.create(name="Aichi Night Line", category="counselling", languages="Portuguese",
                            weekly_hours=[[["22:00", "06:00"]]] * 7).prefectures.set(["23"])
    Resource.objects.create(name="Unknown hours", category="jet", languages="English")


def _names(client, **query):
    from ajet.support.queries import find_resources

    found = {resource.name for resource in find_resources(**query)}
    page = client.get(reverse("support:resources"), query).content.decode()
    assert all(name in page for name in found)
    return found


def test_the_directory_is_searched_and_filtered(client, frozen):
    _directory()
    frozen(tokyo(2026, 3, 14, 10, 0))  # a Saturday morning
    assert _names(client, q="legal") == {"Saitama Legal Aid"}
    assert _names(client, category="counselling") == {"Aichi Night Line", "Saitama Legal Aid", "TELL Lifeline"}
    assert _names(client, language="english") == {"Saitama Legal Aid", "TELL Lifeline", "Unknown hours"}
    assert _names(client, region="11") == {"Police", "Saitama Legal Aid", "TELL Lifeline", "Unknown hours"}
    assert _names(client, region="national") == {"Police", "TELL Lifeline", "Unknown hours"}
    assert _names(client, open_now=True) == {"Police", "TELL Lifeline"}  # weekdays only; unknown hours left out
    frozen(tokyo(2026, 3, 16, 2, 0))  # Monday 02:00: the night line opened on Sunday at 22:00
    assert _names(client, open_now=True) == {"Police", "Aichi Night Line"}
    frozen(tokyo(2026, 3, 16, 10, 0))
    assert _names(client, open_now="on") == {"Police", "Saitama Legal Aid", "TELL Lifeline"}


def test_a_bad_filter_shows_the_whole_directory(client):
    _directory()
    page = client.get(reverse("support:resources"), {"category": "spa", "region": "99"}).content.decode()
    assert "Unknown hours" in page and "Aichi Night Line" in page


# --- Several regions, and hours per weekday (issue #9) ------------------------------------------------------

def test_an_entry_serves_several_prefectures_and_blocks(client, frozen):
    frozen(tokyo(2026, 3, 16, 10, 0))
    _directory()
    Resource.objects.create(name="Kanto and Chubu line", category="counselling",
                            languages="English").blocks.set([3, 5])  # Saitama is in block 3, Aichi in 5
    Resource.objects.create(name="Hokkaido and Okinawa desk", category="legal",
                            languages="English").prefectures.set(["01", "47"])
    assert _names(client, region="11") == {"Police", "Saitama Legal Aid", "TELL Lifeline", "Unknown hours",
                                           "Kanto and Chubu line"}
    assert _names(client, region="23") == {"Police", "Aichi Night Line", "TELL Lifeline", "Unknown hours",
                                           "Kanto and Chubu line"}
    assert _names(client, region="47") == {"Police", "TELL Lifeline", "Unknown hours", "Hokkaido and Okinawa desk"}
    assert _names(client, region="national") == {"Police", "TELL Lifeline", "Unknown hours"}
    page = client.get(reverse("support:resources")).content.decode()
    assert "Block 3, Block 5" in page and "Hokkaido, Okinawa" in page
    police = page[page.index(">Police<"):page.index("</li>", page.index(">Police<"))]
    assert "Region: national" in " ".join(police.split())


def test_a_block_entry_follows_a_prefecture_that_moves_block(client, executive, frozen):
    from ajet.organisation.models import BlockAssignment

    frozen(tokyo(2026, 3, 16, 10, 0))
    Resource.objects.create(name="Block 5 line", category="counselling").blocks.set([5])
    assert _names(client, region="11") == set()
    BlockAssignment.objects.create(prefecture_id="11", block_id=5, valid_from=datetime.date(2026, 4, 1))
    assert _names(client, region="11") == set()
    frozen(tokyo(2026, 4, 1, 10, 0))
    assert _names(client, region="11") == {"Block 5 line"}


def test_the_directory_is_filtered_by_block(client, frozen):
    frozen(tokyo(2026, 3, 16, 10, 0))  # a Monday morning
    _directory()
    Resource.objects.create(name="Block 3 line", category="counselling").blocks.set([3])
    Resource.objects.create(name="Block 5 line", category="counselling").blocks.set([5])
    Resource.objects.create(name="Nagano desk", category="legal").prefectures.set(["20"])  # block 3
    Resource.objects.create(name="Tokyo desk", category="legal").prefectures.set(["13"])  # block 4
    national = {"Police", "TELL Lifeline", "Unknown hours"}
    assert _names(client, region="block-3") == national | {"Saitama Legal Aid", "Nagano desk", "Block 3 line"}
    assert _names(client, region="block-5") == national | {"Aichi Night Line", "Block 5 line"}
    assert _names(client, region="block-4") == national | {"Tokyo desk"}
    assert _names(client, region="block-3", open_now=True) == {"Police", "TELL Lifeline", "Saitama Legal Aid"}
    page = client.get(reverse("support:resources"), {"region": "block-3"}).content.decode()
    for elsewhere in ("Aichi Night Line", "Block 5 line", "Tokyo desk"):
        assert elsewhere not in page
    # One list without script: blocks, then prefectures; the choice is kept.
    assert page.index('<optgroup label="Blocks">') < page.index('<optgroup label="Prefectures">')
    assert '<option value="block-3" selected>Block 3</option>' in page
    assert '<option value="11">Saitama</option>' in page


def test_a_block_filter_follows_a_prefecture_that_moves_block(client, frozen):
    from ajet.organisation.models import BlockAssignment

    frozen(tokyo(2026, 3, 16, 10, 0))
    Resource.objects.create(name="Saitama desk", category="legal").prefectures.set(["11"])
    BlockAssignment.objects.create(prefecture_id="11", block_id=5, valid_from=datetime.date(2026, 4, 1))
    assert _names(client, region="block-3") == {"Saitama desk"}
    assert _names(client, region="block-5") == set()
    frozen(tokyo(2026, 4, 1, 10, 0))
    assert _names(client, region="block-3") == set()
    assert _names(client, region="block-5") == {"Saitama desk"}


@pytest.mark.parametrize("region", ["block-99", "block-", "block-3x", "3"])
def test_an_unknown_block_shows_the_whole_directory(client, region):
    _directory()
    response = client.get(reverse("support:resources"), {"region": region})
    assert not response.context["form"].is_valid()
    page = response.content.decode()
    assert "Unknown hours" in page and "Aichi Night Line" in page and "Saitama Legal Aid" in page


def test_the_directory_says_what_is_open_now_beside_the_hours_people_read(client, frozen):
    _directory()
    frozen(tokyo(2026, 3, 14, 10, 0))  # a Saturday morning
    page = client.get(reverse("support:resources")).content.decode()
    tell = page[page.index("TELL Lifeline"):page.index("</li>", page.index("TELL Lifeline"))]
    assert "Open now" in tell and "Hours: 9:00–23:00" in tell and "Every day 09:00–23:00" in tell
    legal = page[page.index("Saitama Legal Aid"):page.index("</li>", page.index("Saitama Legal Aid"))]
    assert "Closed now" in legal and "Mon–Fri 09:00–17:00; Sat–Sun closed" in legal
    unknown = page[page.index("Unknown hours"):page.index("</li>", page.index("Unknown hours"))]
    assert "Open now" not in unknown and "Closed now" not in unknown


def _form(**days) -> dict:
    return TELL | {f"hours_{day}": "" for day in range(7)} | days


def test_the_coordinator_gives_hours_per_weekday_and_regions(client, psg_coordinator):
    client.force_login(psg_coordinator.user)
    response = client.post(reverse("support:resource_create"), _form(
        hours_0="9:00-12:00, 13:00–17:00", hours_4="22:00〜06:00", hours_5="１０：００－１２：００",
        prefectures=["11", "23"], blocks=["8"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    resource = Resource.objects.get()
    assert resource.weekly_hours == [[["09:00", "12:00"], ["13:00", "17:00"]], [], [], [],
                                     [["22:00", "06:00"]], [["10:00", "12:00"]], []]
    assert {prefecture.pk for prefecture in resource.prefectures.all()} == {"11", "23"}
    assert [block.pk for block in resource.blocks.all()] == [8]
    assert resource.is_open_at(tokyo(2026, 3, 14, 5, 59)) is True  # Friday night into Saturday morning
    assert resource.is_open_at(tokyo(2026, 3, 14, 6, 0)) is False
    entry = AuditEntry.objects.get(action="support.resource_save")
    assert entry.after["prefectures"] == ["11", "23"] and entry.after["blocks"] == [8]
    assert entry.after["weekly_hours"] == resource.weekly_hours
    edit = client.get(reverse("support:resource_edit", kwargs={"resource_id": resource.pk})).content.decode()
    assert 'value="09:00–12:00, 13:00–17:00"' in edit  # shown again as entered, normalised

    client.post(reverse("support:resource_edit", kwargs={"resource_id": resource.pk}), _form())
    resource.refresh_from_db()
    assert resource.weekly_hours == [] and resource.is_open_at(tokyo(2026, 3, 16, 10, 0)) is None
    assert not resource.prefectures.exists() and resource.is_national


@pytest.mark.parametrize(("days", "field"), [
    ({"hours_2": "9-17"}, "hours_2"),
    ({"hours_0": "25:00-26:00"}, "hours_0"),
    ({"hours_0": "09:00-24:30"}, "hours_0"),
    ({"hours_1": "09:00-17:00", "always_open": "on"}, None),
], ids=["no-minutes", "hour-25", "past-24", "24h-and-hours"])
def test_bad_hours_change_nothing(client, psg_coordinator, days, field):
    client.force_login(psg_coordinator.user)
    response = client.post(reverse("support:resource_create"), _form(**days))
    assert response.status_code == 200 and not Resource.objects.exists()
    form = response.context["form"]
    assert (field in form.errors) if field else form.non_field_errors()


def test_the_demo_directory_has_regional_entries_and_weekly_hours():
    from ajet.support import demo

    for entry in demo.RESOURCES:
        validate_weekly_hours(entry[7][1])
    assert any(entry[8][0] for entry in demo.RESOURCES) and any(entry[8][1] for entry in demo.RESOURCES)
    assert any(entry[7][2] for entry in demo.RESOURCES)  # one closed on public holidays


# --- "Open now" from the weekly hours, checked against a plain week of minutes -----------------------------

_CLOCKS = st.integers(0, 24 * 60).map(lambda minutes: f"{minutes // 60:02}:{minutes % 60:02}")
_PAIRS = st.tuples(_CLOCKS, _CLOCKS).filter(lambda pair: pair[0] != "24:00")
_WEEKS = st.lists(st.lists(_PAIRS.map(list), max_size=3), min_size=7, max_size=7)
_MOMENTS = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31))


def _open_in_a_week_of_minutes(weekly, local: datetime.datetime) -> bool:
    """Each pair as an interval of minutes of the week (Monday 00:00 = 0), past midnight running on (a pair
    that closes when it opens: 24 hours); Sunday night runs into Monday morning."""
    week = 7 * 1440
    minute = local.weekday() * 1440 + local.hour * 60 + local.minute
    for day, pairs in enumerate(weekly):
        for opens, closes in pairs:
            start, end = opening_hours._minutes(opens), opening_hours._minutes(closes)
            start, end = day * 1440 + start, day * 1440 + (end if end > start else end + 1440)
            if start <= minute < end or start <= minute + week < end:
                return True
    return False


@given(weekly=_WEEKS, moment=_MOMENTS)
def test_open_now_agrees_with_a_week_of_minutes(weekly, moment):
    weekly = [sorted(day) for day in weekly]
    if not any(weekly):
        assert opening_hours.is_open([], moment) is None
        return
    validate_weekly_hours(weekly)
    assert opening_hours.is_open(weekly, moment) is _open_in_a_week_of_minutes(weekly, moment)


# --- The data migration says what the old fields said -------------------------------------------------------

_MIGRATION = importlib.import_module("ajet.support.migrations.0004_directory_regions_and_weekly_hours")
_TIMES = st.builds(datetime.time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59]))


def _open_by_the_old_fields(open_from, open_until, weekdays_only, local: datetime.datetime) -> bool:
    """Resource.is_open_at before the weekly hours (support migration 0003's fields), copied as it was."""
    clock = local.time()
    if open_from < open_until:
        day, inside = local.date(), open_from <= clock < open_until
    else:
        inside = clock >= open_from or clock < open_until
        day = local.date() - datetime.timedelta(days=1) if clock < open_until else local.date()
    return inside and not (weekdays_only and day.weekday() >= 5)


@given(open_from=_TIMES, open_until=_TIMES, weekdays_only=st.booleans(), moment=_MOMENTS)
def test_migrated_hours_are_open_exactly_when_they_were(open_from, open_until, weekdays_only, moment):
    weekly = _MIGRATION.weekly_from_daily(open_from, open_until, weekdays_only)
    validate_weekly_hours(weekly)
    assert opening_hours.is_open(weekly, moment) is _open_by_the_old_fields(open_from, open_until, weekdays_only,
                                                                             moment)


def test_the_migration_keeps_unknown_hours_unknown():
    assert _MIGRATION.weekly_from_daily(None, None, False) == []
    assert _MIGRATION.weekly_from_daily(datetime.time(9), None, True) == []


def _count_queries_of_the_directory(client, entries: int, region: str = "11") -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    Resource.objects.all().delete()
    for number in range(entries):
        resource = Resource.objects.create(name=f"Line {number}", category="counselling",
                                           weekly_hours=WEEKDAYS_9_TO_17)
        resource.prefectures.set(["11", "23"])
        resource.blocks.set([number + 1])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("support:resources"), {"region": region, "open_now": "on"})
    assert page.status_code == 200
    return len(queries)


@pytest.mark.parametrize("region", ["11", "block-3"])
def test_the_directory_reads_the_same_number_of_rows_for_one_entry_or_three(client, frozen, region):
    frozen(tokyo(2026, 3, 16, 10, 0))
    _count_queries_of_the_directory(client, 1, region)  # the day's block map is read once and kept
    assert _count_queries_of_the_directory(client, 1, region) == _count_queries_of_the_directory(client, 3, region)
