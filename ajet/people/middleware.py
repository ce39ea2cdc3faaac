from django.utils import translation


class MemberLanguageMiddleware:
    """Show the site in the member's preferred language (the language switcher updates it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            member = getattr(user, "member", None)
            if member is not None and member.preferred_language:
                translation.activate(member.preferred_language)
                request.LANGUAGE_CODE = member.preferred_language
        return self.get_response(request)
