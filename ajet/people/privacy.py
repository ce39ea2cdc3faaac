"""The people app's part of a person's data: their account and member profile (see ajet/core/personal_data.py).

Closing an account keeps the User row as an empty shell, so that records which must stay (audit entries,
handbook revisions, "confirmed by") still point at something, but it holds nothing personal and can never
sign in again.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from ajet.core.personal_data import pseudonym_of
from ajet.people.models import Member, User


def export_account(user: User) -> dict:
    """The sign-in account: addresses and whether two-factor authentication is on (never a secret)."""
    return {
        "email": user.email,
        "joined": user.date_joined,
        "last_sign_in": user.last_login,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "two_factor_authentication": {
            "enabled": Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists(),
            "methods": [
                {"type": authenticator.type, "added": authenticator.created_at, "last_used": authenticator.last_used_at}
                for authenticator in Authenticator.objects.filter(user=user).order_by("created_at")
            ],
        },
    }


def export_member(user: User) -> dict | None:
    """The member profile, every field, their own JET number included."""
    member = Member.objects.filter(user=user).select_related("prefecture", "confirmed_by__member").first()
    if member is None:
        return None
    return {
        "name": member.full_name,
        "preferred_language": member.preferred_language,
        "position": member.position,
        "prefecture": {"code": member.prefecture.code, "name": member.prefecture.name_en},
        "contracting_organisation": member.contracting_organisation,
        "jet_start_date": member.jet_start_date,
        "year_on_jet": member.year_on_jet,
        "arrival_group": member.arrival_group,
        "jet_number": member.given_jet_number,
        "status": member.status,
        "bio": member.bio,
        "bio_ja": member.bio_ja,
        "signed_up": member.created_at,
        "confirmed": member.confirmed_at,
        "confirmed_by": str(member.confirmed_by) if member.confirmed_by else None,
    }


def member_of(user: User) -> list[Member]:
    """The member profile stands for the person in the audit log (`subjects` of personal_data)."""
    return list(Member.objects.filter(user=user))


def identifiers_of(user: User) -> list[str]:
    """What identifies the person wherever it was copied: name, e-mail addresses, JET numbers."""
    found = [user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)]
    member = Member.objects.filter(user=user).first()
    if member is not None:
        found += [member.full_name, member.jet_number or "", member.jet_number_claimed]
    return [identifier for identifier in found if identifier]


def close_account(user: User) -> None:
    """Erase the account: profile deleted (chapter memberships go with it, terms keep the holder's name
    set by the organisation eraser), addresses and authenticators deleted, e-mail replaced, password made
    unusable, account deactivated. Changing the password hash and deactivating end every session of the
    user on their next request, whatever the session engine."""
    member = Member.objects.filter(user=user).first()
    if member is not None:
        # The Django admin's own history names the profile too.
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Member),
                                object_id=str(member.pk)).update(object_repr=pseudonym_of(user))
        member.delete()
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User),
                            object_id=str(user.pk)).update(object_repr=pseudonym_of(user))
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.groups.clear()
    user.user_permissions.clear()
    user.email = f"closed-account-{user.pk}@closed.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.save(update_fields=["email", "password", "is_active", "is_staff", "is_superuser", "last_login"])
    user.refresh_from_db()  # forget the cached member profile
