"""The 投稿 page and its thank-you page.

The form page carries a CSRF token, so it is never a shared page: it is not marked
`@public_page` (the page cache stores only those) and says `no-store` itself (docs/caching.md).
"""

from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page
from peninsula.core.net import is_secure
from peninsula.engagement import visitors
from peninsula.screening.abuse import rate_limit_take, too_many_response
from peninsula.screening.services import text_screen

from .forms import SubmissionForm
from .models import SubmissionSettings
from .services import submission_category, submission_receive


@never_cache
def submit(request):
    settings_row = SubmissionSettings.load()
    if not settings_row.enabled or submission_category() is None:
        return render_page(request, "submissions/closed.html", status=404)
    if request.method == "POST":
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            if form.honeypot_tripped:  # a robot: it sees success, nothing is stored
                return redirect("submissions:thanks")
            wait = rate_limit_take(scope="submission", meta=request.META)
            if wait is not None:
                return too_many_response(request, wait)
            data = form.cleaned_data
            if any(text_screen(text=data[field]).blocked for field in ("title", "text")):
                form.add_error(
                    None, _("Your story holds words we cannot accept. Please change them.")
                )
            else:
                submission_receive(
                    title=data["title"],
                    text=data["text"],
                    name=data["name"],
                    contact=data["contact"],
                    images=data["images"],
                    meta=request.META,
                )
                return redirect("submissions:thanks")
    else:
        form = SubmissionForm()
    response = render_page(
        request,
        "submissions/submit.html",
        {"form": form, "intro": settings_row.intro},
        status=400 if form.is_bound else 200,
    )
    if visitors.visitor_from(request.META) is None:  # so that its posts are told apart
        response.cookies.load(
            visitors.visitor_cookie_header(visitors.new_visitor(), secure=is_secure(request.META))
        )
    return response


@public_page
def thanks(request):
    return render_page(request, "submissions/thanks.html")
