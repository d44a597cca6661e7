"""When a donor may be able to give again: published intervals per region, kept as data.

This app advises; the blood service decides. Every date shown from here is shown beside
"check with your blood service". To add a region, add an entry to REGIONS with a source for every
figure (and its types to participation/donation_types.py OFFERED). A figure no source we could read
confirms is left out: the page then says nothing rather than guess.
"""

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from flask_babel import LazyString

from ..accounts.models import User
from ..core.extensions import db
from ..core.i18n import lazy_gettext as _l
from ..counting.rule import counted
from ..donations.models import Donation, DonationType
from ..drives import activity
from ..drives.models import Drive
from ..participation.models import Participant


@dataclass(frozen=True)
class Interval:
    """The minimum wait after one donation, for everyone or for one group (`who`)."""

    wait: relativedelta
    who: str | LazyString = ""


@dataclass(frozen=True)
class Region:
    """Its name and service are lazy strings: written in the reader's language when shown."""

    name: str | LazyString
    service: str | LazyString
    #: Where the service takes appointments: it books and screens donors; a friend's page only points there.
    #: Empty only for UNKNOWN_REGION, which has nowhere to point.
    booking_url: str
    #: The IANA time zone of the service's capital or largest city: a new drive's default (each
    #: drive keeps its own, Drive.timezone).
    timezone: str
    #: Donation types the service publishes no interval for are left out: we then say nothing.
    intervals: dict[DonationType, tuple[Interval, ...]]


REGIONS: dict[str, Region] = {
    # Australian Red Cross Lifeblood: whole blood every 12 weeks; plasma every 2 weeks.
    # https://www.teamadem.com.au/team-adem-blood-donors/ (Lifeblood's donation types, restated: blood
    # "How often can I donate? Every 12 weeks."; plasma "Every 2 weeks.") and
    # https://www.centennialcoal.com.au/News/Latest-News/Australian-Red-Cross-Blood-Service ("donate as
    # regularly as every 12 weeks"; "Plasma can be donated as often as every 2 weeks").
    # Platelets: no interval found in a source we could read, so none is shown.
    "australia": Region(
        name=_l("Australia — Australian Red Cross Lifeblood"),
        service=_l("Australian Red Cross Lifeblood"),
        # lifeblood.com.au: "Book a donation" (or 13 14 95).
        booking_url="https://www.lifeblood.com.au/",
        # Sydney, the largest city; Canberra, the capital, keeps the same time.
        timezone="Australia/Sydney",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(weeks=12)),),
            DonationType.PLASMA: (Interval(relativedelta(weeks=2)),),
        },
    ),
    # Brazil, Ministério da Saúde rules that every state hemocentro applies: whole blood every 60 days
    # for men (at most 4 donations in 12 months), every 90 days for women (at most 3).
    # https://rondoniadigital.com/noticia/11004/ ("De acordo com o Ministério da Saúde ... obedecer a um
    # intervalo entre doações de 90 dias para mulheres e 60 dias para homens") and
    # https://www.em.com.br/trends/2026/01/7329576-doacao-de-sangue-quem-pode-doar-e-onde-encontrar-postos-de-coleta.html
    # ("homens devem aguardar 60 dias (no máximo 4 doações por ano) e mulheres, 90 dias (no máximo 3)").
    # Platelets (apheresis): no national interval found, so none is shown.
    "brazil": Region(
        name=_l("Brazil — Ministério da Saúde (hemocentros)"),
        service=_l("your state's hemocentro"),
        # The Ministry of Health's blood donation page, which lists the hemocentros of every state.
        booking_url="https://www.gov.br/saude/pt-br/assuntos/saude-de-a-a-z/d/doacao-de-sangue",
        # São Paulo, the largest city; Brasília, the capital, keeps the same time.
        timezone="America/Sao_Paulo",
        intervals={
            DonationType.WHOLE_BLOOD: (
                Interval(relativedelta(days=60), _l("men")),
                Interval(relativedelta(days=90), _l("women")),
            ),
        },
    ),
    # Canadian Blood Services (every province and territory but Quebec, served by Héma-Québec):
    # whole blood "every 56 days for males, every 84 days for females"; "Platelets every 14 days"
    # https://qa.blood.ca/en/plasma/am-i-eligible ; "You can donate platelets as often as every 14 days"
    # https://www.sang.ca/en/blood/donating-platelets ; plasma "as frequently as every seven days"
    # https://blood.ca/en/plasma (the eligibility page above says "every 6-56 days, depending on the
    # donor program": we show the 7 days its plasma page gives every donor).
    "canada": Region(
        name=_l("Canada — Canadian Blood Services (outside Quebec)"),
        service=_l("Canadian Blood Services"),
        # blood.ca: "Book now" (or 1 888 2 DONATE).
        booking_url="https://www.blood.ca/en",
        # Toronto, the largest city; Ottawa, the capital, keeps the same time.
        timezone="America/Toronto",
        intervals={
            DonationType.WHOLE_BLOOD: (
                Interval(relativedelta(days=56), _l("men")),
                Interval(relativedelta(days=84), _l("women")),
            ),
            DonationType.PLATELETS: (Interval(relativedelta(days=14)),),
            DonationType.PLASMA: (Interval(relativedelta(days=7)),),
        },
    ),
    # NHS Blood and Transplant (England), as quoted in PRODUCT.md: whole blood every
    # 12 weeks for men and 16 weeks for women; platelets at least 2 weeks apart (up to 24 a year).
    # https://www.blood.co.uk/who-can-give-blood/ (eligibility: "how often can I give")
    "england": Region(
        name=_l("England — NHS Blood and Transplant"),
        service=_l("NHS Blood and Transplant"),
        # blood.co.uk's "Book an appointment" (also the GiveBloodNHS app, or 0300 123 23 23).
        # https://www.blood.co.uk/
        booking_url="https://www.blood.co.uk/",
        timezone="Europe/London",
        intervals={
            DonationType.WHOLE_BLOOD: (
                Interval(relativedelta(weeks=12), _l("men")),
                Interval(relativedelta(weeks=16), _l("women")),
            ),
            DonationType.PLATELETS: (Interval(relativedelta(weeks=2)),),
        },
    ),
    # Établissement français du sang (EFS): whole blood at least 8 weeks apart, at most 6 times a year
    # for men and 4 for women; platelets 4 weeks apart (at most 12 a year); plasma 2 weeks apart (at
    # most 24 a year). EFS's medical director, Dr Syria Laperche: "8 semaines pour le sang total, 4
    # semaines pour les plaquettes, 2 semaines pour le plasma ... un homme peut donner jusqu'à 6 fois
    # par an, une femme 4 fois" https://destinationsante.com/don-de-sang-ce-quil-faut-savoir-avant-de-faire-son-premier-don.html
    # and, restating EFS: https://www.dondusang-aube.com/index.php/consignes-apres-e-don
    "france": Region(
        name=_l("France — Établissement français du sang (EFS)"),
        service=_l("the Établissement français du sang (EFS)"),
        # EFS's appointment site: find a collection or a Maison du don, then book a time.
        booking_url="https://mon-rdv-dondesang.efs.sante.fr/",
        timezone="Europe/Paris",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(weeks=8)),),
            DonationType.PLATELETS: (Interval(relativedelta(weeks=4)),),
            DonationType.PLASMA: (Interval(relativedelta(weeks=2)),),
        },
    ),
    # The German Red Cross blood services (DRK-Blutspendedienste, about three quarters of Germany's
    # donations): whole blood at least 56 days (8 weeks) apart, at most 6 times in 12 months for men
    # and 4 for women. "Zwischen den Spenden müssen mindestens 56 Tage liegen" (DRK-Blutspendedienst
    # Nord-Ost) https://www.abendblatt.de/nachrichten/article214526707/Frauen-duerfen-viermal-im-Jahr-spenden-Maenner-sechsmal.html
    # and "mindestens 8 Wochen" https://blutspende.de/magazin/von-a-bis-0/blutspende-plasmaspende-und-was-noch
    # Plasma and platelets: the sources disagree (plasma: "two days", "DRK recommends seven", "a
    # week"; platelets: no DRK figure found), so no date is shown for them.
    "germany": Region(
        name=_l("Germany — DRK-Blutspendedienste (German Red Cross)"),
        service=_l("the German Red Cross blood service (DRK)"),
        # blutspende.de, the DRK blood services' site: search appointments by postcode and reserve a time.
        booking_url="https://www.blutspende.de/",
        timezone="Europe/Berlin",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(days=56)),),
        },
    ),
    # India, the National Blood Transfusion Council's "Guidelines for Blood Donor Selection and Blood
    # Donor Referral" (2017), which every licensed blood centre follows: whole blood "once in three
    # months (90 days) for males and four months (120 days) for females"; apheresis (platelets or
    # plasma) "at least 48 hours interval ... not more than 2 times a week, limited to 24 times in one
    # year". As restated by a blood centre: https://bloodcentre.rashtrotthana.org/criteria-for-blood-donation/
    "india": Region(
        name=_l("India — blood centres (NBTC guidelines)"),
        service=_l("your nearest blood centre"),
        # e-RaktKosh, the Ministry of Health's portal: blood centres and donation camps near you.
        booking_url="https://eraktkosh.mohfw.gov.in/",
        # India keeps one time zone.
        timezone="Asia/Kolkata",
        intervals={
            DonationType.WHOLE_BLOOD: (
                Interval(relativedelta(days=90), _l("men")),
                Interval(relativedelta(days=120), _l("women")),
            ),
            DonationType.PLATELETS: (Interval(relativedelta(days=2)),),
            DonationType.PLASMA: (Interval(relativedelta(days=2)),),
        },
    ),
    # Spain: donation is run by each autonomous community's transfusion centre (Cruz Roja collects
    # for some of them), under one national rule, Real Decreto 1088/2005: whole blood at least two
    # months apart, at most 4 times a year for men and 3 for women. Chosen as the reference because
    # it binds every centre. "you can donate every two months. If you are a man up to a maximum of 4
    # times a year, if you are a woman, 3" https://www.comunidad.madrid/en/servicios/salud/donacion-sangre
    # and https://www.centrodehemoterapiacyl.es/si-empezas-a-donar/ . Plasma and platelets: each
    # regional centre sets its own (Catalonia and Asturias say every 15 days), so no date is shown.
    "spain": Region(
        name=_l("Spain — regional blood transfusion centres"),
        service=_l("your region's blood transfusion centre"),
        # The Madrid region's donation page (its points, the Red Cross room and the hospitals); each
        # other region keeps its own.
        booking_url="https://www.comunidad.madrid/en/servicios/salud/donacion-sangre",
        # Madrid, the capital and largest city (the Canary Islands are an hour behind: Atlantic/Canary).
        timezone="Europe/Madrid",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(months=2)),),
        },
    ),
    # American Red Cross, as quoted in PRODUCT.md: whole blood every 56 days (up to 6 times a
    # year); Power Red (double red cells) every 112 days; platelets every 7 days (up to 24 a
    # year); plasma every 28 days (up to 13 a year).
    # https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
    "us": Region(
        name=_l("United States — American Red Cross"),
        service=_l("the American Red Cross"),
        # redcrossblood.org's "Find a Blood Drive": search by ZIP code, then make an appointment.
        # https://www.redcrossblood.org/give.html/find-drive
        booking_url="https://www.redcrossblood.org/give.html/find-drive",
        # The Red Cross works across six time zones; a drive's default is Eastern time, that of its
        # headquarters in Washington, DC (the organiser may choose the drive's own).
        timezone="America/New_York",
        intervals={
            DonationType.WHOLE_BLOOD: (Interval(relativedelta(days=56)),),
            DonationType.DOUBLE_RED_CELLS: (Interval(relativedelta(days=112)),),
            DonationType.PLATELETS: (Interval(relativedelta(days=7)),),
            DonationType.PLASMA: (Interval(relativedelta(days=28)),),
        },
    ),
}
DEFAULT_REGION = "england"

#: What a drive whose region key is not in REGIONS (a region since removed, a row from an old
#: database) shows: no service named, no booking link, no dates — only "your local blood service".
UNKNOWN_REGION = Region(
    name=_l("None of those listed (donors are asked to check with their local blood service)"),
    service=_l("your local blood service"),
    booking_url="",
    timezone="UTC",
    intervals={},
)

#: The most units one donation of each type can count for, wherever the donor lives.
#: Whole blood: one bag (about a pint) per donation. Power Red / double red cells: "nearly
#: twice the amount of red cells" of a whole-blood donation, i.e. two red-cell units.
#: Platelets: "some platelet donations yield enough platelets for two or three therapeutic
#: doses", each a unit. Plasma: counted as the one donation it is; the Red Cross publishes
#: no split. Sources (American Red Cross):
#: https://www.redcrossblood.org/donate-blood/how-to-donate/types-of-blood-donations.html
#: https://www.redcrossblood.org/donating-blood/types-donations/platelets
UNITS_PER_DONATION: dict[DonationType, int] = {
    DonationType.WHOLE_BLOOD: 1,
    DonationType.DOUBLE_RED_CELLS: 2,
    DonationType.PLATELETS: 3,
    DonationType.PLASMA: 1,
}


@dataclass(frozen=True)
class NextDonation:
    """"You may be able to donate again from <on>", for `who` (empty: everyone)."""

    on: date
    who: str | LazyString = ""


def next_donation_dates(region_key: str, donation_type: DonationType, donated_on: date) -> list[NextDonation]:
    """The earliest dates a donor may give again after `donated_on`; empty when unpublished."""
    return [NextDonation(donated_on + interval.wait, interval.who)
            for interval in region_of(region_key).intervals.get(donation_type, ())]


_SOME_DAY = date(2001, 1, 1)


def shortest_wait(region_key: str, donation_type: DonationType) -> relativedelta | None:
    """The shortest published wait after a donation of this type (men's, when it differs by sex)."""
    intervals = region_of(region_key).intervals.get(donation_type, ())
    # relativedeltas don't compare; the dates they reach from one fixed day do.
    return min((interval.wait for interval in intervals), key=lambda wait: _SOME_DAY + wait, default=None)


def within_wait(earlier_on: date, later_on: date, wait: relativedelta | None) -> bool:
    """Whether two donation dates are closer than one donor could give twice."""
    first, second = sorted((earlier_on, later_on))
    return wait is not None and second < first + wait


def last_donation(participant: Participant) -> Donation | None:
    """The participant's latest donation that counts (counting/rule.py)."""
    return db.session.scalar(
        db.select(Donation)
        .where(Donation.participant_id == participant.id, counted())
        .order_by(Donation.donated_on.desc(), Donation.id.desc())
        .limit(1)
    )


def donate_again(participant: Participant) -> list[NextDonation]:
    """When this participant may give again, from their last reported donation and its type."""
    donation = last_donation(participant)
    if donation is None:
        return []
    return next_donation_dates(participant.drive.region, donation.donation_type, donation.donated_on)


def choose_blood_service(drive: Drive, actor: User, region_key: str) -> None:
    """Count the drive's "donate again" dates by `region_key`'s rules. A drive still on the old
    service's time zone moves to the new one's; a zone its organisers chose themselves stays."""
    if drive.timezone == region_of(drive.region).timezone:
        drive.timezone = region_of(region_key).timezone
    drive.region = region_key
    db.session.flush()
    service = region_of(region_key).service
    activity.record(drive, _l("chose %(service)s as the drive's blood service", service=service), actor)


def region_of(region_key: str) -> Region:
    """The drive's blood service, or UNKNOWN_REGION: never another country's service and rules."""
    return REGIONS.get(region_key, UNKNOWN_REGION)
