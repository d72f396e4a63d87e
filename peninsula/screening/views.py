"""The captcha a cached page asks for after it loads (docs/screening.md)."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .abuse import captcha_challenge
from .services import captcha_enabled


@never_cache
@require_safe
def captcha_new(request):
    """{"required": false}, or {"required": true, "key": …, "image_url": …}."""
    if not captcha_enabled():
        return JsonResponse({"required": False})
    return JsonResponse({"required": True, **captcha_challenge()})
