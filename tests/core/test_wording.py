"""Wording with a number goes through one helper (core/wording.py), in Python and in templates."""

import re
from pathlib import Path

import pytest

from donation_drive.core.wording import plural, quantity

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
#: A plural written by hand in a template: `word{{ "s" if n != 1 }}` or `{{ "one" if n == 1 else "many" }}`.
HAND_WRITTEN_PLURAL = re.compile(r"\"s\" if [^}]*!= ?1|if [^}]*== ?1 else")


@pytest.mark.parametrize(("count", "words"), [(0, "0 units"), (1, "1 unit"), (2, "2 units"), (-1, "-1 units")])
def test_quantity_says_the_number_and_the_word_that_agrees_with_it(count, words):
    assert quantity(count, "unit", "units") == words


def test_plural_takes_both_forms_so_irregular_words_need_no_rule():
    assert [plural(n, "person", "people") for n in (1, 2)] == ["person", "people"]
    assert [plural(n, "was", "were") for n in (1, 3)] == ["was", "were"]


def test_templates_use_the_helper_and_write_no_plural_by_hand():
    by_hand = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.*"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if HAND_WRITTEN_PLURAL.search(line)
    ]
    assert by_hand == []


def test_a_template_shows_the_helpers_words(app):
    with app.app_context():
        page = app.jinja_env.from_string('{{ 1 | quantity("person", "people") }}, {{ 3 | plural("was", "were") }}')
        assert page.render() == "1 person, were"
