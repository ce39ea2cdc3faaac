"""The map of the blocks on the home and Blocks pages: 47 prefecture links named for screen readers,
coloured and numbered by the block the database says they are in today; licensed map data."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from ajet.organisation import services
from ajet.organisation.block_map import SHAPES
from ajet.organisation.models import Block, Prefecture

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a href="(?P<href>[^"]+)" class="block-(?P<block>\d+)" aria-label="(?P<label>[^"]+)">'
                  r"<title>(?P<title>[^<]+)</title><path d=\"M[^\"]+Z\"/></a>")


def map_links(page: str) -> dict[str, re.Match]:
    start = page.index('<figure class="block-map">')
    svg = page[start:page.index("</figure>", start)]
    return {match["href"].rsplit("#prefecture-", 1)[1]: match for match in LINK.finditer(svg)}


@pytest.mark.parametrize("url_name", ["core:home", "organisation:blocks"])
def test_every_prefecture_is_a_named_link_to_its_block(client, url_name):
    page = client.get(reverse(url_name)).content.decode()
    links = map_links(page)
    assert sorted(links) == sorted(Prefecture.objects.values_list("code", flat=True)) and len(links) == 47
    saitama = links["11"]
    assert saitama["label"] == saitama["title"] == "Saitama: Block 3"
    assert saitama["href"] == reverse("organisation:block", args=[3]) + "#prefecture-11" and saitama["block"] == "3"
    assert links["47"]["label"] == "Okinawa: Block 11"
    assert 'role="group" aria-labelledby="block-map-caption"' in page
    assert '<g class="labels" aria-hidden="true">' in page  # the numbers on the map, named by the links already


def test_the_map_speaks_the_readers_language(client):
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert map_links(page)["11"]["label"].startswith("埼玉県")


def test_a_prefecture_moved_today_changes_colour_and_link_on_the_next_page(client, executive):
    assert map_links(client.get(reverse("core:home")).content.decode())["11"]["block"] == "3"
    services.move_prefecture(by=executive.user, prefecture=Prefecture.objects.get(code="11"),
                             block=Block.objects.get(number=5), valid_from=timezone.localdate())
    for url in (reverse("core:home"), reverse("organisation:blocks")):
        saitama = map_links(client.get(url).content.decode())["11"]
        assert saitama["block"] == "5" and saitama["href"].startswith(reverse("organisation:block", args=[5]))


def test_the_prefecture_link_lands_on_the_prefecture_in_its_block_page(client):
    page = client.get(reverse("organisation:block", args=[3])).content.decode()
    assert '<li id="prefecture-11">Saitama</li>' in page


def test_the_map_data_states_its_licence():
    folder = Path(SHAPES).parent
    readme = (folder / "README.md").read_text()
    assert "Apache License 2.0" in readme and "japanmap" in readme
    assert "Apache License" in (folder / "LICENSE-japanmap").read_text()
