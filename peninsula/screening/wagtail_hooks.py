"""The 敏感词 menu entry (the protection switches are under 设置)."""

from wagtail.snippets.models import register_snippet

from .viewsets import SensitiveWordViewSet

register_snippet(SensitiveWordViewSet)
