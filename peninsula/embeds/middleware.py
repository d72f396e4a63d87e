"""Public pages allow frames from the allowed embed providers and from no one else."""

from django.conf import settings

from .allowlist import frame_origins


class EmbedFramesMiddleware:
    """Adds the allowed providers' origins to the CSP's frame-src of HTML pages. Listed after
    csp.middleware.CSPMiddleware, so it marks the response before the policy is written.
    Without allowed providers nothing is added and default-src 'self' rules frames."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.excluded = tuple(settings.CONTENT_SECURITY_POLICY.get("EXCLUDE_URL_PREFIXES", ()))

    def __call__(self, request):
        response = self.get_response(request)
        # Only pages frame anything: JSON, feeds and files are left alone (and read nothing).
        is_page = response.get("Content-Type", "").startswith("text/html")
        if not is_page or request.path.startswith(self.excluded):
            return response
        origins = frame_origins()
        if origins:
            update = dict(getattr(response, "_csp_update", None) or {})
            update["frame-src"] = [*update.get("frame-src", []), *origins]
            response._csp_update = update
        return response
