"""Which language a reader gets (core/languages.py, core/i18n.py): Accept-Language by default,
the switcher's cookie once chosen, English for anything unknown, and pages that say so."""

import re

import pytest
from flask import render_template_string

from donation_drive.core.i18n import ngettext
from donation_drive.core.languages import LANGUAGES, choose, from_accept_language
from test_api_public import seed_jack
from translated import say

HOME = "/"


def choose_in(client, language: str) -> None:
    """What the switcher leaves in the browser: the language cookie, on the app's own host."""
    client.set_cookie("language", language, domain="drive.test")


def html_element(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


@pytest.mark.parametrize(("header", "language"), [
    ("es-MX,es;q=0.9,en;q=0.5", "es"),
    ("fr-CA", "fr"),
    ("pt", "pt_BR"),
    ("pt-PT,pt;q=0.9", "pt_BR"),
    ("pt-BR", "pt_BR"),
    ("ar-EG,ar;q=0.9", "ar"),
    ("de-DE,de;q=0.9,fr;q=0.4", "fr"),
    ("en-US,en;q=0.9,es;q=0.8", "en"),
])
def test_the_browser_s_languages_choose_among_those_offered(header, language):
    assert from_accept_language(header) == language


@pytest.mark.parametrize("header", [
    None, "", "de", "zh-Hant-TW", "*", ";q=1", "es;q=abc,,,", "x" * 10_000, "\x00\x01", "es;q=0",
    "\u00e9s", "ar;q=-1",
])
def test_an_unknown_or_malformed_accept_language_falls_back_to_english(header):
    assert from_accept_language(header) == "en"


@pytest.mark.parametrize("cookie", ["de", "", "x" * 400, "../../etc", "es\r\nSet-Cookie: a=b", "EN_gb"])
def test_a_cookie_naming_no_offered_language_is_ignored(cookie):
    assert choose(cookie, "fr") == "fr"
    assert choose(cookie, None) == "en"


def test_a_cookie_s_choice_wins_over_the_browser_s():
    assert choose("ar", "es-ES,es") == "ar"
    assert choose("pt-br", "es") == "pt_BR"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_says_its_language_and_direction(client, language):
    choose_in(client, language)
    page = client.get(HOME).get_data(as_text=True)
    tag = language.replace("_", "-")
    direction = "rtl" if language == "ar" else "ltr"
    assert html_element(page) == f'<html lang="{tag}" dir="{direction}">'
    assert say(language, "Skip to content") in page


def test_english_is_the_default_and_the_fallback(client):
    page = client.get(HOME, headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert html_element(page) == '<html lang="en" dir="ltr">'
    assert "Skip to content" in page


def test_the_switcher_on_every_page_names_each_language_in_itself(client):
    page = client.get(HOME, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    for code, name in LANGUAGES.items():
        tag = code.replace("_", "-")
        assert f'lang="{tag}" hreflang="{tag}"' in switcher
        assert f">{name}</a>" in switcher
    assert 'aria-current="true">Français</a>' in switcher


def test_choosing_a_language_remembers_it_and_goes_back_to_the_page(client):
    answer = client.get("/language/es?next=/privacy")
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/privacy"
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("language=es;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    page = client.get("/privacy", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert 'lang="es"' in html_element(page)


def test_the_switcher_takes_the_browser_s_spelling_of_a_language(client):
    answer = client.get("/language/pt-BR?next=/")
    assert answer.headers["Set-Cookie"].startswith("language=pt_BR;")


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "", "relative/path",
    "http:/evil.example",
])
def test_the_switcher_sends_nobody_to_another_site(client, target):
    answer = client.get("/language/fr", query_string={"next": target})
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("code", ["de", "xx", "en-US-x-evil", "a" * 300, "%C3%A9s"])
def test_a_language_not_offered_is_a_clear_404_and_no_cookie(client, code):
    answer = client.get(f"/language/{code}?next=/privacy")
    assert answer.status_code == 404
    assert "We don&#39;t offer that language" in answer.get_data(as_text=True)
    assert "Set-Cookie" not in answer.headers or "language=" not in answer.headers["Set-Cookie"]


def test_a_public_page_varies_on_the_reader_s_language(app, client):
    seed_jack(app)
    english = client.get("/d/7-for-jack")
    spanish = client.get("/d/7-for-jack", headers={"Accept-Language": "es"})
    assert {"cookie", "accept-language"} <= {name.strip().lower() for name in english.headers["Vary"].split(",")}
    assert english.headers["ETag"] != spanish.headers["ETag"]
    assert 'lang="es"' in html_element(spanish.get_data(as_text=True))


def test_an_etag_from_one_language_gives_no_304_in_another(app, client):
    seed_jack(app)
    english = client.get("/d/7-for-jack")
    again = client.get("/d/7-for-jack", headers={"If-None-Match": english.headers["ETag"], "Accept-Language": "ar"})
    assert again.status_code == 200
    assert 'lang="ar" dir="rtl"' in html_element(again.get_data(as_text=True))


@pytest.mark.parametrize("language", ["es", "ar"])
def test_the_fast_path_keeps_an_answer_per_language(app, language):
    """A kept English answer is never given to a reader of another language, however they chose it."""
    seed_jack(app)
    client = app.test_client()
    for _ in range(2):  # the second English read is the fast path's
        assert 'lang="en"' in client.get("/d/7-for-jack").get_data(as_text=True)
    by_header = client.get("/d/7-for-jack", headers={"Accept-Language": language})
    choose_in(client, language)
    by_cookie = client.get("/d/7-for-jack")
    tag = language.replace("_", "-")
    for answer in (by_header, by_cookie):
        assert f'lang="{tag}"' in html_element(answer.get_data(as_text=True))


@pytest.mark.parametrize(("language", "written"), [
    ("en", "12,345 units"), ("es", "12.345 unidades"), ("fr", "12\u202f345 unités"), ("pt_BR", "12.345 unidades"),
])
def test_a_count_is_written_as_the_language_writes_numbers(app, language, written):
    with app.test_request_context(headers={"Accept-Language": language}):
        in_python = ngettext("%(num)s unit", "%(num)s units", 12345)
        in_a_template = render_template_string('{{ ngettext("%(num)s unit", "%(num)s units", 12345) }}')
    assert in_python == in_a_template == written


def test_a_template_s_count_escapes_the_values_it_is_given(app):
    with app.test_request_context():
        page = render_template_string('{{ ngettext("%(num)s unit for %(name)s", "%(num)s units for %(name)s", 2, '
                                      'name="<b>Jo</b>") }}')
    assert page == "2 units for &lt;b&gt;Jo&lt;/b&gt;"
