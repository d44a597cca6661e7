"""Starting a drive: what a fresh form suggests, and choosing the drive's address (/d/<slug>)."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import Result, event
from sqlalchemy.orm import ORMExecuteState, Session

from donation_drive.core.fields import NUL_MESSAGE
from donation_drive.core.rules import today
from donation_drive.drives.slugs import ADDRESS_MAX, RESERVED_SLUGS
from donation_drive.models import Dedication, Drive, DriveOrganiser, Visibility
from test_concurrency import PASSWORD, Person, all_at_once, live_server  # noqa: F401 (a fixture)
from test_journeys import create_drive, new_drive_form
from test_organiser import organiser  # noqa: F401 (a fixture)

INPUT = re.compile(r"<input\b[^>]*>")


def inputs_named(html: str, name: str) -> list[str]:
    return [tag for tag in INPUT.findall(html) if f'name="{name}"' in tag]


def value_of(tag: str) -> str:
    found = re.search(r'\bvalue="([^"]*)"', tag)
    return found.group(1) if found else ""


def as_shown(html: str) -> dict[str, str]:
    """What the fresh form sends if the organiser types only a title and a name."""
    [checked] = [tag for tag in inputs_named(html, "visibility") if " checked" in tag]
    return new_drive_form(
        visibility=value_of(checked),
        starts_on=value_of(inputs_named(html, "starts_on")[0]),
        ends_on=value_of(inputs_named(html, "ends_on")[0]),
        slug=value_of(inputs_named(html, "slug")[0]),
    )


def drive_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Drive))


# ---- A fresh form ------------------------------------------------------------------------------

def test_a_fresh_form_is_unlisted_ends_in_four_weeks_and_leaves_the_address_open(organiser):
    """All of it in the HTML the server sends: nothing waits for a script."""
    page = organiser.get("/drives/new").get_data(as_text=True)
    [checked] = [tag for tag in inputs_named(page, "visibility") if " checked" in tag]
    assert value_of(checked) == "unlisted"
    assert "Only people you share the link with. The page isn&#39;t listed anywhere on this site." in page
    assert "Anyone. The page is also listed on this site&#39;s home page" in page
    assert value_of(inputs_named(page, "starts_on")[0]) == today().isoformat()
    assert value_of(inputs_named(page, "ends_on")[0]) == (today() + timedelta(weeks=4)).isoformat()
    [address] = inputs_named(page, "slug")
    assert value_of(address) == ""
    assert "Web address" in page and "leave it empty to have it made from the title" in page


def test_the_fresh_form_as_it_comes_makes_an_unlisted_drive_ending_in_four_weeks(organiser, client, db):
    form = as_shown(organiser.get("/drives/new").get_data(as_text=True))
    assert organiser.submit("/drives/new", form).headers["Location"] == "/drives/7-for-jack"
    drive = db.session.scalar(sa.select(Drive))
    assert drive.visibility is Visibility.UNLISTED
    assert drive.ends_on == today() + timedelta(weeks=4)
    assert "7 for Jack" not in client.get("/").get_data(as_text=True)
    assert client.get("/d/7-for-jack").status_code == 200


def test_public_listing_is_a_choice_the_organiser_makes(organiser, client):
    create_drive(organiser, visibility="public")
    assert "7 for Jack" in client.get("/").get_data(as_text=True)


# ---- Choosing the address ------------------------------------------------------------------------

def test_organiser_chooses_the_address_of_the_drive(organiser, client):
    assert create_drive(organiser, slug="seven-for-jack") == "/drives/seven-for-jack"
    assert "http://drive.test/d/seven-for-jack" in organiser.get("/drives/seven-for-jack").get_data(as_text=True)
    public = client.get("/d/seven-for-jack")
    assert public.status_code == 200 and "7 for Jack" in public.get_data(as_text=True)


def test_an_address_left_empty_is_made_from_the_title(organiser):
    assert create_drive(organiser, slug="  ") == "/drives/7-for-jack"
    assert create_drive(organiser, slug="") == "/drives/7-for-jack-2"


def test_a_taken_address_is_refused_naming_one_that_is_free(organiser, db, unchanged):
    create_drive(organiser)
    create_drive(organiser, slug="7-for-jack-2")
    with unchanged():
        response = organiser.submit("/drives/new", new_drive_form(title="For Jack, again", slug="7-for-jack"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The address 7-for-jack is taken; 7-for-jack-3 is free." in page
    assert 'aria-invalid="true"' in page and 'value="7-for-jack"' in page
    assert "Your drive is ready" not in page


def test_a_long_taken_address_names_a_free_one_the_form_takes(organiser):
    longest = "a" * ADDRESS_MAX
    create_drive(organiser, slug=longest)
    response = organiser.submit("/drives/new", new_drive_form(slug=longest))
    free = re.search(r"is taken; ([a-z0-9-]+) is free", response.get_data(as_text=True)).group(1)
    assert len(free) <= ADDRESS_MAX
    assert create_drive(organiser, slug=free) == f"/drives/{free}"


BAD_ADDRESSES = [
    ("7-For-Jack", "Please use only lower-case letters, numbers and single hyphens between words, like 7-for-jack."),
    ("7 for jack", "like 7-for-jack."),
    ("7_for_jack", "like 7-for-jack."),
    ("jäck", "like jack."),
    ("-jack", "like jack."),
    ("jack-", "like jack."),
    ("for--jack", "like for-jack."),
    ("../drives", "like drives."),
    ("a" * (ADDRESS_MAX + 1), f"Please keep the address to {ADDRESS_MAX} characters or fewer."),
    ("jack\x00", NUL_MESSAGE),
    ("new", "The address new belongs to one of this site&#39;s own pages. Please choose another."),
    ("co-organise", "The address co-organise belongs to one of this site&#39;s own pages."),
]


@pytest.mark.parametrize(("address", "message"), BAD_ADDRESSES)
def test_an_address_the_site_cannot_use_is_refused_beside_the_field(organiser, unchanged, address, message):
    with unchanged():
        response = organiser.submit("/drives/new", new_drive_form(slug=address))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*name="slug"', page)


def test_every_fixed_page_beside_the_drives_is_kept_from_their_addresses(app):
    """A drive called "new" would hide /drives/new; one called "co-organise" its own pages."""
    fixed = set()
    for rule in app.url_map.iter_rules():
        for prefix in ("/drives/", "/d/", "/memorial/"):
            first = rule.rule.removeprefix(prefix).split("/")[0] if rule.rule.startswith(prefix) else ""
            if first and "<" not in first:
                fixed.add(first)
    assert fixed <= RESERVED_SLUGS


def test_editing_a_drive_keeps_its_address(organiser, db):
    page = create_drive(organiser, slug="seven-for-jack")
    assert "Web address" not in organiser.get(f"{page}/edit").get_data(as_text=True)
    response = organiser.submit(f"{page}/edit", new_drive_form(title="Seven for Jack", slug="other"))
    assert response.status_code == 302
    assert db.session.scalars(sa.select(Drive.slug)).all() == ["seven-for-jack"]


# ---- Two organisers, one address -------------------------------------------------------------

def test_two_organisers_choosing_one_address_at_once_one_gets_it(live_server, browser, db):
    browser.register(email="sam@example.org", password=PASSWORD)
    sam = Person(live_server)
    sam.log_in("sam@example.org")
    tabs = [sam.twin() for _ in range(6)]
    forms = [tab.hidden_fields("/drives/new") for tab in tabs]
    responses = all_at_once([
        (lambda tab=tab, form=form: tab.post("/drives/new", {**form, **new_drive_form(slug="for-gran")}))
        for tab, form in zip(tabs, forms, strict=True)
    ])
    created = [response for response in responses if response.status_code == 302]
    refused = [response for response in responses if response.status_code != 302]
    assert [response.headers["Location"] for response in created] == ["/drives/for-gran"]
    assert {response.status_code for response in refused} == {422}
    assert all("The address for-gran is taken; for-gran-2 is free." in response.text for response in refused)
    db.session.rollback()
    assert db.session.scalars(sa.select(Drive.slug)).all() == ["for-gran"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DriveOrganiser)) == 1


def test_an_address_taken_between_the_look_and_the_insert_is_refused_by_the_database(organiser, db, unchanged):
    """The moment SQLite never shows (its writers queue) but PostgreSQL can: another request's drive
    takes the address after this one found it free. The unique slug refuses the insert, and the
    organiser reads the same message as for any taken address."""
    taken = []

    def another_drive_takes_it(state: ORMExecuteState) -> Result | None:
        """Right after the first look for free addresses: another drive gets "for-gran"."""
        columns = state.statement.column_descriptions if state.is_select else []
        if taken or [(column["entity"], column["name"]) for column in columns] != [(Drive, "slug")]:
            return None
        looked = state.invoke_statement().freeze()
        taken.append(True)
        state.session.connection().execute(sa.insert(Drive.__table__).values(
            slug="for-gran", title="Gran's drive", dedication=Dedication.IN_MEMORY, honoree="Gran",
            target_units=1, starts_on=today(), ends_on=today(), invite_code="another-request-took-it"))
        return looked()

    event.listen(Session, "do_orm_execute", another_drive_takes_it)
    try:
        with unchanged():
            response = organiser.submit("/drives/new", new_drive_form(slug="for-gran"))
    finally:
        event.remove(Session, "do_orm_execute", another_drive_takes_it)
    assert taken, "the look for a free address never ran"
    assert response.status_code == 422
    assert "The address for-gran is taken; for-gran-2 is free." in response.get_data(as_text=True)
