"""A second reference: granian serving fixed bytes from a plain WSGI callable (no Django)."""

import os

with open(os.environ["BENCH_STATIC_FILE"], "rb") as f:
    BODY = f.read()
HEADERS = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(BODY)))]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
