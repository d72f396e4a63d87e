"""The newsroom's admin: snippet viewsets for articles, categories, authors and sources (内容)."""

import functools

import django_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, When
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
)
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.ui.tables import Column, DateColumn, UserColumn
from wagtail.models import WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .forms import ArticleForm
from .models import Article, Author, Category, Source
from .services import article_link_translation

# What the body editor offers; the article template styles exactly these.
BODY_FEATURES = [
    "h2",
    "h3",
    "h4",
    "bold",
    "italic",
    "link",
    "ol",
    "ul",
    "blockquote",
    "hr",
    "image",
    "embed",
]


def language_choices():
    codes = Article.objects.order_by("language").values_list("language", flat=True).distinct()
    return [(code, code) for code in codes]


class ArticleFilterSet(WagtailFilterSet):
    STATUS_CHOICES = [
        ("draft", _("Draft")),
        ("live", _("Live")),
        ("changed", _("Live with unpublished changes")),
        ("in_review", _("In review")),
        ("scheduled", _("Scheduled")),
        ("overdue", _("Overdue")),
    ]

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), method="filter_category"
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=language_choices, empty_label=_("All")
    )
    authors = django_filters.ModelChoiceFilter(label=_("Author"), queryset=Author.objects.all())
    published_at = django_filters.DateFromToRangeFilter(
        label=_("Publication date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Article
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_status(self, queryset, name, value):
        if value == "draft":
            return queryset.filter(live=False)
        if value == "live":
            return queryset.filter(live=True)
        if value == "changed":
            return queryset.filter(live=True, has_unpublished_changes=True)
        if value == "in_review":
            return queryset.filter(Exists(_workflows_in_progress()))
        if value == "scheduled":
            return queryset.scheduled()
        return queryset.overdue()


def _workflows_in_progress():
    return WorkflowState.objects.filter(
        base_content_type__model="article",
        base_content_type__app_label="content",
        object_id=Cast(OuterRef("pk"), output_field=WorkflowState._meta.get_field("object_id")),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )


class ScheduleColumn(Column):
    """Scheduled go-live time, or an overdue flag an editor cannot miss."""

    cell_template_name = "content/admin/schedule_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = instance.is_overdue()
        context["scheduled_at"] = getattr(instance, "scheduled_at", None)
        context["expire_at"] = instance.expire_at
        return context


class ArticleIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("category", "owner")

    def search_queryset(self, queryset):
        """Search with the site's Chinese + English index when the search app offers one.

        The search app registers itself under the `peninsula_article_search` hook, so content
        needs no import of it; without the hook the listing falls back to Wagtail's own search.
        """
        searches = hooks.get_hooks("peninsula_article_search")
        if not self.is_searching or not searches:
            return super().search_queryset(queryset)
        ids = searches[0](self.search_query)
        queryset = queryset.filter(pk__in=ids)
        if self.is_explicitly_ordered or not ids:
            return queryset
        return queryset.order_by(Case(*(When(pk=pk, then=rank) for rank, pk in enumerate(ids))))


class ArticleCreateView(CreateView):
    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class ArticleEditView(EditView):
    def save_instance(self):
        instance = super().save_instance()
        if "translation" in self.form.changed_data:
            # A live article's edits wait in a revision; the link is made on the live rows now.
            article_link_translation(
                article=instance, translation=self.form.cleaned_data["translation"]
            )
        return instance


def _owner_checked(view):
    """Refuse any admin URL about an article the user may not change (someone else's, for
    an author), before Wagtail's view runs."""

    @functools.wraps(view)
    def checked(request, *args, **kwargs):
        if "pk" in kwargs:
            article = get_object_or_404(
                Article.objects.only("pk", "owner"), pk=unquote(str(kwargs["pk"]))
            )
            policy = policy_registry.get_by_type(Article)
            if not policy.user_has_permission_for_instance(request.user, "change", article):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return checked


class ArticleViewSet(SnippetViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("Articles")
    copy_view_enabled = False
    index_view_class = ArticleIndexView
    add_view_class = ArticleCreateView
    edit_view_class = ArticleEditView
    filterset_class = ArticleFilterSet
    search_fields = ["title", "summary", "byline"]
    ordering = ["-published_at", "-id"]
    list_per_page = 50
    list_display = [
        "title",
        Column("category", label=_("Category"), sort_key="category__sort_order"),
        Column("language", label=_("Language"), sort_key="language"),
        UserColumn("owner", label=_("Owner")),
        ScheduleColumn("schedule", label=_("Schedule"), sort_key="go_live_at"),
        DateColumn("published_at", label=_("Publication time"), sort_key="published_at"),
        Column("views", label=_("Views"), sort_key="views"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("title"),
                    FieldRowPanel([FieldPanel("category"), FieldPanel("language")]),
                    FieldPanel("summary"),
                    FieldPanel("body", widget=get_rich_text_editor_widget(features=BODY_FEATURES)),
                ],
                heading=_("Content"),
            ),
            ObjectList(
                [
                    FieldPanel("cover_image"),
                    MultiFieldPanel(
                        [FieldPanel("byline"), FieldPanel("authors"), FieldPanel("tags")],
                        heading=_("Credits and tags"),
                    ),
                    MultiFieldPanel(
                        [
                            FieldRowPanel([FieldPanel("source"), FieldPanel("source_url")]),
                            FieldRowPanel(
                                [FieldPanel("original_title"), FieldPanel("original_author")]
                            ),
                            FieldPanel("responsible_editor"),
                        ],
                        heading=_("Source"),
                    ),
                    FieldPanel("translation"),
                    FieldPanel("published_at"),
                    PublishingPanel(),
                ],
                heading=_("Details"),
            ),
        ],
        base_form_class=ArticleForm,
    )

    def get_queryset(self, request):
        """Only the articles the user may change: an author sees their own."""
        policy = policy_registry.get_by_type(Article)
        return policy.instances_user_has_permission_for(request.user, "change").with_schedule()

    def construct_view(self, view_class, **kwargs):
        return _owner_checked(super().construct_view(view_class, **kwargs))


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    search_fields = ["name", "slug", "description"]
    list_display = [
        "__str__",
        Column("slug", label=_("Slug"), sort_key="slug"),
        Column("sort_order", label=_("Sort order"), sort_key="sort_order"),
        Column("in_navigation", label=_("Show in navigation"), sort_key="in_navigation"),
    ]
    list_filter = ["in_navigation", "parent"]
    ordering = ["sort_order", "id"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("in_navigation"), FieldPanel("sort_order")]),
    ]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    search_fields = ["name", "bio"]
    list_display = ["name", Column("slug", label=_("Slug")), UserColumn("user", label=_("User"))]
    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio"), FieldPanel("user")]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link"
    menu_label = _("Sources")
    search_fields = ["name", "url"]
    list_display = ["name", Column("url", label=_("Website"))]
    panels = [FieldPanel("name"), FieldPanel("url")]


class ContentViewSetGroup(SnippetViewSetGroup):
    items = (ArticleViewSet, CategoryViewSet, AuthorViewSet, SourceViewSet)
    menu_label = _("Content")
    menu_icon = "doc-full-inverse"
    menu_order = 100
