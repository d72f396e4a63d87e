"""Shared by the admin tests: users in the newsroom roles and the article form's POST data."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

AUTHOR, EDITOR, ADMINISTRATOR = "作者", "编辑", "管理员"
PASSWORD = "correct-horse-battery"


def make_user(username, role, *, family_name="", given_name=""):
    user = get_user_model().objects.create_user(
        username=username,
        password=PASSWORD,
        email=f"{username}@example.com",
        last_name=family_name,
        first_name=given_name,
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def article_url(name, *args):
    return reverse(f"wagtailsnippets_content_article:{name}", args=args)


def article_post(category, **overrides):
    """The edit form's fields as a browser sends them; `action` picks the button pressed."""
    data = {
        "title": "半岛新闻",
        "category": category.pk,
        "language": "zh",
        "summary": "",
        "body": rich_text("<p>正文第一段。</p>"),
        "byline": "",
        "tags": "",
        "source": "",
        "source_url": "",
        "cover_image": "",
        "translation": "",
        "published_at": "",
        "go_live_at": "",
        "expire_at": "",
        "credits": inline_formset([]),
        "gallery_images": inline_formset([]),
        "corrections": inline_formset([]),
    }
    action = overrides.pop("action", None)
    if "body" in overrides:
        overrides["body"] = rich_text(overrides["body"])
    data.update(overrides)
    if action:
        data[f"action-{action}"] = action
    return nested_form_data(data)


def credits_post(*credits):
    """The 作者 inline's new rows, in order: each an (author, role) pair."""
    return inline_formset([{"author": author.pk, "role": role} for author, role in credits])
