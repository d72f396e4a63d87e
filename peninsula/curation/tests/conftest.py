import pytest

from peninsula.curation import jobs, shelf


@pytest.fixture(autouse=True)
def _fresh_curation():
    shelf.forget()
    jobs.reset()
    yield
    shelf.forget()
