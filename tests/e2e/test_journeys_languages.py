"""Journeys 1 and 4 of PRODUCT.md in Spanish, French, Brazilian Portuguese and Arabic, on a phone.

An organiser opens the site, chooses their language with the switcher at the foot of the page,
registers (the confirmation mail arrives in that language), creates "7 for Jack" and logs seven
units for the group; then a stranger whose browser asks for that language opens the public page
and reads "7 of 7 units — target reached" in it. Each step finds its words through the app's own
catalog (tests/translated.py), so a page left in English fails here.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from donation_drive.core.languages import LANGUAGES
from donation_drive.core.rules import today
from livesite import SCREENS, ContextFactory, LiveServer, emailed_confirmation_url
from support import read_outbox
from translated import say, say_count

PASSWORD = "seven bags for seven used"
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]


def html_tag(language: str) -> str:
    return language.replace("_", "-")


def organiser_chooses_the_language(page: Page, server: LiveServer, language: str) -> None:
    page.goto(server.url + "/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name=LANGUAGES[language]).click()
    expect(page.locator("html")).to_have_attribute("lang", html_tag(language))
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")


def organiser_registers(page: Page, server: LiveServer, language: str) -> None:
    def t(text: str, **values: object) -> str:
        return say(language, text, **values)

    page.get_by_role("main").get_by_role("link", name=t("Start a drive")).click()
    expect(page.get_by_role("heading", name=t("Create an organiser account"))).to_be_visible()
    page.get_by_label(t("Name"), exact=True).fill("Sam Organiser")
    page.get_by_label(t("Email")).fill("sam@example.org")
    page.get_by_label(t("Password")).fill(PASSWORD)
    page.get_by_role("button", name=t("Create account")).click()
    expect(page.get_by_role("heading", name=t("Check your email"))).to_be_visible()
    [mail] = read_outbox(Path(server.app.instance_path))
    assert str(mail["Subject"]) == t("Confirm your email to open your Donation Drive account")
    page.goto(emailed_confirmation_url(server.url, server.app.instance_path, "sam@example.org"))
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Confirm and open my account")).click()
    expect(page.get_by_text(t("Welcome, %(name)s. Your account is ready.", name="Sam Organiser"))).to_be_visible()


def organiser_creates_7_for_jack(page: Page, server: LiveServer, language: str) -> str:
    """Journey 1; returns the public link the organiser page shows."""
    def t(text: str, **values: object) -> str:
        return say(language, text, **values)

    expect(page.get_by_role("heading", name=t("Start a drive"), level=1)).to_be_visible()
    page.get_by_label(t("Title"), exact=True).fill("7 for Jack")
    page.get_by_label(t("In memory of someone")).check()
    page.get_by_label(t("Name of the person or cause")).fill("Jack")
    page.get_by_label(t("Story"), exact=True).fill("Jack's mum needed seven bags of blood. We give seven back.")
    page.get_by_label(t("Target units")).fill("7")
    page.get_by_label(t("Start date")).fill(today().isoformat())
    page.get_by_label(t("End date")).fill((today() + timedelta(days=30)).isoformat())
    page.get_by_role("button", name=t("Create the drive")).click()

    expect(page.get_by_role("heading", name="7 for Jack", level=1)).to_be_visible()
    expect(page.get_by_text(t("Your drive is ready. Share the invite link with your friends."))).to_be_visible()
    expect(page.get_by_role("region", name=t("Share the invite"))).to_be_visible()
    public = page.get_by_role("link", name=t("Open the progress page")).get_attribute("href")
    assert public == server.url + "/d/7-for-jack"
    return public


def organiser_logs_seven_units(page: Page, language: str) -> None:
    """Journey 3, the organiser's way, so that the page of journey 4 has a count to show."""
    def t(text: str) -> str:
        return say(language, text)

    page.get_by_role("link", name=t("Log units given")).click()
    page.get_by_label(t("For"), exact=True).select_option(label=t("The group (nobody in particular)"))
    page.get_by_label(t("Units"), exact=True).fill("7")
    page.get_by_label(t("Date donated")).fill(today().isoformat())
    page.get_by_role("button", name=t("Log units"), exact=True).click()
    expect(page.get_by_text(say_count(language, "Logged %(num)s unit.", "Logged %(num)s units.", 7))).to_be_visible()


def anyone_sees_the_target_reached(page: Page, public: str, language: str) -> None:
    """Journey 4, by a stranger whose browser asks for `language`."""
    count = say_count(language, "%(donated)s of %(num)s unit", "%(donated)s of %(num)s units", 7, donated=7)
    page.goto(public)
    expect(page.locator("html")).to_have_attribute("lang", html_tag(language))
    expect(page.get_by_role("heading", name="7 for Jack", level=1)).to_be_visible()
    expect(page.get_by_text(say(language, "In memory of"), exact=False).first).to_be_visible()
    expect(page.get_by_text(say(language, "%(count)s — target reached", count=count))).to_be_visible()
    caption = say_count(language, "%(given)s of %(num)s unit given", "%(given)s of %(num)s units given", 7, given=7)
    board = page.get_by_role("list", name=caption)
    expect(board.get_by_role("listitem")).to_have_count(7)
    expect(page.get_by_role("link", name=say(language, "Join this drive"))).to_be_visible()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_journeys_1_and_4_in_each_language(live_server: LiveServer, new_context: ContextFactory, language: str):
    organiser = new_context(**SCREENS["phone"]).new_page()
    organiser_chooses_the_language(organiser, live_server, language)
    organiser_registers(organiser, live_server, language)
    public = organiser_creates_7_for_jack(organiser, live_server, language)
    organiser_logs_seven_units(organiser, language)

    stranger = new_context(**SCREENS["phone"], locale=html_tag(language)).new_page()
    anyone_sees_the_target_reached(stranger, public, language)
