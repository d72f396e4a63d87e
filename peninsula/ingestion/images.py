"""Lead images of imported articles, fetched once and kept as Wagtail images.

An image already stored (same bytes, by Wagtail's SHA-1 file hash) is reused, so re-importing
an export or a feed does not pile up copies. See docs/import-format.md (the `image` key).
"""

import hashlib
import io
import posixpath
import urllib.parse
from xml.etree.ElementTree import ParseError

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from willow.image import Image as WillowImage
from willow.image import UnrecognisedImageFormatError

from .fetch import FetchError, fetch

MAX_IMAGE_BYTES = 15 * 1024 * 1024


class ImageError(Exception):
    """An image that could not be fetched or is not an image; the message says why."""


# The file name endings of each format Willow reads (its format_name).
_SUFFIXES = {
    "jpeg": ("jpg", "jpeg", "jpe", "jfif"),
    "png": ("png",),
    "gif": ("gif",),
    "webp": ("webp",),
    "avif": ("avif",),
    "heic": ("heic", "heif"),
    "bmp": ("bmp",),
    "tiff": ("tif", "tiff"),
    "ico": ("ico",),
}


def store_image(url, *, title, fetcher=fetch):
    """The id of the Wagtail image at `url`, fetching and storing it when new.

    `fetcher` is `fetch` or one with its signature, such as collection's guarded fetch."""
    try:
        body = fetcher(url, max_bytes=MAX_IMAGE_BYTES).body
    except FetchError as error:
        raise ImageError(str(error)) from None
    Image = get_image_model()
    digest = hashlib.sha1(body).hexdigest()  # as Wagtail's file_hash
    existing = Image.objects.filter(file_hash=digest).values_list("pk", flat=True).first()
    if existing is not None:
        return existing
    try:
        kind = WillowImage.open(io.BytesIO(body)).format_name
    except (UnrecognisedImageFormatError, ParseError):  # ParseError: text that looked like SVG
        kind = None
    # Willow takes any markup for SVG; Wagtail's images do not accept SVG (it can carry script).
    if kind in (None, "svg"):
        raise ImageError(f"{url}: not an image")
    name = posixpath.basename(urllib.parse.urlsplit(url).path) or "image"
    if posixpath.splitext(name)[1].lower().lstrip(".") not in _SUFFIXES.get(kind, (kind,)):
        name = f"{name}.{kind}"  # WeChat's …/640?wx_fmt=jpeg: named by what it holds
    image = Image(title=title[:255] or name, file=ImageFile(io.BytesIO(body), name=name))
    image.file_size, image.file_hash = len(body), digest
    with transaction.atomic():
        image.save()
    return image.pk
