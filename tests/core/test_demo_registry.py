"""Apps add their part to the demo world through core's registry; seed_demo calls every part in order."""

import io

import pytest
from django.core.management import call_command

from ajet.core import demo


@pytest.fixture
def registry(monkeypatch):
    monkeypatch.setattr(demo, "_parts", [])
    return demo


def test_parts_run_in_order_and_once_each(registry):
    calls = []

    def second(context):
        calls.append("second")
        context.notes.append("second part built")

    def first(context):
        calls.append(("first", context.accounts["member"].full_name))

    registry.register_demo(order=20, build=second)
    registry.register_demo(order=10, build=first)
    registry.register_demo(order=10, build=first)  # registering twice (ready() run again) adds nothing

    class Member:
        full_name = "Maya"

    context = registry.build_demo_parts(registry.DemoContext(today=None, seed=1, accounts={"member": Member()}))
    assert calls == [("first", "Maya"), "second"]
    assert context.notes == ["second part built"]


@pytest.mark.django_db
def test_seed_demo_builds_the_organisation_before_the_parts_and_prints_their_notes(registry, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seen = {}

    def part(context):
        from ajet.people.models import Member

        seen["members"] = Member.objects.count()
        seen["roles"] = sorted(context.accounts)
        context.notes.append("Test part: done.")

    registry.register_demo(order=1, build=part)
    output = io.StringIO()
    call_command("seed_demo", members=20, chapters=2, stdout=output)
    assert seen["members"] == 20
    assert "member" in seen["roles"] and "executive" in seen["roles"]
    assert "Test part: done." in output.getvalue()
