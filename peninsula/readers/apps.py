from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadersConfig(AppConfig):
    """Reader accounts: sign up, sign in and out on the public site, when 设置 → 评论设置 takes
    them (docs/comments.md). Readers are plain users: no staff rights, no admin access."""

    name = "peninsula.readers"
    label = "readers"
    verbose_name = _("Reader accounts")
