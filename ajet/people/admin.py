"""Admin pages of the people app: accounts and member profiles, for looking up (see ajet/core/admin.py).

The one change allowed is switching an account off or on (a compromised or abusive account), which is
audit-logged like any other action on someone else's data.
"""

from django.contrib import admin
from django.db import transaction

from ajet.core import audit
from ajet.core.admin import ReadOnlyAdmin, is_admin_user
from ajet.people.models import Member, User

# JET numbers are for the officers who may confirm the member (README, Security): staff superusers have
# no officer powers, so the admin neither shows nor searches them.
HIDDEN_MEMBER_FIELDS = ["jet_number"]


class MemberInline(admin.StackedInline):
    model = Member
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = [field.name for field in Member._meta.fields if field.name not in ["user", *HIDDEN_MEMBER_FIELDS]]
    exclude = HIDDEN_MEMBER_FIELDS

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "member__full_name"]
    fields = ["email", "is_active", "is_staff", "is_superuser", "date_joined", "last_login"]
    readonly_fields = ["email", "is_staff", "is_superuser", "date_joined", "last_login"]
    inlines = [MemberInline]

    def has_change_permission(self, request, obj=None):
        return is_admin_user(request.user)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = audit.snapshot(User.objects.get(pk=obj.pk), ["is_active"])
        super().save_model(request, obj, form, change)
        audit.record(actor=request.user, action="user.change_active", target=obj, before=before,
                     after=audit.snapshot(obj, ["is_active"]))


@admin.register(Member)
class MemberAdmin(ReadOnlyAdmin):
    list_display = ["full_name", "position", "prefecture", "status", "created_at"]
    list_filter = ["status", "position", "prefecture"]
    search_fields = ["full_name", "user__email"]
    list_select_related = ["prefecture"]
    exclude = HIDDEN_MEMBER_FIELDS
