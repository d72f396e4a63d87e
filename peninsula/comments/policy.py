"""Whether an article takes comments and how they are moderated: the site's settings, then its
栏目 and the 栏目 above it, then the article itself; the nearest explicit choice wins, and a
closure anywhere on the way closes. One place for the rule, read by the form and the endpoint."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from peninsula.core.memo import Memo

from .models import (
    ArticleCommentRule,
    CategoryCommentRule,
    CommentSettings,
    Moderation,
    ReaderAccounts,
)

SETTINGS_SECONDS = 5.0
_settings = Memo(timeout=SETTINGS_SECONDS)
# An article's rules, read on every comments request: kept a few seconds per process (a change
# in this process clears them at once; others see it within this time).
_rules = Memo(timeout=SETTINGS_SECONDS, max_entries=4096)


@dataclass(frozen=True)
class SiteRules:
    enabled: bool
    moderation: str
    close_after_days: int
    links: str
    page_size: int
    accounts: str


def site_rules():
    """The site's comment settings, read at most every few seconds per process."""

    def load():
        s = CommentSettings.load()
        return SiteRules(
            s.enabled,
            s.moderation,
            s.close_after_days,
            s.links,
            max(1, min(s.page_size, 100)),
            s.accounts,
        )

    return _settings.get(None, load)


def rules_forget(article_id):
    _rules.forget(article_id)


def site_rules_forget():
    _settings.clear()
    _rules.clear()


@dataclass(frozen=True)
class Rules:
    open: bool
    moderation: str
    closed_reason: str
    links: str
    page_size: int
    accounts: str

    @property
    def premoderated(self):
        return self.moderation == Moderation.PRE

    @property
    def account_required(self):
        return self.accounts == ReaderAccounts.REQUIRED

    def account(self, user):
        """The account a comment is posted under: the signed-in reader's when the site takes
        accounts, else None (the comment carries the name typed in the form)."""
        if self.accounts == ReaderAccounts.OFF or user is None or not user.is_authenticated:
            return None
        return user


def rules_for(article, *, now=None):
    """The comment rules for one article (an `Article` with its category loaded)."""
    if now is not None:
        return _rules_load(article, now)
    return _rules.get(article.pk, lambda: _rules_load(article, None))


def _rules_load(article, now):
    site = site_rules()
    moderation, reason = site.moderation, ""
    if not site.enabled:
        reason = _("Comments are switched off on this site.")
    chain = [c.pk for c in article.category.ancestors_and_self]  # from the top down
    by_category = {r.category_id: r for r in CategoryCommentRule.objects.filter(category__in=chain)}
    for pk in chain:  # the nearest choice is applied last
        rule = by_category.get(pk)
        if rule is None:
            continue
        moderation = rule.moderation or moderation
        if rule.closed and not reason:
            reason = _("Comments are closed in this section.")
    rule = ArticleCommentRule.objects.filter(article=article.pk).first()
    if rule is not None:
        moderation = rule.moderation or moderation
        if rule.closed and not reason:
            reason = _("Comments are closed on this article.")
    if not reason and site.close_after_days and article.published_at is not None:
        now = now or timezone.now()
        if article.published_at + timedelta(days=site.close_after_days) <= now:
            reason = _("Comments close %(days)d days after publication.") % {
                "days": site.close_after_days
            }
    return Rules(not reason, moderation, str(reason), site.links, site.page_size, site.accounts)
