from donation_drive.drives.slugs import slugify


def test_slug_is_readable():
    assert slugify("7 for Jack") == "7-for-jack"


def test_accents_are_folded_and_punctuation_dropped():
    assert slugify("Zoë's drive — für Ümit!") == "zoe-s-drive-fur-umit"


def test_a_title_with_no_letters_still_gets_a_slug():
    assert slugify("💉❤️") == "drive"
