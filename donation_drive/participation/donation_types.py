"""Which donation types a drive's blood service takes, in that service's own words."""

from ..donations.models import DonationType
from ..outreach import eligibility

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
