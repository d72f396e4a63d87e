"""The newsroom's admin: snippet viewsets for articles (文章) and for categories, authors and
sources (内容); see docs/newsroom.md."""

import functools

import django_filters
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.actions.edit import EditAction
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
    TabbedInterface,
)
from wagtail.admin.rich_text import get_rich_text_editor_widget
from wagtail.admin.ui.tables import Column, UserColumn
from wagtail.admin.views.generic import ReorderView
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import LogContext
from wagtail.log_actions import registry as log_registry
from wagtail.models import TaskState, WorkflowState
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from peninsula.core.forms import AdminModelForm, ImageChooser

from .forms import (
    ArticleForm,
    AuthorChooserViewSet,
    CategoryChooserViewSet,
    CategoryForm,
    ChooserViewSet,
)
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


# The newsroom's states of a story, first match wins: a story in review or scheduled says so
# even when an older version is live.
STATES = {
    "in_review": pgettext_lazy("article state", "In review"),
    "scheduled": pgettext_lazy("article state", "Scheduled"),
    "expired": pgettext_lazy("article state", "Expired"),
    "live": pgettext_lazy("article state", "Published"),
    "withdrawn": pgettext_lazy("article state", "Withdrawn"),
    "draft": pgettext_lazy("article state", "Draft"),
}


def _workflows_in_progress():
    return WorkflowState.objects.filter(
        base_content_type__model="article",
        base_content_type__app_label="content",
        object_id=Cast(OuterRef("pk"), output_field=WorkflowState._meta.get_field("object_id")),
        status=WorkflowState.STATUS_IN_PROGRESS,
    )


def article_state():
    """The state as one SQL expression, so the 状态 column and its filter cannot disagree.
    Needs the `scheduled_at` annotation (ArticleQuerySet.with_schedule)."""
    now = timezone.now()
    return Case(
        When(Exists(_workflows_in_progress()), then=Value("in_review")),
        When(scheduled_at__gt=now, then=Value("scheduled")),
        When(Q(expired=True) | Q(live=True, expire_at__lte=now), then=Value("expired")),
        When(live=True, then=Value("live")),
        When(first_published_at__isnull=False, then=Value("withdrawn")),
        default=Value("draft"),
        output_field=CharField(),
    )


def latest_approver():
    """Who last approved the article in review (its 责任编辑), from the workflow history."""
    approvals = TaskState.objects.filter(
        workflow_state__base_content_type__app_label="content",
        workflow_state__base_content_type__model="article",
        workflow_state__object_id=Cast(
            OuterRef("pk"), output_field=WorkflowState._meta.get_field("object_id")
        ),
        status=TaskState.STATUS_APPROVED,
    ).order_by("-finished_at", "-pk")
    return Subquery(approvals.values("finished_by")[:1])


def owner_choices(request):
    return get_user_model().objects.filter(owned_articles__isnull=False).distinct()


class ArticleFilterSet(WagtailFilterSet):
    STATUS_CHOICES = [
        *STATES.items(),
        ("changed", _("Live with unpublished changes")),
        ("overdue", _("Overdue")),
    ]

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("All")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=Category.objects.all(), method="filter_category"
    )
    owner = django_filters.ModelChoiceFilter(label=_("Writer"), queryset=owner_choices)
    authors = django_filters.ModelChoiceFilter(label=_("Byline"), queryset=Author.objects.all())
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=language_choices, empty_label=_("All")
    )
    published_at = django_filters.DateFromToRangeFilter(
        label=_("Publication date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Article
        fields = []

    def filter_category(self, queryset, name, value):
        return queryset.in_category(value)

    def filter_status(self, queryset, name, value):
        if value == "changed":
            return queryset.filter(live=True, has_unpublished_changes=True)
        if value == "overdue":
            return queryset.overdue()
        return queryset.alias(filtered_state=article_state()).filter(filtered_state=value)


class StateColumn(Column):
    """The story's state, and a link to the page readers see when it is published."""

    cell_template_name = "content/admin/state_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["label"] = STATES[instance.state]
        context["live_url"] = instance.get_absolute_url() if instance.state == "live" else None
        return context


class TimeColumn(Column):
    """An absolute time (2024-11-27 12:05): a newsroom reads the clock, not "2 年 之前"."""

    cell_template_name = "content/admin/time_cell.html"


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
        return (
            super()
            .get_base_queryset()
            .select_related("category", "owner")
            .annotate(state=article_state(), approver_id=latest_approver())
        )

    def paginate_queryset(self, queryset, page_size):
        """Fetch the page's 责任编辑 in one query, for the column to show."""
        paginator, page, articles, is_paginated = super().paginate_queryset(queryset, page_size)
        articles = list(articles)
        approvers = get_user_model().objects.in_bulk({a.approver_id for a in articles})
        for article in articles:
            article.approver = approvers.get(article.approver_id)
        return paginator, page, articles, is_paginated

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
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        # An article exists from its first 保存草稿, not from the first keystroke; autosave
        # starts on the edit page, where it folds its saves into one revision.
        self.autosave_enabled = False

    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class FoldedAutosaveEditAction(EditAction):
    """Wagtail's edit, logged under the id of the save it overwrites, so that the autosaves of
    one editing session make one history row. Wagtail folds them for pages; for snippets its
    edit action logs each autosave as a row of its own."""

    def _edit(self, skip_permission_checks=False):
        uuid = None
        if self.overwrite_revision is not None and self.log_action:
            uuid = log_registry.get_logs_for_instance(
                self.instance
            ).latest_uuid_for_user_revision_action(
                self.user, self.overwrite_revision, self.log_action
            )
        if uuid is None:
            return super()._edit(skip_permission_checks=skip_permission_checks)
        context = LogContext(user=self.user, generate_uuid=False)
        context.uuid = uuid
        with context:
            return super()._edit(skip_permission_checks=skip_permission_checks)


class ArticleEditView(EditView):
    action_class = FoldedAutosaveEditAction

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)  # a copy: Wagtail's default is a shared list
        if self.object.is_published():
            buttons.append(
                HeaderButton(
                    _("View live"),
                    url=self.object.get_absolute_url(),
                    icon_name="link-external",
                    attrs={"target": "_blank", "rel": "noreferrer", "data-newsroom": "view-live"},
                )
            )
        # Other apps' tools for this article (views chart, preview links), so content imports
        # none of them.
        for buttons_for in hooks.get_hooks("peninsula_article_header_buttons"):
            buttons.extend(buttons_for(self.request, self.object))
        return buttons

    def save_instance(self):
        instance = super().save_instance()
        if "translation" in self.form.changed_data:
            # A live article's edits wait in a revision; the link is made on the live rows now.
            article_link_translation(
                article=instance, translation=self.form.cleaned_data["translation"]
            )
        return instance


class ArticleDeleteView(DeleteView):
    def user_has_permission(self, permission):
        # Deleting depends on the article: an author may delete their own never-published
        # draft (ArticlePermissionPolicy), so the 删除 the edit page offers leads somewhere.
        return self.user_has_permission_for_instance(permission, self.object)


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


class NewsroomViewSet(SnippetViewSet):
    chooser_viewset_class = ChooserViewSet


class ArticleViewSet(NewsroomViewSet):
    model = Article
    icon = "doc-full"
    menu_label = _("Articles")
    menu_name = "articles"
    # The newsroom's daily work: first in the menu, not inside the 内容 submenu.
    add_to_admin_menu = True
    menu_order = 10
    copy_view_enabled = False
    index_view_class = ArticleIndexView
    add_view_class = ArticleCreateView
    edit_view_class = ArticleEditView
    delete_view_class = ArticleDeleteView
    filterset_class = ArticleFilterSet
    search_fields = ["title", "summary", "byline"]
    ordering = ["-published_at", "-id"]
    list_per_page = 50
    list_display = [
        "title",
        StateColumn("state", label=_("Status"), sort_key="state"),
        Column("category", label=_("Category"), sort_key="category__sort_order"),
        UserColumn("owner", label=_("Writer")),
        UserColumn("approver", label=_("Responsible editor")),
        ScheduleColumn("schedule", label=_("Schedule"), sort_key="go_live_at"),
        TimeColumn("published_at", label=_("Publication time"), sort_key="published_at"),
        TimeColumn("updated_at", label=_("Updated"), sort_key="updated_at"),
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
                    FieldPanel("cover_image", widget=ImageChooser),
                    MultiFieldPanel(
                        [FieldPanel("byline"), FieldPanel("tags")],
                        heading=_("Credits and tags"),
                    ),
                    # 作者: ordered by drag and drop, each with a role; the author is picked in
                    # a chooser that searches authors by name.
                    InlinePanel(
                        "credits",
                        heading=_("Authors"),
                        label=_("Author"),
                        panels=[FieldRowPanel([FieldPanel("author"), FieldPanel("role")])],
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
            ObjectList(
                [
                    InlinePanel(
                        "gallery_images",
                        label=_("Picture"),
                        panels=[
                            FieldPanel("image", widget=ImageChooser),
                            FieldRowPanel([FieldPanel("caption"), FieldPanel("credit")]),
                        ],
                    )
                ],
                heading=_("Gallery"),
            ),
            ObjectList(
                [
                    InlinePanel(
                        "corrections",
                        label=_("Correction"),
                        panels=[FieldPanel("noted_at"), FieldPanel("text")],
                    )
                ],
                heading=_("Corrections"),
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


class CategoryDeleteView(DeleteView):
    """Refuse to delete a category that still files articles or holds categories (the rows
    protect it), with the count and a link to the articles, which the listing can move."""

    @cached_property
    def held(self):
        return {
            "articles": self.object.articles.count(),
            "children": self.object.children.count(),
        }

    def get_context_data(self, **kwargs):
        articles = reverse(Article.snippet_viewset.get_url_name("list"))
        return {
            **super().get_context_data(**kwargs),
            "held": self.held,
            "articles_url": f"{articles}?category={self.object.pk}",
        }

    def form_valid(self, form):
        if any(self.held.values()):
            messages.error(self.request, _("This category is not empty; it was not deleted."))
            return redirect(self.get_delete_url())
        return super().form_valid(form)


class CategoryIndexView(IndexView):
    def order_queryset(self, queryset):
        # In the drag-to-reorder list, ties keep the order the reorder view numbers them in.
        if self.show_ordering_column:
            return queryset.order_by("sort_order", "id")
        return super().order_queryset(queryset)


class CategoryReorderView(ReorderView):
    """Drag to reorder: the categories are numbered afresh in the order shown, the dragged one
    at its new place. Wagtail's view shifts numbers and so moves nothing among the equal sort
    orders categories start with; the last save purges the navigation of every page."""

    def get_queryset(self):
        return Category.objects.order_by("sort_order", "id")

    def post(self, request, *args, **kwargs):
        moved = get_object_or_404(Category, pk=unquote(str(kwargs.get("pk"))))
        order = [pk for pk in self.get_queryset().values_list("pk", flat=True) if pk != moved.pk]
        try:
            position = int(request.GET.get("position", ""))
        except ValueError:
            position = len(order)
        order.insert(min(max(position, 0), len(order)), moved.pk)
        numbers = dict(Category.objects.values_list("pk", "sort_order"))
        with transaction.atomic():
            for number, pk in enumerate(order):
                if pk != moved.pk and numbers[pk] != number:
                    Category.objects.filter(pk=pk).update(sort_order=number)
            moved.sort_order = order.index(moved.pk)
            moved.save(update_fields=["sort_order"])
        return JsonResponse({"success": True})


class CategoryViewSet(NewsroomViewSet):
    model = Category
    # The parent picker: a searchable tree (forms.CategoryTreeMixin).
    chooser_viewset_class = CategoryChooserViewSet
    # Navigation order is set by dragging rows in the list (its "排序" button).
    sort_order_field = "sort_order"
    index_view_class = CategoryIndexView
    reorder_view_class = CategoryReorderView
    delete_view_class = CategoryDeleteView
    delete_template_name = "content/admin/category_confirm_delete.html"
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
    # The form lets the slug be left empty, for the model to fill in pinyin.
    edit_handler = ObjectList(panels, base_form_class=CategoryForm)


class AuthorViewSet(NewsroomViewSet):
    model = Author
    chooser_viewset_class = AuthorChooserViewSet
    icon = "user"
    menu_label = _("Authors")
    search_fields = ["name", "bio"]
    list_display = ["name", Column("slug", label=_("Slug")), UserColumn("user", label=_("User"))]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("slug"), FieldPanel("bio"), FieldPanel("user")],
        base_form_class=AdminModelForm,
    )


class SourceViewSet(NewsroomViewSet):
    model = Source
    icon = "link"
    menu_label = _("Sources")
    search_fields = ["name", "url"]
    list_display = ["name", Column("url", label=_("Website"))]
    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("url")], base_form_class=AdminModelForm
    )


class ContentViewSetGroup(SnippetViewSetGroup):
    items = (CategoryViewSet, AuthorViewSet, SourceViewSet)
    menu_label = _("Content")
    menu_icon = "doc-full-inverse"
    menu_order = 100
