"""The 评论审核 page of one comment: its thread, approve / reject / spam, and the editor's reply."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.permissions import policy_registry

from .models import Comment, Status
from .services import comment_reply, comments_moderate
from .text import MAX_LENGTH

ACTIONS = {
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "spam": Status.SPAM,
}


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Reply"),
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _check(request):
    policy = policy_registry.get_by_type(Comment)
    if not policy.user_has_permission(request.user, "change"):
        raise PermissionDenied


def comment_moderate_view(request, pk):
    _check(request)
    comment = get_object_or_404(Comment.objects.select_related("article", "parent"), pk=pk)
    form = ReplyForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ACTIONS:
            comments_moderate(ids=[comment.pk], status=ACTIONS[action], user=request.user)
            messages.success(request, _("The comment is now: %s.") % Status(ACTIONS[action]).label)
            return redirect(_queue_url())
        if action == "reply":
            form = ReplyForm(request.POST)
            if form.is_valid():
                comment_reply(parent=comment, text=form.cleaned_data["text"], user=request.user)
                messages.success(request, _("Your reply is shown under the comment."))
                return redirect(_queue_url())
    thread_root = comment.parent or comment
    thread = [thread_root, *thread_root.replies.order_by("created_at", "id")]
    return TemplateResponse(
        request,
        "comments/admin/moderate.html",
        {
            "comment": comment,
            "thread": thread,
            "form": form,
            "queue_url": _queue_url(),
            "header_icon": "comment",
        },
    )


def _queue_url():
    return reverse(Comment.snippet_viewset.get_url_name("list"))
