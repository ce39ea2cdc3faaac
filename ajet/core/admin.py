"""The Django admin: read-mostly pages for staff superusers, who have no officer powers.

Admin access is decided here, by account flags, and never through `user.has_perm`: the permission names
the admin would ask (such as `organisation.change_chapter`) are officer powers that come from terms only
(ajet/people/backends.py). Changes to the organisation are made on the site by officers, where they are
checked and audit-logged; the admin is for looking things up.
"""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from ajet.core.models import AuditEntry

# Sign in to the admin through allauth's login, so that throttling and two-factor authentication apply.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("AJET Nexus administration")
admin.site.site_title = _("AJET Nexus admin")
admin.site.unregister(Group)  # permissions come from terms, not from groups


def is_admin_user(user) -> bool:
    return user.is_active and user.is_staff and user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff superusers may look; nobody may add, change or delete through the admin."""

    def has_module_permission(self, request):
        return is_admin_user(request.user)

    def has_view_permission(self, request, obj=None):
        return is_admin_user(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_label", "action"]
    date_hierarchy = "at"
