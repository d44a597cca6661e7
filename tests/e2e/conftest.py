"""Browser fixtures: the app served on a real port, and headless Chromium driven by Playwright.

Chromium is Debian's (`/usr/bin/chromium`) or the one named by CHROMIUM_PATH; without it every
browser test fails with the command that installs it (`pytest --ignore=tests/e2e` leaves them out).
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from headless import chromium_path, launch
from livesite import PHONE, ContextFactory, LiveServer, Seeded, migrate_template, seed, serve
from page_list import Logins
from tls_server import Certificate, TlsServer, make_certificate, serve_tls

#: Long enough for a slow CI machine, short enough that a broken page fails quickly.
TIMEOUT_MS = 15_000
#: Seconds before pytest-timeout counts a browser test as hung (a test may say its own).
BROWSER_TEST_TIMEOUT_S = 300


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-screenshots", action="store_true",
        help="tests/e2e/test_screenshots.py: write each page's screenshot as its new reference image",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            item.add_marker(_hang_limit(item), append=False)


def _hang_limit(item: pytest.Item) -> pytest.MarkDecorator:
    """A hung browser test stops its worker process, which pytest-xdist replaces.

    The default way (a signal raising inside the test) would land in Playwright's event loop
    and close its connection, failing every later browser test of that worker too. Playwright's
    own TIMEOUT_MS fails a stuck step long before this; a whole journey may take minutes.
    """
    own = item.get_closest_marker("timeout")
    seconds = own.args[0] if own and own.args else BROWSER_TEST_TIMEOUT_S
    return pytest.mark.timeout(seconds, method="thread")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    if chromium_path() is None:
        pytest.fail(
            "No Chromium binary: apt-get install chromium, or set CHROMIUM_PATH "
            "(or leave the browser tests out: pytest --ignore=tests/e2e)."
        )
    browser = launch(playwright, tmp_path_factory.mktemp("chromium"))
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrate_template(tmp_path_factory.mktemp("e2e-template"))


def _stop_and_check(server: LiveServer) -> None:
    server.stop()
    assert not server.server_errors, f"the server answered with errors: {server.server_errors}"


@pytest.fixture
def live_server(database_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The app on an empty, migrated database of its own, served on 127.0.0.1 at a free port."""
    server = serve(database_template, tmp_path / "server")
    yield server
    _stop_and_check(server)


@pytest.fixture(scope="module")
def seeded_site(database_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A served app holding organisers, participants and open, closed and over-target drives."""
    server = serve(database_template, tmp_path_factory.mktemp("seeded"))
    seeded = seed(server.app, server.url)
    yield seeded
    _stop_and_check(server)


def _contexts(browser: Browser) -> Iterator[ContextFactory]:
    contexts: list[BrowserContext] = []

    def make(**options) -> BrowserContext:
        options.setdefault("viewport", PHONE)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_context(chromium: Browser) -> Iterator[ContextFactory]:
    """Make browser contexts (one per person); phone-sized unless told otherwise."""
    yield from _contexts(chromium)


@pytest.fixture(scope="module")
def module_contexts(chromium: Browser) -> Iterator[ContextFactory]:
    """Make browser contexts that may outlive a test: they close, at the latest, with the module."""
    yield from _contexts(chromium)


@pytest.fixture(scope="module")
def logins(module_contexts: ContextFactory, seeded_site: Seeded) -> Logins:
    """The seeded site's organisers, each logged in through the form once (for `storage_state=`)."""
    return Logins(module_contexts, seeded_site)


@pytest.fixture
def phone_page(new_context: ContextFactory) -> Page:
    return new_context().new_page()


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture(scope="session")
def tls_chromium(playwright: Playwright, chromium: Browser, tls_certificate: Certificate,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium that trusts the test certificate, and no other bad one (`chromium` fails first)."""
    spki = f"--ignore-certificate-errors-spki-list={tls_certificate.spki}"
    browser = launch(playwright, tmp_path_factory.mktemp("tls-chromium"), spki)
    yield browser
    browser.close()


@pytest.fixture
def tls_server(database_template: Path, tmp_path: Path, tls_certificate: Certificate) -> Iterator[TlsServer]:
    """The app under gunicorn with TLS, as in production, on an empty migrated database."""
    server = serve_tls(database_template, tmp_path / "tls-server", tls_certificate)
    yield server
    server.stop()
    assert not server.server_errors(), "the server logged errors:\n" + "\n".join(server.server_errors())


@pytest.fixture
def new_tls_context(tls_chromium: Browser) -> Iterator[ContextFactory]:
    """Browser contexts for `tls_server`; phone-sized unless told otherwise."""
    yield from _contexts(tls_chromium)
