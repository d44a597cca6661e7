"""Which donation types a drive's blood service takes, in that service's own words."""

from ..core.rules import RuleBroken
from ..core.web import show_rule_broken
from ..donations.models import DonationType
from ..outreach import eligibility
from .join_forms import PledgeFields

#: The types each region's blood service collects and what it calls them, by eligibility.REGIONS
#: key. A friend may pledge only one of these: a type the service doesn't take can't be booked.
OFFERED: dict[str, dict[DonationType, str]] = {
    # NHS Blood and Transplant collects whole blood, platelets (at donor centres) and plasma (at
    # its plasma donor centres); it has no double red cell ("Power Red") donation.
    # https://www.blood.co.uk/ (who can give: blood, platelets, plasma)
    "england": {
        DonationType.WHOLE_BLOOD: "Whole blood",
        DonationType.PLATELETS: "Platelets",
        DonationType.PLASMA: "Plasma",
    },
    # American Red Cross: whole blood, Power Red, platelet and AB Elite plasma donations.
    # https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
    "us": {
        DonationType.WHOLE_BLOOD: "Whole blood",
        DonationType.DOUBLE_RED_CELLS: "Power Red",
        DonationType.PLATELETS: "Platelets",
        DonationType.PLASMA: "AB Elite plasma",
    },
}


def offered_in(region_key: str) -> dict[DonationType, str]:
    """The region's types and their names; unknown regions fall back as eligibility.region_of does."""
    return OFFERED.get(region_key) or OFFERED[eligibility.DEFAULT_REGION]


def not_offered_message(region_key: str, donation_type: DonationType) -> str:
    """Why a type is refused, and which ones to choose instead."""
    names = list(offered_in(region_key).values())
    service = eligibility.region_of(region_key).service
    return (f"{service[0].upper()}{service[1:]} doesn't take {donation_type.label} donations. "
            f"Please choose one it does: {', '.join(names[:-1])} or {names[-1]}.")


def refuse_a_type_not_offered(region_key: str, form: PledgeFields, pledged: DonationType | None = None) -> None:
    """A type the drive's blood service doesn't take can't be booked, so it can't be pledged.

    `pledged` is the type the friend pledged before: saving a pledge that keeps it stays possible
    (say, to change only the name choices) even if the drive's region has changed since.
    """
    chosen = DonationType(form.donation_type.data)
    if chosen not in offered_in(region_key) and chosen is not pledged:
        raise RuleBroken(not_offered_message(region_key, chosen), field="donation_type")


def offer_the_region_s_types(region_key: str, form: PledgeFields, pledged: DonationType | None = None) -> None:
    """Offer the region's types by its blood service's names; refuse any other that was sent."""
    form.donation_type.choices = [(kind.value, name) for kind, name in offered_in(region_key).items()]
    sent = form.donation_type.data
    if form.is_submitted() and sent in {kind.value for kind in DonationType} and not form.donation_type.errors:
        try:
            refuse_a_type_not_offered(region_key, form, pledged)
        except RuleBroken as error:
            show_rule_broken(form, error)
