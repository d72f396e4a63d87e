"""QR codes drawn on the server (segno) as SVG: the strict CSP holds (the SVG carries
presentation attributes only, no style or script)."""

import io
from functools import lru_cache

import segno

# Addresses whose code a worker keeps: the pages readers are sharing now.
CACHED_CODES = 512


@lru_cache(maxsize=CACHED_CODES)
def qr_svg(url):
    """An SVG document of the QR code for `url`, sized by its viewBox (CSS sizes the image)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=4,
        border=2,
        dark="#1d1f23",
        light="#ffffff",
        xmldecl=False,
        omitsize=True,
    )
    return out.getvalue()
