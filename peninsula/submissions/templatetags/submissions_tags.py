from django import template

from ..models import Submission

register = template.Library()


@register.inclusion_tag("submissions/admin/sender.html")
def submission_sender(article, user):
    """Who sent this story, for those allowed to know (editors and administrators)."""
    if article is None or not article.pk or not user.has_perm("submissions.view_submission"):
        return {"submission": None}
    return {"submission": Submission.objects.filter(article_id=article.pk).first()}
