"""Fetching a feed, a page or an image for an import: bounded in time and size.

The command line is the operator's, so any address is allowed here (see docs/collection.md).
"""

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from email.message import Message

TIMEOUT = 20  # seconds to connect and between reads
MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "Peninsula-Import/0.1"


class FetchError(Exception):
    """A URL that gave no usable answer; the message says why."""


@dataclass
class Fetched:
    url: str  # after redirects
    body: bytes
    headers: dict = field(default_factory=dict)  # lower-case names

    @property
    def content_type(self):
        return self.headers.get("content-type", "")


def charset_of(content_type):
    """The charset parameter of a Content-Type header, or None."""
    message = Message()
    message["content-type"] = content_type
    return message.get_param("charset") or None


def fetch(url, *, timeout=TIMEOUT, max_bytes=MAX_BYTES):
    """GET `url`; a status other than 2xx, a timeout or a body over `max_bytes` is an error."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(f"{url}: larger than {max_bytes // (1024 * 1024)} MB")
            headers = {name.lower(): value for name, value in response.headers.items()}
            return Fetched(response.geturl(), body, headers)
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: {error.reason}") from None
    except (TimeoutError, OSError) as error:
        raise FetchError(f"{url}: {error.strerror or error}") from None
    except ValueError as error:  # not a URL urllib can open
        raise FetchError(f"{url}: {error}") from None
