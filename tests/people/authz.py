from tests.authz_support import REDIRECT, Row, everyone, officers_only, signed_in


def _penny_confirmed_only_by_her_officers(world, role):
    world.pending.refresh_from_db()
    assert world.pending.is_pending == (role not in ("chapter_officer", "block_rep", "executive", "attacker"))


OFFICERS = ("chapter_officer", "other_block_rep", "block_rep", "executive")

ROWS = [
    Row("people:set_language", everyone(REDIRECT), method="post", data=lambda w: {"language": "ja", "next": "/"}),
    Row("people:profile", signed_in(200)),
    Row("people:export", signed_in(200)),
    Row("people:close_account", signed_in(REDIRECT)),  # to allauth's reauthentication first
    Row("people:pending", officers_only(OFFICERS)),
    # Confirming Penny from the queue: Olga (block 5) manages members, but not Penny, and changes nothing.
    Row("people:decide_pending", officers_only(("chapter_officer", "block_rep", "executive"), status=REDIRECT),
        method="post", data=lambda w: {"members": [w.pending.pk], "decision": "confirm"},
        verify=_penny_confirmed_only_by_her_officers),
    # Penny (pending, Saitama, block 3): her block's officers and executives see and confirm her.
    Row("people:member", officers_only(("chapter_officer", "block_rep", "executive"), denied=404, pending=200),
        kwargs=lambda w: {"member_id": w.pending.pk}),
    Row("people:confirm", officers_only(("chapter_officer", "block_rep", "executive"), status=REDIRECT, denied=404,
                                        pending=403),
        kwargs=lambda w: {"member_id": w.pending.pk}, method="post"),
]

# Downloads of the members an officer is responsible for (each gets only their own; see test_roster_cycle).
ROWS += [Row("people:members_export", officers_only(OFFICERS), kwargs=lambda w: {"kind": "csv"})]

# Roster import: national executives only. With nothing uploaded yet, preview and confirm send them back.
ROWS += [
    Row("people:roster_import", officers_only(("executive",))),
    Row("people:roster_preview", officers_only(("executive",), status=REDIRECT)),
    Row("people:roster_confirm", officers_only(("executive",), status=REDIRECT), method="post",
        data=lambda w: {"token": "not-a-preview"}),
    # Leavers become alumni: executives only; with nothing chosen yet, preview and confirm send them back.
    Row("people:leavers", officers_only(("executive",))),
    Row("people:leavers_preview", officers_only(("executive",), status=REDIRECT)),
    Row("people:leavers_confirm", officers_only(("executive",), status=REDIRECT), method="post",
        data=lambda w: {"token": "not-a-preview"}),
]
