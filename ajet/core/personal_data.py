"""What the platform holds about a person, gathered from every app, and how each app erases it.

Apps register an exporter (user → JSON-safe data) and an eraser (user → None) in AppConfig.ready().
Erasers run inside one transaction, in registration order reversed (the user record last).
"""

from collections.abc import Callable

from django.db import transaction

_exporters: dict[str, Callable] = {}
_erasers: dict[str, Callable] = {}


def register(*, name: str, export: Callable, erase: Callable | None = None) -> None:
    _exporters[name] = export
    if erase is not None:
        _erasers[name] = erase


def export_personal_data(user) -> dict:
    return {name: export(user) for name, export in _exporters.items()}


@transaction.atomic
def erase_personal_data(user) -> None:
    for erase in reversed(list(_erasers.values())):
        erase(user)
