

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from ajet.core.validators import validate_plain_multiline_text, validate_plain_text
from ajet.people.user_cache import MembersQuerySet, UsersQuerySet

JET_NUMBER_VALIDATOR = RegexValidator(
    r"^20\d{9}$", _("A JET number has 11 digits and starts with 20."), code="jet_number"
)


class UserManager(BaseUserManager.from_queryset(UsersQuerySet)):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A sign-in account. E-mail is the login; everything about the person is on their Member profile."""

    email = models.EmailField(_("e-mail address"), unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (Django admin only)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Raised when an authenticator is added or removed: every session signed in before then ends
    # (ajet/people/mfa.py). Zero keeps Django's own session hash, so existing sessions survive the upgrade.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        member = getattr(self, "member", None)
        return member.full_name if member is not None else self.email

    def _get_session_auth_hash(self, secret=None):
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        key_salt = "ajet.people.models.User.get_session_auth_hash"
        value = f"{self.password}:{self.session_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    def has_perm(self, perm, obj=None):
        # Superusers are for the Django admin only: officer powers come from terms (ajet/people/backends.py).
        from ajet.people.backends import user_has_perm

        return user_has_perm(self, perm, obj)


class Member(models.Model):
    """A JET participant's profile: who they are, where they are, and where they stand."""

    class Position(models.TextChoices):
        ALT = "ALT", _("ALT (Assistant Language Teacher)")
        CIR = "CIR", _("CIR (Coordinator for International Relations)")
        SEA = "SEA", _("SEA (Sports Exchange Advisor)")
        OTHER = "OTHER", _("Other")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending confirmation")
        CURRENT = "current", _("Current participant")
        ALUMNI = "alumni", _("Alumni")
        LEFT = "left", _("Left")
        REJECTED = "rejected", _("Sign-up rejected")

    class RejectionReason(models.TextChoices):
        """Why officers turned a sign-up down: the person is told in their language (people/tasks.py)."""

        NOT_JET = "not_jet", _("Not a JET participant")
        DUPLICATE = "duplicate", _("Duplicate account")
        OTHER = "other", _("Another reason")

    class ArrivalGroup(models.TextChoices):
        A = "A", _("Group A")
        B = "B", _("Group B")
        C = "C", _("Group C")
        OTHER = "other", _("Other arrival")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member")
    full_name = models.CharField(_("name"), max_length=150, validators=[validate_plain_text])
    preferred_language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="en"
    )
    position = models.CharField(_("position"), max_length=5, choices=Position.choices, default=Position.ALT)
    prefecture = models.ForeignKey(
        "organisation.Prefecture", on_delete=models.PROTECT, related_name="members", verbose_name=_("prefecture")
    )
    contracting_organisation = models.CharField(_("contracting organisation"), max_length=200, blank=True,
                                                validators=[validate_plain_text])
    jet_start_date = models.DateField(_("JET start date"), null=True, blank=True)
    year_on_jet = models.PositiveSmallIntegerField(
        _("year on JET"), default=1, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    arrival_group = models.CharField(
        _("arrival group"), max_length=5, choices=ArrivalGroup.choices, blank=True
    )
    jet_number = models.CharField(
        _("JET number"), max_length=11, null=True, blank=True, unique=True, validators=[JET_NUMBER_VALIDATOR]
    )
    # A number the member gave that another member already holds. The member is not told (that would let
    # anyone test numbers); the officers who confirm members see it and check.
    jet_number_claimed = models.CharField(
        _("JET number given, already registered to another member"), max_length=11, blank=True,
        validators=[JET_NUMBER_VALIDATOR],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    bio = models.TextField(_("short bio (English)"), max_length=1000, blank=True,
                           validators=[validate_plain_multiline_text])
    bio_ja = models.TextField(_("short bio (Japanese)"), max_length=1000, blank=True,
                              validators=[validate_plain_multiline_text])
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = models.Manager.from_queryset(MembersQuerySet)()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["full_name"]
        indexes = [models.Index(fields=["status", "prefecture"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_on_jet__gte=1, year_on_jet__lte=5), name="member_year_on_jet_1_to_5"
            )
        ]

    def __str__(self):
        return self.full_name

    @property
    def given_jet_number(self) -> str | None:
        """The JET number as the member gave it, whether or not it clashed with another member's."""
        return self.jet_number or self.jet_number_claimed or None

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.CURRENT

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def has_verified_email(self) -> bool:
        """Whether they clicked the link sent to their address (annotated by queries.awaiting_confirmation)."""
        annotated = getattr(self, "email_verified", None)
        if annotated is not None:
            return annotated
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user_id=self.user_id, verified=True).exists()

