"""Writing comments: posting, moderating, replying, 顶, and importing.

Every change of a comment's status goes through `comments_moderate` (or the insert of a comment
already approved), which moves the article's 评论(N) count by exactly the rows whose status it
changed, in the same transaction: conditional UPDATEs count the rows they changed, so two
moderators (or processes) acting on the same comments never count one twice. After the commit
the cached comment pages of the article are purged from every worker (docs/comments.md).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.engagement import ratelimit
from peninsula.pagecache.purge import purge_now, purge_on_commit
from peninsula.pagecache.store import Purge

from .models import Comment, Status, Upvote
from .policy import rules_for
from .text import as_html, has_links, plain_text

# A 顶 purges the article's cached comment pages at most this often (its voter sees the new
# count at once in the answer to the vote; other readers within this time).
UPVOTE_PURGE_SECONDS = 5


class CommentsClosed(Exception):
    """The article takes no comments now; the message says why."""


class InvalidReply(Exception):
    """The comment replied to is not a public comment of this article."""


class AccountRequired(Exception):
    """The site takes comments from signed-in readers only (设置 → 评论设置 → 读者账号)."""


@dataclass(frozen=True)
class Posted:
    comment: Comment
    public: bool  # shown at once, or held for review


# Where `comment_paths` of every article start (comments/urls.py).
ALL_COMMENT_PREFIXES = ("/api/articles/", "/comments/")


def comment_paths(article_id):
    """The cached addresses that show an article's comments."""
    return [
        reverse("comments:list", kwargs={"article_id": article_id}),
        reverse("comments:hot", kwargs={"article_id": article_id}),
        reverse("comments:page", kwargs={"article_id": article_id}),
    ]


def _purge(article_ids):
    paths = [p for article_id in sorted(set(article_ids)) for p in comment_paths(article_id)]
    if paths:
        purge_on_commit(Purge(paths))


def comments_purge_all():
    """Every cached comments answer and page, after the commit: the site's rules changed."""
    purge_on_commit(Purge(prefixes=ALL_COMMENT_PREFIXES))


def _count_add(deltas):
    for article_id, delta in sorted(deltas.items()):
        if delta:
            Article.objects.filter(pk=article_id).update(comments=F("comments") + delta)


def comment_post(
    *,
    article,
    name,
    text,
    email="",
    parent_id=None,
    user=None,
    address=None,
    visitor_id="",
    user_agent="",
    hold_reason="",
    now=None,
):
    """Store a reader's comment under the article's rules: shown at once under post-moderation,
    else held; a comment with links is held when the site says so, and `hold_reason` (the
    screening's verdict) holds it too. `user` is kept only when the site takes reader accounts.
    Raises CommentsClosed, AccountRequired or InvalidReply."""
    rules = rules_for(article, now=now)
    if not rules.open:
        raise CommentsClosed(rules.closed_reason)
    user = rules.account(user)
    if user is None and rules.account_required:
        raise AccountRequired
    parent = None
    if parent_id is not None:
        parent = (
            Comment.objects.public()
            .filter(pk=parent_id, article=article.pk)
            .only("pk", "parent_id")
            .first()
        )
        if parent is None:
            raise InvalidReply
        if parent.parent_id is not None:  # one level: a reply to a reply joins its thread
            parent = Comment(pk=parent.parent_id)
    text = plain_text(text)
    reason = hold_reason
    if not reason and rules.premoderated:
        reason = "pre-moderation"
    if not reason and rules.links == "hold" and has_links(text):
        reason = "links"
    status = Status.PENDING if reason else Status.APPROVED
    with transaction.atomic():
        comment = Comment.objects.create(
            article_id=article.pk,
            parent=parent,
            user=user,
            name=name.strip(),
            email=email.strip(),
            text=text,
            status=status,
            held_reason=reason[:200],
            address=address or None,
            visitor_id=visitor_id or "",
            user_agent=(user_agent or "")[:300],
            created_at=now or timezone.now(),
        )
        if status == Status.APPROVED:
            _count_add({article.pk: 1})
            _purge([article.pk])
    return Posted(comment, status == Status.APPROVED)


def comments_moderate(*, ids, status, user=None):
    """Set the status of the comments `ids`; returns how many changed. The article counts move
    by the approvals gained and lost, exactly."""
    ids = list(ids)
    deltas = Counter()
    now = timezone.now()
    stamp = {"moderated_at": now, "moderated_by": user if user and user.pk else None}
    with transaction.atomic():
        # Lock the rows in one order first: two moderators' UPDATEs of overlapping sets would
        # otherwise lock them in the order each scan meets them, and deadlock on PostgreSQL.
        locked = Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk")
        articles = set(locked.values_list("article_id", flat=True))
        changed = 0
        for article_id in sorted(articles):
            rows = Comment.objects.filter(pk__in=ids, article_id=article_id)
            if status == Status.APPROVED:
                n = rows.exclude(status=Status.APPROVED).update(status=status, **stamp)
                deltas[article_id] += n
            else:
                lost = rows.filter(status=Status.APPROVED).update(status=status, **stamp)
                deltas[article_id] -= lost
                n = lost + rows.exclude(status=status).update(status=status, **stamp)
            changed += n
        _count_add(deltas)
        _purge(articles)
    return changed


def comment_reply(*, parent, text, user):
    """An editor's reply, shown at once; replying to a held comment approves it first."""
    with transaction.atomic():
        if parent.status != Status.APPROVED:
            comments_moderate(ids=[parent.pk], status=Status.APPROVED, user=user)
        thread = parent.parent_id or parent.pk
        name = (user.get_full_name() or user.get_username()) if user else ""
        reply = Comment.objects.create(
            article_id=parent.article_id,
            parent_id=thread,
            user=user,
            name=name[:50],
            email=getattr(user, "email", "") or "",
            text=plain_text(text),
            status=Status.APPROVED,
            is_staff_reply=True,
            created_at=timezone.now(),
            moderated_at=timezone.now(),
            moderated_by=user,
        )
        _count_add({parent.article_id: 1})
        _purge([parent.article_id])
    return reply


def upvote_admit(*, address):
    """None when this address may 顶 now, else the seconds to wait (`COMMENT_UPVOTE_RATE`)."""
    limit, period = ratelimit.parse_rate(settings.PENINSULA_COMMENT_UPVOTE_RATE)
    refused = ratelimit.take([ratelimit.Rule(f"comment-up:{address}", limit, period)])
    return None if refused is None else refused[1]


def comment_upvote(*, comment_id, visitor_id):
    """Count a visitor's 顶 once; returns (the comment's 顶 count, whether this call added it),
    or None when no public comment has this id."""
    comment = Comment.objects.public().filter(pk=comment_id).values("article_id").first()
    if comment is None:
        return None
    try:
        with transaction.atomic():
            Upvote.objects.create(comment_id=comment_id, visitor_id=visitor_id)
            Comment.objects.filter(pk=comment_id).update(upvotes=F("upvotes") + 1)
            added = True
    except IntegrityError:
        added = False
    upvotes = Comment.objects.filter(pk=comment_id).values_list("upvotes", flat=True).first()
    article_id = comment["article_id"]
    if added:
        rule = ratelimit.Rule(f"comments-purge:{article_id}", 1, UPVOTE_PURGE_SECONDS)
        if ratelimit.take([rule]) is None:
            purge_now(Purge(comment_paths(article_id)))
    return upvotes or 0, added


def comments_import(records):
    """Store imported comments ({external_id of the article: [record, …]}, each record a dict
    with `external_id`, `parent` (the external id of the comment replied to, or ""), `name`,
    `email`, `address`, `text`, `created_at`, `status`), once: comments already imported are
    left as they are (an editor may have moderated them). Returns how many were added."""
    articles = dict(
        Article.objects.filter(external_id__in=list(records)).values_list("external_id", "pk")
    )
    wanted = [
        (articles[key], record)
        for key, items in records.items()
        if key in articles
        for record in items
    ]
    known = set(
        Comment.objects.filter(
            external_id__in=[record["external_id"] for _pk, record in wanted]
        ).values_list("external_id", flat=True)
    )
    added = 0
    with transaction.atomic():
        # Comments imported before, by external id: the id of their thread's first comment.
        by_external = dict(
            Comment.objects.filter(
                external_id__in={record["parent"] for _pk, record in wanted if record["parent"]}
            ).values_list("external_id", Coalesce("parent_id", "pk"))
        )
        deltas = defaultdict(int)
        parents = {record["external_id"]: record["parent"] for _pk, record in wanted}
        # Parents first: a thread's comments are in date order in an export, but not always.
        for article_id, record in sorted(wanted, key=lambda item: item[1]["created_at"]):
            if record["external_id"] in known:
                continue
            top = record["parent"]
            while parents.get(top):  # WordPress threads nest; Peninsula keeps one level
                top = parents[top]
            comment = Comment.objects.create(
                article_id=article_id,
                parent_id=by_external.get(top) if top else None,
                name=(record["name"] or "网友")[:50],
                email=record["email"][:254] if "@" in record["email"] else "",
                text=plain_text(record["text"]),
                status=record["status"],
                address=record["address"] or None,
                created_at=record["created_at"],
                external_id=record["external_id"],
            )
            by_external[record["external_id"]] = comment.pk
            known.add(record["external_id"])
            added += 1
            if comment.status == Status.APPROVED:
                deltas[article_id] += 1
        _count_add(deltas)
        _purge(deltas)
    return added


def comment_html(comment):
    return as_html(comment.text)


def comment_edited(*, comment):
    """An editor corrected a comment in the admin: its article's cached pages go."""
    _purge([comment.article_id])


def comment_deleted(*, comment):
    """A comment about to be deleted (in the admin, or with its thread or article) leaves the
    count: withdrawn first by a conditional UPDATE, so it is counted out exactly once."""
    with transaction.atomic():
        public = Comment.objects.filter(pk=comment.pk, status=Status.APPROVED)
        if public.update(status=Status.REJECTED):
            _count_add({comment.article_id: -1})
        _purge([comment.article_id])
