"""The 敏感词 menu entry (the protection switches are under 设置), and the warning an editor
gets on saving an article that holds listed words (articles.py)."""

from django.contrib import messages
from wagtail import hooks
from wagtail.snippets.models import register_snippet

from peninsula.content.models import Article

from .articles import warning_for
from .viewsets import SensitiveWordViewSet

register_snippet(SensitiveWordViewSet)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def warn_about_sensitive_words(request, instance):
    if isinstance(instance, Article):
        warning = warning_for(instance)
        if warning:
            messages.warning(request, warning)
