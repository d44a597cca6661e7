"""Every page a person can reach, in every state worth checking: the one list that the
accessibility, HTML-validity and narrow-screen tests walk. Add a page here and all three check it.

Each entry says who is logged in and how to reach the page in the browser; `visit` returns the
response of the page's document, so its raw HTML can be validated and its status checked.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Response, StorageState

from donation_drive.core.rules import today
from languages import InLanguage
from livesite import PASSWORD, SCREENS, ContextFactory, Seeded
from translated import say

ORGANISER = "organiser"
NEWCOMER = "newcomer"  # an organiser with no drives yet


def go(path: str) -> Callable[[Page, Seeded], Response]:
    def visit(page: Page, seeded: Seeded) -> Response:
        response = page.goto(seeded.url + path.format(s=seeded))
        assert response is not None
        return response
    return visit


def submit(page: Page, button: str) -> Response:
    """Press a form's submit button and return the response of the page that follows."""
    with page.expect_response(lambda r: r.request.is_navigation_request() and r.request.method == "POST") as posted:
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    return posted.value


def _register_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/auth/register")(page, seeded)
    page.get_by_label("Email").fill("not an email")
    return submit(page, "Create account")


def _login_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/auth/login")(page, seeded)
    page.get_by_label("Email").fill(seeded.organiser_email)
    page.get_by_label("Password").fill("the wrong password")
    return submit(page, "Log in")


def _new_drive_with_a_photo_that_is_not_one(page: Page, seeded: Seeded) -> Response:
    go("/drives/new")(page, seeded)
    page.get_by_label("Title").fill("7 for Jack")
    page.get_by_label("Name of the person or cause").fill("Jack")
    page.get_by_label("Cover photo (optional)").set_input_files(
        {"name": "jack.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo at all"})
    page.get_by_label("Describe the photo").fill("Jack on the beach")
    return submit(page, "Create the drive")


def _leave_words_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/d/{s.open_slug}/words/new")(page, seeded)
    page.get_by_label("Your name").fill("Ann")
    return submit(page, "Send my message")


def _preview_closing(page: Page, seeded: Seeded) -> Response:
    go("/drives/{s.open_slug}/close")(page, seeded)
    page.get_by_label("Closing message").fill("Thank you, all of you.\n\nJack would have loved this.")
    return submit(page, "Preview the memorial")


def _close_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/drives/{s.open_slug}/close")(page, seeded)
    page.get_by_label("Closing message").evaluate("el => { el.removeAttribute('maxlength'); el.value = 'x'.repeat(2001) }")
    return submit(page, "Close the drive")


def _new_drive_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/drives/new")(page, seeded)
    page.get_by_label("Target units").fill("0")
    page.get_by_label("End date").fill((today() - timedelta(days=1)).isoformat())
    return submit(page, "Create the drive")


def _log_units_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/drives/{s.open_slug}/donations")(page, seeded)
    page.get_by_label("Units", exact=True).fill("0")
    return submit(page, "Log units")


def _log_units_far_past_the_target(page: Page, seeded: Seeded) -> Response:
    go("/drives/{s.open_slug}/donations")(page, seeded)
    page.get_by_label("Units", exact=True).fill("50")
    return submit(page, "Log units")


def _join_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/join/{s.invite_code}")(page, seeded)
    page.get_by_label("Email").fill("amira@")
    page.locator("summary", has_text="More: when and what you'll give (optional)").click()
    page.get_by_label("Planned date").fill((today() - timedelta(days=2)).isoformat())
    return submit(page, "Sign me up")


def _report_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/p/{s.private_token}")(page, seeded)
    page.get_by_text("Report another donation").click()  # tucked away once a donation stands
    page.get_by_label("Date donated").fill((today() + timedelta(days=3)).isoformat())
    return submit(page, "Report my donation")


def _delete_account_with_errors(page: Page, seeded: Seeded) -> Response:
    go("/account/delete")(page, seeded)
    page.get_by_label("Your password").fill("the wrong password")
    return submit(page, "Delete my account for good")


@dataclass(frozen=True)
class PageCase:
    name: str
    visit: Callable[[Page, Seeded], Response]
    who: str | None = None
    status: int = 200


PAGES: list[PageCase] = [
    PageCase("home", go("/")),
    PageCase("register", go("/auth/register")),
    PageCase("register-errors", _register_with_errors, status=422),
    PageCase("login", go("/auth/login")),
    PageCase("login-errors", _login_with_errors, status=422),
    PageCase("my-drives-empty", go("/drives/"), NEWCOMER),
    PageCase("my-drives", go("/drives/"), ORGANISER),
    PageCase("new-drive", go("/drives/new"), ORGANISER),
    PageCase("new-drive-errors", _new_drive_with_errors, ORGANISER, 422),
    PageCase("new-drive-photo-error", _new_drive_with_a_photo_that_is_not_one, ORGANISER, 422),
    PageCase("organiser-page", go("/drives/{s.open_slug}"), ORGANISER),
    PageCase("organiser-page-errors", _log_units_with_errors, ORGANISER, 422),
    PageCase("organiser-page-second-look", _log_units_far_past_the_target, ORGANISER),
    PageCase("organiser-page-closed", go("/drives/{s.closed_slug}"), ORGANISER),
    PageCase("organiser-donations", go("/drives/{s.open_slug}/donations"), ORGANISER),
    PageCase("organiser-donations-closed", go("/drives/{s.closed_slug}/donations"), ORGANISER),
    PageCase("organiser-people", go("/drives/{s.open_slug}/people"), ORGANISER),
    PageCase("organiser-updates", go("/drives/{s.open_slug}/updates"), ORGANISER),
    PageCase("organiser-settings", go("/drives/{s.open_slug}/settings"), ORGANISER),
    PageCase("organiser-settings-closed", go("/drives/{s.closed_slug}/settings"), ORGANISER),
    PageCase("organiser-advanced", go("/drives/{s.open_slug}/advanced"), ORGANISER),
    PageCase("edit-drive", go("/drives/{s.open_slug}/edit"), ORGANISER),
    PageCase("join", go("/join/{s.invite_code}")),
    PageCase("join-errors", _join_with_errors, status=422),
    PageCase("join-closed", go("/join/{s.closed_invite_code}")),
    PageCase("join-brazil", go("/join/{s.brazil_invite_code}")),
    PageCase("private-unknown-region", go("/p/{s.unknown_region_token}")),
    PageCase("welcome", go("/p/{s.private_token}/welcome")),
    PageCase("private", go("/p/{s.private_token}")),
    PageCase("private-before-donating", go("/p/{s.pledged_token}")),
    PageCase("private-errors", _report_with_errors, status=422),
    PageCase("progress-open", go("/d/{s.open_slug}")),
    PageCase("progress-closed", go("/d/{s.closed_slug}")),
    PageCase("progress-over-target", go("/d/{s.over_slug}")),
    PageCase("progress-bags", go("/d/{s.bags_slug}")),
    PageCase("progress-large-target", go("/d/{s.large_slug}")),
    PageCase("error-404", go("/d/no-such-drive"), status=404),
    PageCase("error-410", go("/join/{s.retired_invite_code}"), status=410),
    # Pages the organiser tools, outreach, privacy, memorial and API features add.
    PageCase("privacy", go("/privacy")),
    PageCase("lost-link", go("/d/{s.open_slug}/lost-link")),
    PageCase("lost-link-sent", go("/d/{s.open_slug}/lost-link/sent")),
    PageCase("memorial", go("/memorial/{s.closed_slug}")),
    PageCase("embed", go("/d/{s.open_slug}/embed")),
    PageCase("pass-it-on", go("/d/{s.open_slug}/pass-it-on"), ORGANISER),
    PageCase("invitations", go("/drives/{s.open_slug}/invitations"), ORGANISER),
    PageCase("poster", go("/drives/{s.open_slug}/poster"), ORGANISER),
    PageCase("extend-drive", go("/drives/{s.open_slug}/extend"), ORGANISER),
    PageCase("delete-drive", go("/drives/{s.open_slug}/delete"), ORGANISER),
    PageCase("cover-photo", go("/drives/{s.open_slug}/photo"), ORGANISER),
    PageCase("add-participant", go("/drives/{s.open_slug}/participants/new"), ORGANISER),
    PageCase("api-tokens", go("/account/tokens"), ORGANISER),
    PageCase("delete-account", go("/account/delete"), ORGANISER),
    PageCase("delete-account-errors", _delete_account_with_errors, ORGANISER, 422),
    PageCase("delete-account-no-drives", go("/account/delete"), NEWCOMER),
    PageCase("api-docs", go("/api/docs")),
    PageCase("password-reset", go("/auth/reset/")),
    PageCase("check-email", go("/auth/check-email")),
    PageCase("confirm-email", go("/auth/confirm/{s.confirmation_token}")),
    PageCase("delete-my-data", go("/p/{s.private_token}/delete")),
    PageCase("sign-in", go("/sign-in/{s.sign_in_token}")),
    PageCase("unsubscribe", go("/unsubscribe/{s.unsubscribe_token}")),
    PageCase("error-404-private", go("/p/not-a-private-link"), status=404),
    PageCase("words-leave", go("/d/{s.open_slug}/words/new")),
    PageCase("words-leave-errors", _leave_words_with_errors, status=422),
    PageCase("words-thanks", go("/d/{s.open_slug}/words/thanks")),
    PageCase("organiser-words", go("/drives/{s.open_slug}/words"), ORGANISER),
    PageCase("close-drive", go("/drives/{s.open_slug}/close"), ORGANISER),
    PageCase("close-drive-preview", _preview_closing, ORGANISER),
    PageCase("close-drive-errors", _close_with_errors, ORGANISER, 422),
    PageCase("closing-message", go("/drives/{s.closed_slug}/close"), ORGANISER),
]


def log_in(page: Page, seeded: Seeded, who: str | None) -> None:
    """Log in through the login form as the organiser the case names (or stay logged out)."""
    if who is None:
        return
    if who == ORGANISER:
        email, password = seeded.organiser_email, seeded.organiser_password
    else:
        email, password = seeded.newcomer_email, PASSWORD
    page.goto(seeded.url + "/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_role("heading", name="My drives").wait_for()


class Logins:
    """Each organiser of the seeded site logs in through the login form once; their later
    browser contexts start from the cookies that login left (Playwright's storage state).

    A login costs a page load, a form and a redirect: done for every case of every look, it was
    most of what the organiser cases cost, and it checked nothing the first login had not.
    """

    def __init__(self, new_context: ContextFactory, seeded: Seeded) -> None:
        self._new_context = new_context
        self._seeded = seeded
        self._states: dict[str, StorageState] = {}

    def state(self, who: str | None) -> StorageState | None:
        """What a browser logged in as `who` holds; None (an empty browser) for nobody."""
        if who is None:
            return None
        if who not in self._states:
            context = self._new_context()
            log_in(context.new_page(), self._seeded, who)
            self._states[who] = context.storage_state()
            context.close()
        return self._states[who]


class Tabs:
    """One browser tab per person (logged out, or one of the organisers), kept for a module:
    each person goes from page to page in it, as someone browsing the site would.

    A new browser for every page cost the page checks several times what the checks themselves
    do; a tab goes to each page with `page.goto`, so nothing one page did stays on the next.
    """

    def __init__(self, new_context: ContextFactory, logins: Logins, **options: Any) -> None:
        self._new_context = new_context
        self._logins = logins
        self._options = options
        self._tabs: dict[str | None, Page] = {}

    def of(self, who: str | None) -> Page:
        """The tab of `who`, logged in as them (or an empty browser for nobody)."""
        if who not in self._tabs:
            context = self._new_context(storage_state=self._logins.state(who), **self._options)
            self._tabs[who] = context.new_page()
        return self._tabs[who]


def visit_case(page: Page, seeded: Seeded, case: PageCase) -> Response:
    """Reach the page of `case` in a browser already logged in as `case.who`; check that it
    answered with the expected status and, for an organiser, that the login held (a lost one
    would have sent the browser to the login page, which answers 200 too)."""
    response = case.visit(page, seeded)
    assert response.status == case.status, f"{case.name}: {response.url} answered {response.status}"
    if case.who is not None:
        assert urlsplit(page.url).path != "/auth/login", f"{case.name}: not logged in as {case.who}"
    return response


def open_case(page: Page, seeded: Seeded, case: PageCase) -> Response:
    """Log in through the login form as `case.who`, then reach the page of `case`."""
    log_in(page, seeded, case.who)
    return visit_case(page, seeded, case)


#: Pages whose look is pinned by a reference image (tests/e2e/test_screenshots.py): the ones a
#: family or a friend sees first, and the organiser's pages that carry the drive.
PHOTOGRAPHED = [
    "home", "new-drive", "organiser-page", "organiser-donations", "organiser-people", "join",
    "join-errors", "private", "private-before-donating", "progress-open", "progress-closed",
    "progress-over-target", "progress-bags", "memorial", "organiser-words", "words-leave",
    "close-drive-preview",
]
#: A browser that draws a page the same way on every run: one pixel per CSS pixel, a British
#: locale and UTC for whatever the browser formats itself, light colours, nothing moving.
STEADY_BROWSER: dict[str, Any] = {
    "device_scale_factor": 1, "locale": "en-GB", "timezone_id": "UTC", "color_scheme": "light",
    "reduced_motion": "reduce",
}


def photograph(browser: Browser, seeded: Seeded, case: PageCase, screen: str, language: str = "en",
               **options: Any) -> bytes:
    """The whole page of `case` (PNG) on `screen` (SCREENS), as a fresh browser asking for
    `language` sees it."""
    context = browser.new_context(**{**STEADY_BROWSER, **SCREENS[screen], **options,
                                     "locale": language.replace("_", "-")})
    try:
        page = context.new_page()
        open_case(InLanguage(page, lambda text: say(language, text)), seeded, case)
        page.evaluate("document.fonts.ready")  # text laid out in its final font before the picture
        return page.screenshot(full_page=True, animations="disabled", caret="hide")
    finally:
        context.close()
