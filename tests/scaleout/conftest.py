"""The server fixtures of tests/servers.py."""

from tests.servers import (  # noqa: F401
    processes,
    redis_prefix,
    server_template,
    site_database,
)
