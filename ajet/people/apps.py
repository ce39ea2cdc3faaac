from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "ajet.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from ajet.core import audit, personal_data
        from ajet.core.sessions import register_user_prefetch
        from ajet.people import mfa, privacy, user_cache

        mfa.connect()
        user_cache.connect(self.get_model("User"), self.get_model("Member"))
        register_user_prefetch(user_cache.prefetch_items)
        from allauth.account.models import EmailAddress

        from ajet.core.cache import bump_on_writes

        bump_on_writes(user_cache.PEOPLE_DATA, EmailAddress)  # a verified address puts a sign-up in the queue

        personal_data.register(name="account", export=privacy.export_account, erase=privacy.close_account,
                               identifiers=privacy.identifiers_of)
        personal_data.register(name="member_profile", export=privacy.export_member, subjects=privacy.member_of)
        audit.register_actions({
            "member.confirm": _("Membership confirmed"),
            "member.reject": _("Sign-up rejected"),
            "member.alumni": _("Member left JET (now alumni)"),
            "roster.alumni": _("Leavers marked as alumni"),
            "roster.import": _("Roster imported"),
            "roster.member_create": _("Member added by a roster import"),
            "roster.member_update": _("Member changed by a roster import"),
            "user.change_active": _("Account switched on or off"),
        })
        audit.register_field_labels({
            "reason": _("reason"), "note": _("note"), "email": _("e-mail address"), "file_name": _("file"),
            "last_day": _("last day"), "source": _("chosen by"), "alumni": _("members now alumni"),
            "skipped": _("members skipped"), "created": _("members added"), "updated": _("members changed"),
            "unchanged": _("members unchanged"),
        })
