"""Platform middleware."""

from django.utils.cache import add_never_cache_headers


class NoStoreForSignedInMiddleware:
    """``Cache-Control: no-store`` (and ``private``) on every answer to a signed-in user and on
    every API answer: personal data — scores, letters, rankings — must not stay in a shared
    proxy or in the browser's cache after sign-out. Static files never reach this middleware
    (WhiteNoise answers them first, with long-lived caching of hashed names)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            add_never_cache_headers(response)
            response["Cache-Control"] += ", private"
        return response
