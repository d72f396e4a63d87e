"""The shapes the read API answers with and accepts; URLs in them are absolute."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import BeforeValidator, field_serializer

from peninsula.syndication.metadata import COVER_FILTER, w3c_datetime

SLUG_PATTERN = r"^[-\w]+$"


def _iso_day(value):
    """Only YYYY-MM-DD: pydantic alone would also read a number as a Unix timestamp."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("use the form YYYY-MM-DD")
    return value


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


def _absolute(context, url):
    return context["request"].build_absolute_uri(url)


class Error(Schema):
    detail: str = Field(description="What went wrong, in words a person can act on.")


class _PageRef(Schema):
    """A named object with its own page on the site."""

    id: int
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())


class CategoryRef(_PageRef):
    pass


class AuthorRef(_PageRef):
    pass


class CreditRef(Schema):
    """One credit of an article, in byline order: who, and for what."""

    author: AuthorRef
    role: Literal["text", "translation", "photography", "editing"] = Field(
        description="text (文), translation (译), photography (摄影) or editing (编辑)."
    )
    role_name: str = Field(description="The role as the site names it, for example 译.")

    @staticmethod
    def resolve_role_name(obj):
        return str(obj.get_role_display())


class TagRef(Schema):
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, reverse("content:tag", kwargs={"slug": obj.slug}))


class ArticleSummary(Schema):
    id: int
    title: str
    url: str
    excerpt: str
    language: str = Field(description="BCP 47 tag, for example zh or en.")
    published_at: datetime
    updated_at: datetime
    category: CategoryRef
    authors: list[AuthorRef] = Field(description="The credited authors, in byline order.")
    credits: list[CreditRef] = Field(description="The same authors with their roles.")
    tags: list[TagRef]
    cover_image: str | None = Field(None, description="A 1200×630 rendition of the cover image.")
    views: int
    likes: int

    @field_serializer("published_at", "updated_at")
    def in_site_time(self, value):
        """Times as the site shows them: its own zone, to the second."""
        return w3c_datetime(value)

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())

    @staticmethod
    def resolve_authors(obj):
        return obj.ordered_authors()

    @staticmethod
    def resolve_credits(obj):
        return list(obj.credits.all())

    @staticmethod
    def resolve_tags(obj):
        return list(obj.tags.all())

    @staticmethod
    def resolve_cover_image(obj, context):
        if obj.cover_image is None:
            return None
        return _absolute(context, obj.cover_image.get_rendition(COVER_FILTER).url)


class SourceOut(Schema):
    name: str
    url: str


class TranslationRef(Schema):
    id: int
    language: str
    url: str

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj.get_absolute_url())


class ArticleDetail(ArticleSummary):
    body: str = Field(description="The article's HTML.")
    byline: str
    source: SourceOut | None
    source_url: str = Field(description="原文链接: the original article's address, if any.")
    original_title: str = Field(description="原标题, when the article was republished.")
    original_author: str = Field(description="原作者, when the article was republished.")
    responsible_editor: str = Field(description="责任编辑: the editor responsible.")
    translation: TranslationRef | None = Field(
        None, description="The same story in another language, when published."
    )

    @staticmethod
    def resolve_translation(obj):
        return obj.published_translation


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )


class ArticleFilters(Schema):
    q: str | None = Field(
        None,
        max_length=1000,
        description="Full-text search, ranked like the search page (title matches first).",
    )
    category: str | None = Field(
        None, pattern=SLUG_PATTERN, description="Category slug; its subcategories are included."
    )
    tag: str | None = Field(None, pattern=SLUG_PATTERN, description="Tag slug.")
    author: str | None = Field(None, pattern=SLUG_PATTERN, description="Author slug.")
    language: str | None = Field(
        None, pattern=r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$", description="BCP 47 tag: zh, en."
    )
    date_from: IsoDay | None = Field(
        None, description="Published on or after this day (site time)."
    )
    date_to: IsoDay | None = Field(None, description="Published on or before this day (site time).")
    cursor: str | None = Field(
        None, max_length=200, description="The `next_cursor` of the previous page."
    )
    limit: int = Field(20, ge=1, le=100)


class CategoryNode(Schema):
    id: int
    name: str
    slug: str
    url: str
    description: str
    children: list["CategoryNode"]


class TagOut(TagRef):
    articles: int = Field(description="How many published articles carry the tag.")

    @staticmethod
    def resolve_articles(obj):
        return obj.article_count


class AuthorOut(AuthorRef):
    bio: str
    articles: int = Field(description="How many published articles the author wrote.")

    @staticmethod
    def resolve_articles(obj):
        return obj.article_count


class ListLimit(Schema):
    limit: int = Field(100, ge=1, le=1000)


CategoryNode.model_rebuild()


RankingKind = Literal["trending_24h", "trending_7d", "trending_30d", "most_read", "most_liked"]


class RankingQuery(Schema):
    kind: RankingKind = Field(
        "trending_24h",
        description="trending_24h: views in the rolling last 24 hours; trending_7d and "
        "trending_30d: views in the last 7 or 30 days (site time); most_read: all-time views; "
        "most_liked: all-time likes.",
    )
    category: str | None = Field(
        None, pattern=SLUG_PATTERN, description="Category slug; its subcategories are included."
    )
    limit: int = Field(20, ge=1, le=20)


class RankingItem(Schema):
    id: int
    title: str
    url: str
    count: int = Field(description="Views, or likes for most_liked, in the ranking's window.")

    @staticmethod
    def resolve_url(obj, context):
        return _absolute(context, obj["url"])


class RankingOut(Schema):
    kind: RankingKind
    category: CategoryRef | None
    items: list[RankingItem]
