"""Fixtures for tests that drive Debian's Chromium through Playwright."""

import os
from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium")
    # Playwright's sync API runs an event loop; Django's async-safety check would refuse the ORM.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


# Loads a page's lazy images and waits for each (at most 3 s) to load or fail.
LOAD_LAZY_IMAGES = """() => Promise.all(
  [...document.images].filter((img) => img.loading === "lazy").map((img) => {
    img.loading = "eager";
    return img.complete ? null : new Promise((done) => {
      img.addEventListener("load", done);
      img.addEventListener("error", done);
      setTimeout(done, 3000);
    });
  })
)"""


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under artifacts/ for a person to look at."""

    def save(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        # A full-page capture scrolls nothing, so lazy images (the share block's QR code, cards
        # below the fold) would show as blanks; a reader who scrolls sees them load.
        # Best effort: a page still navigating (a form just submitted) is captured as it is.
        try:
            page.wait_for_load_state()
            page.evaluate(LOAD_LAZY_IMAGES)
        except PlaywrightError:
            pass
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return save


@pytest.fixture
def migrated_data(transactional_db):
    """The rows that migrations make (the newsroom roles and workflow, Wagtail's root collection).

    A transactional test empties every table when it ends, so whatever ran before may have
    removed them; they are made again by the migrations' own code, not copied here.
    """
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations import RunPython
    from wagtail.models import Collection

    roles = ("content", "0002_newsroom_roles_and_review")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if Group.objects.filter(name__in=["作者", "编辑", "管理员"]).count() < 3:
        state = MigrationLoader(connection).project_state(roles)
        import_module(f"peninsula.content.migrations.{roles[1]}").create_roles(state.apps, None)
        # Each app's grants to those roles (and the rows made with them), by its own migration.
        loader = MigrationLoader(connection)
        for key in sorted(loader.graph.nodes):
            migration = loader.get_migration(*key)
            if key[1].endswith("permissions") and migration.__module__.startswith("peninsula."):
                apps = loader.project_state(key).apps
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, SimpleNamespace(connection=connection))
