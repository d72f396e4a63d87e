"""What a reviewer compares a story in review against.

Wagtail compares a revision with the one just before it, which with autosave is often the same
text saved a second earlier ("这两个版本之间没有区别"). A reviewer wants what changed since the
version readers see, or, for a story never published, since the version sent to the last review.
"""

from wagtail.models import TaskState


def review_base(article, revision=None):
    """The revision to compare `revision` (default: the latest) against: the live one, else the
    one the last finished review judged (sent back, approved or withdrawn: the version last
    submitted before this submission); None when the story was never published or reviewed.
    The review in progress is not a base: Wagtail may record an autosave just before the
    submitted version as its revision."""
    revision = revision or article.get_latest_revision()
    if revision is None:
        return None
    if article.live_revision_id and article.live_revision_id != revision.pk:
        return article.live_revision
    submitted = (
        TaskState.objects.filter(
            workflow_state__base_content_type=article.get_base_content_type(),
            workflow_state__object_id=str(article.pk),
            revision__created_at__lt=revision.created_at,
        )
        .exclude(status=TaskState.STATUS_IN_PROGRESS)
        .exclude(revision=revision)
        .select_related("revision")
        .order_by("-revision__created_at", "-revision_id")
        .first()
    )
    return submitted.revision if submitted else None
