"""Admin pages of the organisation app, for looking up (see ajet/core/admin.py).

Officers change posts, terms, chapters and blocks on the site, where their powers are checked and every
change is audit-logged; the admin shows the same data read-only.
"""

from django.contrib import admin

from ajet.core.admin import ReadOnlyAdmin
from ajet.organisation.models import Block, BlockAssignment, Chapter, Initiative, Post, Prefecture, Term


@admin.register(Prefecture)
class PrefectureAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_en", "name_ja"]
    search_fields = ["code", "name_en", "name_ja"]


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin):
    list_display = ["number"]


@admin.register(BlockAssignment)
class BlockAssignmentAdmin(ReadOnlyAdmin):
    list_display = ["prefecture", "block", "valid_from", "created_at"]
    list_filter = ["block"]
    list_select_related = ["prefecture", "block"]


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyAdmin):
    list_display = ["name", "slug", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "slug"]


@admin.register(Post)
class PostAdmin(ReadOnlyAdmin):
    list_display = ["name_en", "kind", "scope", "block", "chapter", "valid_from", "valid_until"]
    list_filter = ["kind", "scope"]
    search_fields = ["name_en", "name_ja", "slug"]
    list_select_related = ["block", "chapter"]


@admin.register(Term)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["post", "holder", "start", "end"]
    list_filter = ["post__scope", "post__kind"]
    search_fields = ["holder_name", "member__full_name", "post__name_en"]
    list_select_related = ["post", "member"]


@admin.register(Initiative)
class InitiativeAdmin(ReadOnlyAdmin):
    list_display = ["name_en", "supervising_post"]
    list_select_related = ["supervising_post"]
