"""Certification archives one result package per election: anonymised ballots in random order (BLT, CSV),
the result JSON per contest, the roll counts, the software version, the board's chain head and the sign-off.
The package's own files re-count to the published winners with the count package."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from ajet.elections import board, services
from ajet.elections.count import count_irv, count_stv, parse_blt, parse_csv, write_csv
from ajet.elections.models import Election, ResultPackage
from tests.elections.election_factories import contest_of, make_election
from tests.elections.test_lifecycle import vote_for
from tests.factories import MemberFactory, block_post, national_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def certified(executive, block_rep, member):
    alice, bob, cleo = (MemberFactory(full_name=name, prefecture_id="11")
                        for name in ("Alice Able", "Bob Baker", "Cleo Cole"))
    election = make_election(executive, phase=Election.Phase.VOTING_OPEN, committee=[block_rep],
                             posts=[national_post("chair"), block_post(3)],
                             candidates={"chair": [alice, bob, cleo], "block-3-representative": [alice, bob]})
    chair, block = contest_of(election, "chair"), contest_of(election, "block-3-representative")
    vote_for(chair, [(alice, ["Alice Able"]), (bob, ["Bob Baker", "Alice Able"]), (cleo, ["Cleo Cole", "Bob Baker"]),
                     (member, ["Bob Baker"]), (executive, ["Cleo Cole", "Alice Able"])])
    vote_for(block, [(alice, ["Alice Able"]), (member, ["Bob Baker"]), (cleo, ["Bob Baker", "Alice Able"])])
    while election.phase != Election.Phase.CERTIFIED:
        election = services.advance_phase(by=executive.user, election=election)
    return election


def _files(data: bytes, slug: str) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name.removeprefix(f"{slug}/"): archive.read(name) for name in archive.namelist()}


def _rankings(ballots) -> list[tuple[str, ...]]:
    out = io.StringIO()
    write_csv(ballots, out)
    return [tuple(line.split(",")) for line in out.getvalue().splitlines() if line]


def test_the_package_recounts_to_the_published_winners(certified):
    package = ResultPackage.objects.get(election=certified)
    files = _files(bytes(package.archive), certified.slug)
    manifest = json.loads(files["manifest.json"])
    assert manifest["board_hash_chain_head"] == certified.board_hash
    assert board.chain_head(board.ballot_lines(files["board.txt"].decode())) == certified.board_hash
    assert manifest["certified_by"] == "Erin Executive" and manifest["committee"] == ["Bob Block"]
    assert manifest["software"].startswith(("git ", "ajet-nexus "))
    for contest in certified.contests.select_related("post"):
        slug = contest.post.slug
        entry = next(item for item in manifest["contests"] if item["post"] == slug)
        assert entry["eligible_voters"] == contest.roll_size and entry["voted"] == contest.participations.count()
        published = json.loads(files[f"results/{slug}.json"])
        assert published == contest.result and entry["winners"] == contest.result["winners"]
        ballots, seats = parse_blt(files[f"ballots/{slug}.blt"].decode())
        result = count_irv(ballots, seed=manifest["seed"]) if seats == 1 else count_stv(
            ballots, seats, seed=manifest["seed"])
        assert result.winners == contest.result["winners"]
        assert [r.tallies for r in result.rounds] == [r["tallies"] for r in contest.result["rounds"]]
        # The CSV holds the same ballots (it cannot name a candidate nobody ranked, so the BLT is the file
        # that reproduces a count whose ties were drawn by lot among all the candidates).
        from_csv = parse_csv(files[f"ballots/{slug}.csv"].decode())
        assert sorted(_rankings(from_csv)) == sorted(_rankings(ballots))
        # Anonymised: no tracking code in the ballot files.
        for code in contest.ballots.values_list("tracking_code", flat=True):
            assert code.encode() not in files[f"ballots/{slug}.blt"] + files[f"ballots/{slug}.csv"]
    assert set(manifest["files"]) == set(files) - {"manifest.json"}


def test_members_download_the_package_from_the_results_page(client, certified, member):
    client.force_login(member.user)
    page = client.get(reverse("elections:results", args=[certified.slug])).content.decode()
    url = reverse("elections:result_package", args=[certified.slug])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "manifest.json" in "".join(_files(response.content, certified.slug))


def test_no_package_before_certification(client, executive, member):
    election = make_election(executive, phase=Election.Phase.COUNTED, posts=[national_post("chair")])
    assert not ResultPackage.objects.exists()
    client.force_login(member.user)
    assert client.get(reverse("elections:result_package", args=[election.slug])).status_code == 404
