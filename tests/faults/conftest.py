"""The server fixtures of tests/servers.py."""

from tests.servers import processes, server_template, site_database  # noqa: F401
