"""QR codes drawn on the server (segno) as inline SVG: no image request, no script, and the
strict CSP holds (the SVG carries presentation attributes only, no style or script)."""

from functools import lru_cache

import segno

# Addresses whose code a worker keeps: the pages readers are sharing now.
CACHED_CODES = 512


@lru_cache(maxsize=CACHED_CODES)
def qr_svg(url, *, title=""):
    """An inline <svg> of the QR code for `url`, sized by its viewBox (CSS scales it)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=4, border=2, dark="#1d1f23", light="#ffffff", title=title or None, omitsize=True
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)
