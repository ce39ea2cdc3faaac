"""The public home and council pages cache their blocks and cards: a change shows on the next request, and a
visitor never gets another language's copy."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from ajet.organisation import services
from ajet.organisation.models import Block, Prefecture
from tests.factories import MemberFactory, chapter_post, give_term, join, national_post

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def diagram_tile(page: str, block_number: int) -> str:
    start = page.index(f'class="block-tile block-{block_number}"')
    return page[start:page.index("</li>", start)]


def test_a_term_appointed_today_shows_on_the_next_council_page(client, executive):
    post = national_post("treasurer")
    assert "Tara Treasurer" not in html(client.get(reverse("organisation:council")))
    treasurer = MemberFactory(full_name="Tara Treasurer")
    services.appoint(by=executive.user, post=post, member=treasurer, start=timezone.localdate())
    assert "Tara Treasurer" in html(client.get(reverse("organisation:council")))


def test_a_renamed_member_shows_on_the_next_council_page(client, executive):
    assert "Erin Executive" in html(client.get(reverse("organisation:council")))
    executive.full_name = "Erin Renamed"
    executive.save(update_fields=["full_name"])
    page = html(client.get(reverse("organisation:council")))
    assert "Erin Renamed" in page and "Erin Executive" not in page


def test_a_prefecture_moved_today_shows_in_its_new_block_on_the_next_home_page(client, executive):
    saitama = Prefecture.objects.get(code="11")
    assert saitama.name_en in diagram_tile(html(client.get(reverse("core:home"))), 3)
    services.move_prefecture(by=executive.user, prefecture=saitama, block=Block.objects.get(number=5),
                             valid_from=timezone.localdate())
    page = html(client.get(reverse("core:home")))
    assert saitama.name_en not in diagram_tile(page, 3) and saitama.name_en in diagram_tile(page, 5)


def test_a_renamed_prefecture_shows_on_the_next_home_page(client):
    html(client.get(reverse("core:home")))
    saitama = Prefecture.objects.get(code="11")
    saitama.name_en = "Sainotama"
    saitama.save(update_fields=["name_en"])
    assert "Sainotama" in html(client.get(reverse("core:home")))


@pytest.mark.parametrize("url_name", ["core:home", "organisation:council"])
def test_the_japanese_copy_is_never_served_to_an_english_visitor(client, executive, url_name):
    chair = national_post("chair")
    saitama = Prefecture.objects.get(code="11")
    japanese_name = saitama.name_ja if url_name == "core:home" else chair.name_ja
    english_name = saitama.name_en if url_name == "core:home" else chair.name_en
    assert japanese_name and japanese_name != english_name

    in_japanese = html(client.get(reverse(url_name), headers={"accept-language": "ja"}))
    assert japanese_name in in_japanese
    in_english = html(client.get(reverse(url_name), headers={"accept-language": "en"}))
    assert english_name in in_english and japanese_name not in in_english
    assert japanese_name in html(client.get(reverse(url_name), headers={"accept-language": "ja"}))


def test_a_chapter_page_shows_changes_on_the_next_request(client, home_chapter, executive):
    url = home_chapter.get_absolute_url()
    page = html(client.get(url))
    assert "0 members" in page and "Connie Contact" not in page
    join(MemberFactory(), home_chapter)
    assert "1 member" in html(client.get(url))
    give_term(MemberFactory(full_name="Connie Contact"), chapter_post(home_chapter))
    assert "Connie Contact" in html(client.get(url))
    home_chapter.description = "Onsen trips every month"
    home_chapter.name = "Sainokuni AJET"
    home_chapter.save(update_fields=["description", "name"])
    page = html(client.get(url))
    assert "Onsen trips every month" in page and "Sainokuni AJET" in page


def test_a_chapter_page_is_never_served_in_the_other_language(client, home_chapter):
    saitama = Prefecture.objects.get(code="11")
    url = home_chapter.get_absolute_url()
    assert saitama.name_ja in html(client.get(url, headers={"accept-language": "ja"}))
    in_english = html(client.get(url, headers={"accept-language": "en"}))
    assert saitama.name_en in in_english and saitama.name_ja not in in_english


def test_the_navigation_cached_per_process_follows_the_language_and_sign_in(client, member):
    with translation.override("ja"):
        council_ja, my_home_ja = gettext("Council"), gettext("My home")
    assert council_ja != "Council" and my_home_ja != "My home"
    in_japanese = html(client.get(reverse("core:home"), headers={"accept-language": "ja"}))
    assert f">{council_ja}</a>" in in_japanese and f">{my_home_ja}</a>" not in in_japanese
    in_english = html(client.get(reverse("core:home"), headers={"accept-language": "en"}))
    assert ">Council</a>" in in_english and f">{council_ja}</a>" not in in_english
    client.force_login(member.user)
    assert ">My home</a>" in html(client.get(reverse("core:home"), headers={"accept-language": "en"}))
