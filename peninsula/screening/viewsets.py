"""The 敏感词 admin: the words with their action and list, and the bulk import of a long list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from .forms import WordsImportForm
from .models import SensitiveWord
from .services import words_import


class WordIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.permission_policy.user_has_permission(self.request.user, "add"):
            buttons.append(
                HeaderButton(
                    _("Import a list"),
                    url=reverse(SensitiveWordViewSet().get_url_name("import")),
                    icon_name="upload",
                )
            )
        return buttons


class WordsImportView(WagtailAdminTemplateMixin, FormView):
    form_class = WordsImportForm
    template_name = "screening/admin/words_import.html"
    page_title = _("Import sensitive words")
    header_icon = "warning"

    def dispatch(self, request, *args, **kwargs):
        policy = SensitiveWordViewSet().permission_policy
        if not policy.user_has_permission(request.user, "add"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        added, updated = words_import(
            words=data["parsed"],
            action=data["action"],
            list_name=data["list_name"],
            replace=data["replace"],
        )
        messages.success(
            self.request,
            _("%(added)d words added, %(updated)d changed.") % {"added": added, "updated": updated},
        )
        return redirect(SensitiveWordViewSet().get_url_name("list"))


class SensitiveWordViewSet(SnippetViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = _("Sensitive words")
    menu_name = "sensitive-words"
    add_to_admin_menu = True
    menu_order = 160
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = WordIndexView
    search_fields = ["word", "note"]
    search_backend_name = None
    list_filter = ["action", "list_name"]
    list_display = ["word", "action", "list_name", "note", "updated_at"]
    list_per_page = 100

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("import/", WordsImportView.as_view(), name="import"),
        ]
