"""factory_boy factories for the personas and their world. Real rows in a real database."""

import datetime

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.utils import timezone

from ajet.organisation.models import Chapter, ChapterMembership, Post, Prefecture, Term
from ajet.people.models import Member, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Member {n}")
    prefecture = factory.LazyFunction(lambda: Prefecture.objects.get(code="11"))  # Saitama, block 3
    position = Member.Position.ALT
    status = Member.Status.CURRENT
    year_on_jet = 2


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Chapter {n}")
    slug = factory.Sequence(lambda n: f"chapter-{n}")

    @factory.post_generation
    def prefecture_codes(self, create, extracted, **kwargs):
        if create:
            self.prefectures.set(extracted or ["11"])


def national_post(slug: str) -> Post:
    return Post.objects.get(slug=slug, chapter=None)


def block_post(number: int) -> Post:
    return Post.objects.get(slug=f"block-{number}-representative", chapter=None)


def chapter_post(chapter: Chapter, slug: str = "president", name: str = "President") -> Post:
    post, _ = Post.objects.get_or_create(
        slug=slug, chapter=chapter,
        defaults={"name_en": name, "kind": Post.Kind.ELECTED, "scope": Post.Scope.CHAPTER,
                  "leads_chapter": slug == "president"},
    )
    return post


def give_term(member: Member, post: Post, *, start: datetime.date | None = None, days: int = 365) -> Term:
    start = start or timezone.localdate() - datetime.timedelta(days=30)
    return Term.objects.create(post=post, member=member, start=start, end=start + datetime.timedelta(days=days - 1))


def give_mfa(user: User) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def join(member: Member, chapter: Chapter) -> ChapterMembership:
    return ChapterMembership.objects.create(member=member, chapter=chapter)


def once_sent(data: dict) -> dict:
    """Form data with a fresh one-time token, as a creation form's page sends it (ajet/core/once.py)."""
    from ajet.core import once

    return {**data, once.FIELD: once.issue()}
