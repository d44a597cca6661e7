"""Which donation types a drive's blood service takes, in that service's own words."""

from babel.lists import format_list
from flask_babel import get_locale, gettext as _

from ..core.i18n import lazy_gettext as _l
from ..core.rules import RuleBroken
from ..core.web import show_rule_broken
from ..donations.models import DonationType
from ..outreach import eligibility
from .forms import ReportForm
from .join_forms import PledgeFields

#: The types each region's blood service collects and what it calls them, by eligibility.REGIONS
#: key. A friend may pledge only one of these: a type the service doesn't take can't be booked.
OFFERED: dict[str, dict[DonationType, str]] = {
    # Lifeblood: "You may be able to donate blood, plasma or platelets."
    # https://www.donateblood.com.au/learn (Lifeblood's donor site)
    "australia": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLASMA: _l("Plasma"),
        DonationType.PLATELETS: _l("Platelets"),
    },
    # Hemocentros take whole blood and platelets by apheresis ("se a doação for de plaquetas", in the
    # Ministry's requirements as restated by https://rondoniadigital.com/noticia/11004/).
    "brazil": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLATELETS: _l("Platelets (apheresis)"),
    },
    # Canadian Blood Services: "whole blood, plasma or platelets" https://www.sang.ca/en/blood/donating-platelets
    "canada": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLASMA: _l("Plasma"),
        DonationType.PLATELETS: _l("Platelets"),
    },
    # NHS Blood and Transplant collects whole blood, platelets (at donor centres) and plasma (at
    # its plasma donor centres); it has no double red cell ("Power Red") donation.
    # https://www.blood.co.uk/ (who can give: blood, platelets, plasma)
    "england": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLATELETS: _l("Platelets"),
        DonationType.PLASMA: _l("Plasma"),
    },
    # EFS: "don de sang total", "don de plasma", "don de plaquettes".
    # https://destinationsante.com/don-de-sang-ce-quil-faut-savoir-avant-de-faire-son-premier-don.html
    "france": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLASMA: _l("Plasma"),
        DonationType.PLATELETS: _l("Platelets"),
    },
    # DRK: "Neben der klassischen Blutspende (Vollblutspende) bietet das DRK auch das Blutplasma oder
    # Thrombozyten spenden an." https://blutspende.de/magazin/von-a-bis-0/blutspende-plasmaspende-und-was-noch
    "germany": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLASMA: _l("Plasma"),
        DonationType.PLATELETS: _l("Platelets"),
    },
    # NBTC guidelines: whole blood, and platelets or plasma by apheresis; blood centres call a
    # platelet apheresis donation "single donor platelets".
    # https://bloodcentre.rashtrotthana.org/criteria-for-blood-donation/ ,
    # https://bloodcentrehubli.rashtrotthana.org/types-of-donations/
    "india": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLATELETS: _l("Single donor platelets (apheresis)"),
        DonationType.PLASMA: _l("Plasma (apheresis)"),
    },
    # Spain's regional centres take whole blood, plasma (plasmaféresis) and platelets (aféresis):
    # https://bancsang.net/blog/es/quien-puede-donar-plasma (Catalonia),
    # https://www.eldia.es/sociedad/2020/10/07/hemoterapia-anima-islenos-informarse-donacion-22328891.html (Canaries)
    "spain": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.PLASMA: _l("Plasma"),
        DonationType.PLATELETS: _l("Platelets"),
    },
    # American Red Cross: whole blood, Power Red, platelet and AB Elite plasma donations.
    # https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
    "us": {
        DonationType.WHOLE_BLOOD: _l("Whole blood"),
        DonationType.DOUBLE_RED_CELLS: _l("Power Red"),
        DonationType.PLATELETS: _l("Platelets"),
        DonationType.PLASMA: _l("AB Elite plasma"),
    },
}

#: The forms that ask for a donation type: sign-up and the pledge form, and the two report forms.
TypeForm = PledgeFields | ReportForm


def offered_in(region_key: str) -> dict[DonationType, str]:
    """The region's types and their names; every type, by its plain name, for an unknown region.

    A drive whose region is unknown (eligibility.UNKNOWN_REGION) refuses nothing: we don't know its
    service, so every type is offered by its plain name, read now so that it is in the reader's language.
    """
    offered = OFFERED.get(region_key)
    return offered if offered is not None else {kind: kind.label for kind in DonationType}


def not_offered_message(region_key: str, donation_type: DonationType) -> str:
    """Why a type is refused, and which ones to choose instead, in the reader's language."""
    names = [str(name) for name in offered_in(region_key).values()]
    service = str(eligibility.region_of(region_key).service)
    return _("%(service)s doesn't take %(type)s donations. Please choose one it does: %(types)s.",
             service=f"{service[0].upper()}{service[1:]}", type=donation_type.label,
             types=format_list(names, style="or", locale=get_locale() or "en_GB"))


def refuse_a_type_not_offered(region_key: str, form: TypeForm, pledged: DonationType | None = None) -> None:
    """A type the drive's blood service doesn't take can't be booked, so it can't be pledged or reported.

    `pledged` is the type the friend pledged before: saving a pledge that keeps it, or reporting a
    donation of it, stays possible even if the drive's region has changed since.
    """
    chosen = DonationType(form.donation_type.data)
    if chosen not in offered_in(region_key) and chosen is not pledged:
        raise RuleBroken(not_offered_message(region_key, chosen), field="donation_type")


def offer_the_region_s_types(region_key: str, form: TypeForm, pledged: DonationType | None = None) -> None:
    """Offer the region's types by its blood service's names; refuse any other that was sent."""
    form.donation_type.choices = [(kind.value, name) for kind, name in offered_in(region_key).items()]
    sent = form.donation_type.data
    if form.is_submitted() and sent in {kind.value for kind in DonationType} and not form.donation_type.errors:
        try:
            refuse_a_type_not_offered(region_key, form, pledged)
        except RuleBroken as error:
            show_rule_broken(form, error)
