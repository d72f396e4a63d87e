"""Sign up, sign in, sign out, and who is signed in.

The forms carry a CSRF token and the answers depend on the session, so none of these is a
shared page: none is marked `@public_page` (the page cache stores only those) and each says
`no-store` itself. Pages that are shared (articles, comments) learn who is signed in from
`/api/accounts/me`.
"""

from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView
from django.db import IntegrityError
from django.http import HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from peninsula.comments.forms import account_name
from peninsula.comments.models import ReaderAccounts
from peninsula.comments.policy import site_rules
from peninsula.core.http import read_only
from peninsula.core.jinja2 import render_page
from peninsula.screening.abuse import rate_limit_take, too_many_response

from .forms import SigninForm, SignupForm
from .services import reader_create

# The backend `login()` records after a sign-up (axes' backend only guards authenticate()).
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _accounts_on():
    return site_rules().accounts != ReaderAccounts.OFF


def _closed(request):
    return render_page(request, "readers/closed.html", status=404)


def _next_url(request):
    """Where to go after signing in, up or out: a page of this site, else the home page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return "/"


@never_cache
def signup(request):
    if not _accounts_on():
        return _closed(request)
    if request.user.is_authenticated:
        return HttpResponseRedirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.honeypot_tripped:  # a robot: it sees success, nothing is stored
            return HttpResponseRedirect(_next_url(request))
        wait = rate_limit_take(scope="signup", meta=request.META)
        if wait is not None:
            return too_many_response(request, wait)
        data = form.cleaned_data
        try:
            user = reader_create(
                username=data["username"],
                display_name=data["first_name"],
                email=data["email"],
                password=data["password1"],
            )
        except IntegrityError:  # the same username taken a moment ago by another request
            form.add_error("username", _("A user with that username already exists."))
        else:
            login(request, user, backend=MODEL_BACKEND)
            return HttpResponseRedirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render_page(
        request, "readers/signup.html", context, status=400 if form.is_bound else 200
    )


@method_decorator(never_cache, name="dispatch")
class SigninView(LoginView):
    """Django's sign-in view; django-axes locks a username and address out after repeated
    failures, as for the admin (its lockout page is `accounts.views.lockout`)."""

    form_class = SigninForm
    template_name = "readers/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        if not _accounts_on():
            return _closed(request)
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return "/"


@never_cache
def signout(request):
    """POST (with the CSRF token) signs out; GET asks first, so a link cannot sign anyone out."""
    if request.method == "POST":
        logout(request)
        return HttpResponseRedirect(_next_url(request))
    return render_page(request, "readers/logout.html", {"next": _next_url(request)})


@read_only
def me(request):
    """Who is signed in, for the scripts of shared pages: never cached anywhere. A signed-in
    reader also gets the CSRF token that signing out needs."""
    user = request.user
    if user.is_authenticated:
        body = {"signed_in": True, "name": account_name(user), "csrf": get_token(request)}
    else:
        body = {"signed_in": False}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "private, no-store"
    return response
