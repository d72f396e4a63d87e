"""A reader's story becomes a draft article in review (送审), with its sender kept apart."""

import hashlib
import ipaddress

from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.models import Collection

from peninsula.content.models import Article, Category
from peninsula.core.net import client_address
from peninsula.screening.services import text_screen

from .models import Submission, SubmissionSettings

COLLECTION_NAME = "读者投稿"


def text_as_html(text):
    """Plain text as paragraphs: a blank line starts one, a line break stays a <br>. Nothing the
    reader typed is markup."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
        if p
    )


def submission_category():
    chosen = SubmissionSettings.load().category
    if chosen is not None:
        return chosen
    return Category.objects.filter(parent__isnull=True).order_by("sort_order", "pk").first()


def _collection():
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _store_image(upload, *, title, collection):
    Image = get_image_model()
    upload.seek(0)
    body = upload.read()
    upload.seek(0)
    image = Image(
        title=title[:255],
        description=_("Picture sent by a reader: %(title)s") % {"title": title[:200]},
        file=upload,
        collection=collection,
    )
    image.file_size, image.file_hash = len(body), hashlib.sha1(body).hexdigest()
    image.save()
    return image


def _address(meta):
    try:
        return str(ipaddress.ip_address(client_address(meta)))
    except ValueError:  # a Unix socket, or none
        return None


def submission_receive(*, title, text, name, contact, images=(), meta=None):
    """Store a reader's story as a draft article in the review workflow and return the
    `Submission`.

    The title and text pass the word lists first: "mask" words are masked, and the words found
    are kept for the editors (the caller refuses "block" before calling). The article has no
    owner, no byline and the sender nowhere on it; the sender's name and contact are on the
    `Submission`, which only editors see (docs/screening.md).
    """
    meta = meta or {}
    title_result = text_screen(text=title)
    text_result = text_screen(text=text)
    words = list(dict.fromkeys([*title_result.words, *text_result.words]))
    verdicts = [r.action for r in (title_result, text_result) if r.matches]
    order = ["mask", "hold", "block"]
    verdict = max(verdicts, key=order.index) if verdicts else ""
    with transaction.atomic():
        category = submission_category()
        collection = _collection() if images else None
        stored = [
            _store_image(upload, title=title_result.text, collection=collection)
            for upload in images
        ]
        # The first picture is the cover (shown above the text and on cards), the others follow
        # the text.
        body = text_as_html(text_result.text) + "".join(
            f'<embed alt="{escape(image.description)}" embedtype="image" format="fullwidth" '
            f'id="{image.pk}"/>'
            for image in stored[1:]
        )
        article = Article(
            title=title_result.text[:255],
            body=body,
            category=category,
            language="zh",
            live=False,
            has_unpublished_changes=True,
        )
        if stored:
            article.cover_image = stored[0]
        article.save()
        submission = Submission.objects.create(
            article=article,
            name=name,
            contact=contact,
            address=_address(meta),
            user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
            screening=verdict,
            words=words,
        )
        article.save_revision(user=None, log_action=True)
        workflow = article.get_workflow()
        if workflow is not None:
            workflow.start(article, None)
    return submission
