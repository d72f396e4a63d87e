import re

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def full_name(user):
    """A Chinese name reads family name first with no space (王小明, not "小明 王")."""
    first, last = user.first_name.strip(), user.last_name.strip()
    if HAN.search(first + last):
        return f"{last}{first}"
    return f"{first} {last}".strip()


def short_name(user):
    """A Chinese given name alone reads oddly in the admin's corner; the full name is short."""
    return full_name(user) if HAN.search(user.first_name + user.last_name) else user.first_name


class AccountsConfig(AppConfig):
    """Sign-in security for the admin: lockout page, Argon2 and optional two-step verification;
    and people's names as a Chinese newsroom writes them (docs/newsroom.md)."""

    name = "peninsula.accounts"
    label = "accounts"
    verbose_name = _("Account security")

    def ready(self):
        from django.contrib.auth import get_user_model

        # Django's User joins "first last"; every admin screen (Wagtail's too) asks these.
        user_model = get_user_model()
        user_model.get_full_name = full_name
        user_model.get_short_name = short_name
        patch_sidebar_account_name()


def patch_sidebar_account_name():
    """The sidebar's account menu shows `first_name` alone (小明 for 王小明); it shows the name
    as every other screen does instead."""
    from wagtail.admin.ui.sidebar import MainMenuModule

    wagtail_js_args = MainMenuModule.js_args

    def js_args(self):
        menu_items, account_menu_items, account = wagtail_js_args(self)
        name = self.user.get_short_name() or self.user.get_username()
        return [menu_items, account_menu_items, {**account, "name": name}]

    MainMenuModule.js_args = js_args
