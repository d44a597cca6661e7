"""The catalogs ship complete and current: every message the app marks today is translated in
every language, with its placeholders, nothing fuzzy or left over, and compiled as it is written.

Run `pybabel extract/update/compile` as the README's "Languages and translations" says when one of these fails.
"""

import re
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from donation_drive.core.languages import LANGUAGES
from translated import ROOT, TRANSLATIONS, extract_messages, say_count

TRANSLATED = [code for code in LANGUAGES if code != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TEMPLATES = ROOT / "templates"
#: A plural written by hand in a template: `word{{ "s" if n != 1 }}` or `{{ "one" if n == 1 else "many" }}`.
HAND_WRITTEN_PLURAL = re.compile(r"\"s\" if [^}]*!= ?1|if [^}]*== ?1 else")


@pytest.fixture(scope="module")
def marked(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return extract_messages(tmp_path_factory.mktemp("pot"))


def po_path(language: str) -> Path:
    return TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"


def catalog_of(language: str) -> Catalog:
    with po_path(language).open("rb") as file:
        return read_po(file, locale=language)


def ids(catalog: Catalog) -> set:
    return {message.id for message in catalog if message.id}


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_app_marks_its_text(marked):
    assert len(ids(marked)) > 1000
    assert "Skip to content" in ids(marked)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_marked_message_is_in_the_catalog(marked, language):
    missing = sorted(str(message) for message in ids(marked) - ids(catalog_of(language)))
    assert not missing, f"{len(missing)} messages missing from {language}: run pybabel update. {missing[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_catalog_keeps_messages_the_app_no_longer_has(marked, language):
    catalog = catalog_of(language)
    left_over = sorted(str(message) for message in ids(catalog) - ids(marked))
    assert not left_over, f"{len(left_over)} old messages in {language}: run pybabel update. {left_over[:10]}"
    assert not catalog.obsolete, f"{language} keeps obsolete (#~) entries: remove them"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    catalog = catalog_of(language)
    untranslated = [message.id for message in catalog if message.id and not all(_forms(message))]
    fuzzy = [message.id for message in catalog if message.id and message.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language):
    wrong = []
    for message in catalog_of(language):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, str) else message.id[1]
        allowed = placeholders(english) | ({"num"} if message.pluralizable else set())
        for form in _forms(message):
            if not placeholders(form) <= allowed or (not message.pluralizable and placeholders(form) != allowed):
                wrong.append((message.id, form))
    assert not wrong, f"{language}: {wrong[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_pybabel_finds_nothing_to_object_to(language):
    """What `pybabel compile` checks (placeholders gettext could not fill) passes, so it compiles cleanly."""
    problems = [(message.id, [str(error) for error in errors]) for message, errors in catalog_of(language).check()]
    assert not problems, f"{language}: {problems[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plural_messages_have_the_language_s_number_of_forms(language):
    catalog = catalog_of(language)
    short = [message.id for message in catalog if message.pluralizable and len(_forms(message)) != catalog.num_plurals]
    assert not short, f"{language} needs {catalog.num_plurals} forms: {short[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalog_is_the_one_written(language):
    """The .mo Flask-Babel reads says what the .po says (hatch_build.py compiles it on install)."""
    mo = po_path(language).with_suffix(".mo")
    assert mo.exists(), "not compiled: pip install -e . (or pybabel compile -d donation_drive/translations)"
    with mo.open("rb") as file:
        compiled = GNUTranslations(file)._catalog  # the messages as gettext reads them
    for message in catalog_of(language):
        if not message.id:
            continue
        if message.pluralizable:
            for index, form in enumerate(message.string):
                assert compiled.get((message.id[0], index)) == form, "stale .mo: pybabel compile"
        else:
            assert compiled.get(message.id) == message.string, f"stale .mo ({message.id!r}): pybabel compile"


def test_arabic_has_a_form_for_none_one_two_a_few_many_and_more():
    forms = {say_count("ar", "%(num)s unit", "%(num)s units", count) for count in (0, 1, 2, 3, 11, 100)}
    assert len(forms) == 6


def test_templates_write_no_plural_by_hand():
    by_hand = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_WRITTEN_PLURAL.search(line)
    ]
    assert by_hand == []


def _forms(message: Message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]
