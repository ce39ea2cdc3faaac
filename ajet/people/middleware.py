from django.utils import translation
from django.utils.deprecation import MiddlewareMixin


class MemberLanguageMiddleware(MiddlewareMixin):
    """Show the site in the member's preferred language (the language switcher updates it).

    (MiddlewareMixin makes it work natively under ASGI too, without extra thread switches.)
    """

    def process_request(self, request):
        user = request.user
        if user.is_authenticated:
            member = getattr(user, "member", None)
            if member is not None and member.preferred_language:
                translation.activate(member.preferred_language)
                request.LANGUAGE_CODE = member.preferred_language
