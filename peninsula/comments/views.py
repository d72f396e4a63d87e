"""The comment endpoints and the plain comments page.

Article pages are one shared cached page, so comments are not in them: the page's script reads
`/api/articles/<id>/comments` (newest) or `…/comments/hot` (most 顶), public pages the page
cache keeps and every moderation purges. Posting and 顶 carry no CSRF token (a cached page cannot
hold one); a post from another site is refused by its Sec-Fetch-Site or Origin header, as the
counters do (docs/comments.md).

When the site takes reader accounts, who is signed in is never part of a shared page: the page's
script asks `/api/accounts/me` (peninsula.readers), and the comments page is rendered for a
signed-in reader alone, `private, no-store`.
"""

import json
import re
from urllib.parse import urlencode

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from peninsula.content import queries
from peninsula.content.models import MAX_ID
from peninsula.core.http import public_page
from peninsula.core.jinja2 import render_page
from peninsula.core.net import is_secure
from peninsula.engagement import visitors
from peninsula.screening.abuse import honeypot_tripped, rate_limit_take, too_many_response
from peninsula.screening.services import captcha_enabled, text_screen

from . import services
from .forms import CommentForm, account_name
from .listing import comments_page
from .policy import rules_for

PAGE_RE = re.compile(r"^[1-9][0-9]{0,5}$")


def _article(article_id):
    article = queries.published_article(article_id)
    if article is None:
        raise Http404("No such article")
    return article


def _page_number(request):
    """`?page=N` (one address per page: `page=01` or `page=x` is not one)."""
    value = request.GET.get("page")
    if value is None:
        return 1
    if not PAGE_RE.match(value) or value == "1":
        raise Http404
    return int(value)


def _listing(request, article_id, order):
    article = _article(article_id)
    rules = rules_for(article)
    data = comments_page(
        article, order=order, page=_page_number(request), page_size=rules.page_size
    )
    if data is None:
        raise Http404
    return article, rules, data


def _json(request, article_id, order):
    try:
        article, rules, data = _listing(request, article_id, order)
    except Http404:
        return JsonResponse({"error": _("No such page of comments."), "status": 404}, status=404)
    data = {
        "article": article.pk,
        "open": rules.open,
        "closed_reason": rules.closed_reason,
        "premoderated": rules.premoderated,
        "accounts": rules.accounts,
        **data,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@public_page
def comments_newest(request, article_id):
    return _json(request, article_id, "newest")


@public_page
def comments_hottest(request, article_id):
    return _json(request, article_id, "hottest")


@public_page
def comments_page_view(request, article_id):
    """The comments as a page of their own: what a reader without JavaScript reaches."""
    article, rules, data = _listing(request, article_id, "newest")
    notice = ""
    if request.GET.get("held"):
        notice = _("Thank you. Your comment will be shown once an editor has approved it.")
    elif request.GET.get("posted"):
        notice = _("Your comment is shown.")
    account = rules.account(request.user)
    form = CommentForm(user=account)
    response = _render_page(request, article, rules, data, form, notice=notice)
    # The form carries a captcha key, which answers once, or the reader's name: not shared.
    if captcha_enabled() or account is not None:
        response["Cache-Control"] = "private, no-store"
    return response


def _render_page(request, article, rules, data, form, *, status=200, notice=""):
    page = data["page"]
    context = {
        "article": article,
        "category": article.category,
        "rules": rules,
        "data": data,
        "form": form,
        "account": form.user,
        "account_name": account_name(form.user) if form.user is not None else "",
        "notice": notice,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < data["pages"] else None,
    }
    return render_page(request, "comments/comments_page.html", context, status=status)


def _error(message, status, **extra):
    response = JsonResponse({"error": message, "status": status, **extra}, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _posted_data(request):
    """The fields of a post: a JSON object from the script, or a form from the page."""
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict):
            return None
        return {k: v if isinstance(v, str | int) else "" for k, v in data.items()}
    return request.POST


def _with_visitor(response, request, visitor, known):
    if visitor != known:
        header = visitors.visitor_cookie_header(visitor, secure=is_secure(request.META))
        response.cookies.load(header)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def comment_post(request, article_id):
    """Post a comment: JSON in, JSON out (201 shown, 202 held); or a form from the comments page,
    answered with a redirect back to it."""
    wants_json = request.content_type == "application/json"
    try:
        article = _article(article_id)
    except Http404:
        if wants_json:
            return _error(_("No published article has this id."), 404)
        raise
    if not visitors.is_same_origin_post(request.META):
        return _error(_("Cross-site posts are not accepted."), 403)
    rules = rules_for(article)
    account = rules.account(request.user)
    if account is None and rules.account_required:
        return _account_required(request, article, rules, wants_json)
    wait = rate_limit_take(scope="comment", meta=request.META)
    if wait is not None:
        return too_many_response(request, wait, json=wants_json)
    data = _posted_data(request)
    if data is None:
        return _error(_("The body must be a JSON object."), 400)
    if honeypot_tripped(data):  # answered as a held comment; nothing is stored
        return _held_answer(request, article, wants_json)
    form = CommentForm(data, user=account)
    if not form.is_valid():
        if wants_json:
            errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
            message = next(iter(errors.values()))[0]
            return _error(message, 400, fields=errors)
        listing = comments_page(article, page_size=rules.page_size)
        return _render_page(request, article, rules, listing, form, status=400)
    screening = text_screen(text=form.cleaned_data["name"] + "\n" + form.cleaned_data["text"])
    if screening.blocked:
        message = _("Your comment contains words this site does not publish.")
        if wants_json:
            return _error(message, 400, fields={"text": [message]})
        form.add_error("text", message)
        listing = comments_page(article, page_size=rules.page_size)
        return _render_page(request, article, rules, listing, form, status=400)
    name, _newline, text = screening.text.partition("\n")  # masked words as ＊
    hold_reason = ""
    if screening.held:
        hold_reason = _("sensitive words: %s") % "、".join(screening.words)
    known = visitors.visitor_from(request.META)
    visitor = known or visitors.new_visitor()
    try:
        posted = services.comment_post(
            article=article,
            name=name,
            email=form.cleaned_data["email"],
            text=text,
            hold_reason=hold_reason,
            parent_id=form.cleaned_data["parent"],
            user=account,
            address=visitors.client_address(request.META),
            visitor_id=visitor,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
    except services.CommentsClosed as closed:
        return _error(str(closed), 403)
    except services.AccountRequired:  # the setting changed since the check above
        return _account_required(request, article, rules_for(article), wants_json)
    except services.InvalidReply:
        return _error(_("The comment you reply to is not shown on this article."), 400)
    comment = posted.comment
    if not posted.public:
        return _with_visitor(_held_answer(request, article, wants_json), request, visitor, known)
    if not wants_json:
        url = reverse("comments:page", kwargs={"article_id": article.pk})
        suffix = f"?posted={comment.pk}#c{comment.pk}"
        return _with_visitor(HttpResponseRedirect(url + suffix), request, visitor, known)
    body = {
        "status": "approved",
        "message": _("Your comment is shown."),
        "comment": {
            "id": comment.pk,
            "parent": comment.parent_id,
            "name": comment.name,
            "html": services.comment_html(comment),
            "time": comment.created_at.isoformat(timespec="seconds"),
            "upvotes": 0,
            "staff": False,
        },
    }
    return _with_visitor(JsonResponse(body, status=201), request, visitor, known)


def _account_required(request, article, rules, wants_json):
    """403: the site takes comments from signed-in readers only; the answer says where to sign
    in (and back to the comments after)."""
    message = _("Only signed-in readers may comment. Please sign in first.")
    page = reverse("comments:page", kwargs={"article_id": article.pk})
    login = f"{reverse('readers:login')}?{urlencode({'next': page})}"
    if wants_json:
        return _error(message, 403, login_url=login)
    listing = comments_page(article, page_size=rules.page_size)
    response = _render_page(
        request, article, rules, listing, CommentForm(), status=403, notice=message
    )
    response["Cache-Control"] = "no-store"
    return response


def _held_answer(request, article, wants_json):
    if not wants_json:
        url = reverse("comments:page", kwargs={"article_id": article.pk})
        response = HttpResponseRedirect(url + "?held=1#comment-form")
    else:
        message = _("Thank you. Your comment will be shown once an editor has approved it.")
        response = JsonResponse({"status": "held", "message": message}, status=202)
    response["Cache-Control"] = "no-store"
    return response


@csrf_exempt
@require_POST
def comment_upvote(request, comment_id):
    """顶 a comment, once per visitor."""
    if not visitors.is_same_origin_post(request.META):
        return _error(_("Cross-site posts are not accepted."), 403)
    if comment_id > MAX_ID:
        return _error(_("No such comment."), 404)
    wait = services.upvote_admit(address=visitors.client_address(request.META))
    if wait is not None:
        return too_many_response(request, wait, json=True)
    known = visitors.visitor_from(request.META)
    visitor = known or visitors.new_visitor()
    result = services.comment_upvote(comment_id=comment_id, visitor_id=visitor)
    if result is None:
        return _error(_("No such comment."), 404)
    upvotes, added = result
    response = JsonResponse({"id": comment_id, "upvotes": upvotes, "added": added})
    return _with_visitor(response, request, visitor, known)
