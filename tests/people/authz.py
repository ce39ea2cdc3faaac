from tests.authz_support import REDIRECT, Row, everyone, officers_only, signed_in

OFFICERS = ("chapter_officer", "other_block_rep", "block_rep", "executive")

ROWS = [
    Row("people:set_language", everyone(REDIRECT), method="post", data=lambda w: {"language": "ja", "next": "/"}),
    Row("people:profile", signed_in(200)),
    Row("people:export", signed_in(200)),
    Row("people:close_account", signed_in(REDIRECT)),  # to allauth's reauthentication first
    Row("people:pending", officers_only(OFFICERS)),
    # Penny (pending, Saitama, block 3): her block's officers and executives see and confirm her.
    Row("people:member", officers_only(("chapter_officer", "block_rep", "executive"), denied=404, pending=200),
        kwargs=lambda w: {"member_id": w.pending.pk}),
    Row("people:confirm", officers_only(("chapter_officer", "block_rep", "executive"), status=REDIRECT, denied=404,
                                        pending=403),
        kwargs=lambda w: {"member_id": w.pending.pk}, method="post"),
]

# Roster import: national executives only. With nothing uploaded yet, preview and confirm send them back.
ROWS += [
    Row("people:roster_import", officers_only(("executive",))),
    Row("people:roster_preview", officers_only(("executive",), status=REDIRECT)),
    Row("people:roster_confirm", officers_only(("executive",), status=REDIRECT), method="post",
        data=lambda w: {"token": "not-a-preview"}),
]
