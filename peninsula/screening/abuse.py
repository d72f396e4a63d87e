"""Protections shared by every form readers post (comments, 投稿): a honeypot field, rate limits
per client address and per visitor, and a captcha the administrator may switch on.

- The honeypot is a text field people never see (hidden by `screening/forms.css`, out of the tab
  order, `autocomplete=off`); form-filling robots fill it. A post that fills it is answered as if
  it succeeded and nothing is stored, so the robot learns nothing.
- The limits are `peninsula.engagement.ratelimit`'s fixed windows, shared by every process (in
  Redis, else in the machine's SQLite file), with rates from `PENINSULA_ABUSE_RATES[scope]`. A
  refused post gets 429 with Retry-After and a sentence saying how long to wait.
- The captcha is django-simple-captcha: a picture drawn by the server at `/captcha/image/<key>/`
  (same origin, so the strict CSP allows it) for a key stored in the database, so any process
  checks an answer. Pages that are cached for everyone carry no captcha: they fetch one with
  `captcha_challenge()` as JSON (`/captcha/new/`), as they fetch counters.
"""

from captcha.fields import CaptchaField
from captcha.helpers import captcha_image_url
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from peninsula.engagement import ratelimit, visitors

from .services import captcha_enabled

HONEYPOT_FIELD = "website"


class HoneypotInput(forms.TextInput):
    def __init__(self):
        super().__init__(
            attrs={"autocomplete": "off", "tabindex": "-1", "class": "screening-hp__input"}
        )


class ProtectedForm(forms.Form):
    """A reader's form with the honeypot field and, when switched on, the captcha.

    After `is_valid()`, check `honeypot_tripped` before storing anything."""

    website = forms.CharField(
        label=_("Leave this field empty"), required=False, widget=HoneypotInput()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if captcha_enabled():
            self.fields["captcha"] = CaptchaField(
                label=_("Characters in the picture"),
                error_messages={"invalid": _("The characters do not match the picture.")},
            )

    @property
    def honeypot_tripped(self):
        return honeypot_tripped(self.data)


def honeypot_tripped(data):
    """Whether a posted mapping (form data or a JSON body) filled the honeypot field."""
    value = data.get(HONEYPOT_FIELD) if hasattr(data, "get") else None
    return bool(value and str(value).strip())


def rate_limit_take(*, scope, meta, now=None):
    """Count one post of `scope` ("comment", "submission") by this client address and, when the
    request carries a valid visitor cookie, this visitor. Returns None when it is allowed, else
    the seconds until it would be.

    A client that drops its cookies is still held by its address; readers behind one address
    (an office, a campus) are told apart by their cookies within the address's larger allowance.
    """
    rates = settings.PENINSULA_ABUSE_RATES[scope]
    address = visitors.client_address(meta)
    visitor = visitors.visitor_from(meta)
    rules = [
        ratelimit.Rule(f"abuse:{scope}:a:{address}:{period}", limit, period)
        for limit, period in map(ratelimit.parse_rate, rates["address"])
    ]
    if visitor:
        rules += [
            ratelimit.Rule(f"abuse:{scope}:v:{visitor}:{period}", limit, period)
            for limit, period in map(ratelimit.parse_rate, rates["visitor"])
        ]
    refused = ratelimit.take([rule for rule in rules if rule.limit > 0], now=now)
    return None if refused is None else refused[1]


def too_many_message(wait):
    if wait < 120:
        return gettext("Too many posts; please try again in %(n)d seconds.") % {"n": wait}
    return gettext("Too many posts; please try again in %(n)d minutes.") % {"n": (wait + 59) // 60}


def too_many_response(request, wait, *, json=False):
    """The 429 answer: JSON for an endpoint, else a page in the site's look."""
    message = too_many_message(wait)
    if json:
        response = JsonResponse({"error": message, "status": 429}, status=429)
    else:
        response = TemplateResponse(
            request, "screening/too_many.html", {"message": message}, status=429
        )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    return response


def captcha_challenge():
    """A new captcha for a page that cannot carry one (a cached article page): its key, to post
    back with the answer, and its picture's address."""
    key = CaptchaStore.generate_key()
    return {"key": key, "image_url": captcha_image_url(key)}


def captcha_check(*, key, answer):
    """Whether `answer` reads the picture of `key`; a key answers once, right or wrong."""
    if not key or not answer:
        return False
    CaptchaStore.remove_expired()
    try:
        store = CaptchaStore.objects.get(hashkey=str(key), expiration__gt=timezone.now())
    except CaptchaStore.DoesNotExist:
        return False
    store.delete()
    return store.response == str(answer).strip().lower()
