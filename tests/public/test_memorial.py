"""/memorial/<slug>: a yearly memorial is no list of statistics but the person, the latest round's
photo and story, and every round linking to its own page, with what it gave in words."""

import io
from datetime import timedelta

import pytest
from PIL import Image

import factories
from donation_drive.core.rules import today
from donation_drive.drives import anniversaries, closing
from donation_drive.models import UnitNoun


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "grey").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def rounds(app, db):
    """Jack's yearly memorial in bags: the first round closed with 5 bags given, next year's set up."""
    sam = factories.organiser()
    first = factories.drive(sam, starts_on=today() - timedelta(days=40), days=60, story="Jack loved the sea.")
    first.unit_noun = UnitNoun.BAGS
    factories.cover_photo(first, sam, _jpeg(), alt="Jack at the beach")
    factories.logged_donation(first, sam, units=5, donated_on=today() - timedelta(days=35))
    anniversaries.repeat_yearly(first, sam)
    closing.close_drive(first, sam, "Thank you for Jack.")
    second = anniversaries.start_next_round(first, sam)
    db.session.commit()
    return first, second


def test_the_yearly_memorial_shows_the_person_the_story_and_every_round(client, rounds):
    first, second = rounds
    html = client.get("/memorial/7-for-jack").get_data(as_text=True)
    assert "In memory of" in html and "Every year for <bdi>Jack</bdi></h1>" in html
    assert 'alt="Jack at the beach"' in html  # the latest round keeps the photo
    assert "Jack loved the sea." in html  # the latest round's story
    assert "5 bags of blood given in Jack's name" in html
    assert f'href="/d/{first.slug}"' in html and f'href="/d/{second.slug}"' in html
    assert "5 bags of blood given" in html.split(f'href="/d/{first.slug}"')[1]
    assert "open now" in html.split(f'href="/d/{second.slug}"')[1]
    for gone in ("%", " of 7", "pledged", "Join this drive"):
        assert gone not in html.split("<main", 1)[1], gone


def test_a_closed_round_s_page_is_its_memorial_and_links_to_the_others(client, rounds):
    first, second = rounds
    html = client.get(f"/d/{first.slug}").get_data(as_text=True)
    assert "Thank you for Jack." in html
    assert f'href="/d/{second.slug}"' in html and 'href="/memorial/7-for-jack"' in html


def test_an_open_round_links_to_the_memorial(client, rounds):
    _first, second = rounds
    html = client.get(f"/d/{second.slug}").get_data(as_text=True)
    assert 'href="/memorial/7-for-jack"' in html and "Every year for <bdi>Jack</bdi>" in html
