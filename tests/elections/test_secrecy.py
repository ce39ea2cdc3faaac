"""Ballot secrecy (DESIGN.md invariant 1): nothing stored with a ballot leads back to its voter or its time."""

import pytest
from django.db import connection, models

from ajet.elections import services
from ajet.elections.models import Ballot, Election, Participation
from tests.elections.election_factories import candidate, contest_of, make_election
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def test_no_ballot_column_could_link_a_ballot_to_a_voter():
    fields = {field.name: field for field in Ballot._meta.concrete_fields}
    assert set(fields) == {"id", "contest", "ranking", "tracking_code", "revote_hash"}
    for field in fields.values():
        assert not isinstance(field, (models.DateTimeField, models.DateField, models.TimeField)), field.name
        assert not isinstance(field, (models.AutoField, models.BigAutoField, models.SmallAutoField)), field.name
        if field.is_relation:
            assert field.related_model._meta.label == "elections.Contest", field.name
    assert isinstance(Ballot._meta.pk, models.UUIDField)


def test_the_database_table_has_only_those_columns_and_no_foreign_key_but_the_contest():
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, Ballot._meta.db_table)
        constraints = connection.introspection.get_constraints(cursor, Ballot._meta.db_table)
    assert sorted(column.name for column in description) == [
        "contest_id", "id", "ranking", "revote_hash", "tracking_code"]
    foreign = {tuple(c["columns"]): c["foreign_key"] for c in constraints.values() if c["foreign_key"]}
    assert foreign == {("contest_id",): ("elections_contest", "id")}


def test_participation_records_only_the_day():
    fields = {field.name for field in Participation._meta.concrete_fields}
    assert fields == {"id", "member", "contest", "day"}
    assert type(Participation._meta.get_field("day")) is models.DateField


def _physical_order(contest) -> list[str]:
    """The order in which the database stores the ballots: SQLite's rowid, PostgreSQL's ctid."""
    column = "rowid" if connection.vendor == "sqlite" else "ctid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tracking_code FROM elections_ballot WHERE contest_id = %s ORDER BY {column}",  # noqa: S608
                       [contest.pk])
        return [row[0] for row in cursor.fetchall()]


def test_nothing_stored_orders_ballots_by_casting_time(executive):
    alice, bob = MemberFactory(full_name="Alice Able"), MemberFactory(full_name="Bob Baker")
    voters = [MemberFactory() for _ in range(40)]
    election = make_election(executive, candidates={"chair": [alice, bob]}, phase=Election.Phase.VOTING_OPEN)
    chair = contest_of(election, "chair")
    cast_order = []
    for index, voter in enumerate(voters):
        choice = candidate(chair, "Alice Able" if index % 2 else "Bob Baker")
        cast_order.append(services.cast_ballot(voter=voter, contest=chair, ranking=[choice.pk]))

    stored_orders = {
        "primary key": list(chair.ballots.order_by("pk").values_list("tracking_code", flat=True)),
        "tracking code": sorted(cast_order),
    }
    for name, order in stored_orders.items():
        assert order != cast_order, f"ballots ordered by {name} follow the casting order"

    services.advance_phase(by=executive.user, election=election)  # voting closes: the box is sealed
    assert sorted(_physical_order(chair)) == sorted(cast_order)
    assert _physical_order(chair) != cast_order, "the storage order still follows the casting order"
    if connection.vendor == "postgresql":  # every sealed ballot was written by one transaction
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(DISTINCT xmin::text) FROM elections_ballot WHERE contest_id = %s", [chair.pk])
            assert cursor.fetchone()[0] == 1
