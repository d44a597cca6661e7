"""Operations on a participant's personal data. They flush; the request commits."""

from datetime import UTC, datetime

from ..core.extensions import db
from ..core.tokens import new_private_link_token, token_hash
from ..drives import activity
from ..drives.models import Drive
from ..outreach.models import Invitation
from ..participation.models import Participant, ParticipantStage, PrivateLink, VisitPlace
from ..words.models import SupportMessage

#: What an organiser sees instead of the name of someone who deleted their data.
FORGOTTEN_NAME = "Anonymous"


def forget_participant(participant: Participant) -> None:
    """Delete what identifies a participant; their donations keep counting, anonymously.

    The row stays (anonymised) rather than being deleted, so the donations it links keep
    their history and other records that point at it stay valid. Its private link stops
    working: the new hash belongs to a secret nobody is given. Every other row about them
    goes (their stage with its appointment, their places in group visits, the emailed
    invitation with their address, the words of support they left as a participant, which
    ON DELETE CASCADE would not take as the row stays) and the activity log's lines that
    named them are reworded. The sign-up form's key stays (a hash, naming nobody) so that
    form can't be sent again to bring the old private link back.
    """
    _delete_rows_about(participant)
    activity.forget_participant(participant)
    participant.name = FORGOTTEN_NAME
    participant.email = None
    participant.show_name = False
    participant.planned_on = None
    participant.units_pledged = 0
    participant.private_link_hash = token_hash(new_private_link_token())
    _forget_further_links(participant)
    participant.withdrawn_at = participant.withdrawn_at or datetime.now(UTC)
    db.session.flush()


def _delete_rows_about(participant: Participant) -> None:
    invitation = Invitation.participant_id == participant.id
    if participant.email:
        invitation |= (Invitation.drive_id == participant.drive_id) & (Invitation.email == participant.email)
    for model, about in ((ParticipantStage, ParticipantStage.participant_id == participant.id),
                         (VisitPlace, VisitPlace.participant_id == participant.id),
                         (SupportMessage, SupportMessage.participant_id == participant.id),
                         (Invitation, invitation)):
        db.session.execute(db.delete(model).where(about).execution_options(synchronize_session=False))


def participant_by_email(drive: Drive, email: str) -> Participant | None:
    return db.session.scalar(
        db.select(Participant).where(Participant.drive_id == drive.id, Participant.email == email)
    )


def replace_private_link(participant: Participant) -> str:
    """Give the participant a new private link; every link they had stops working at once."""
    token = new_private_link_token()
    participant.private_link_hash = token_hash(token)
    _forget_further_links(participant)
    db.session.flush()
    return token


def add_private_link(participant: Participant) -> str:
    """A further private link; the ones the participant has keep working."""
    token = new_private_link_token()
    db.session.add(PrivateLink(participant_id=participant.id, token_hash=token_hash(token)))
    db.session.flush()
    return token


def _forget_further_links(participant: Participant) -> None:
    db.session.execute(db.delete(PrivateLink).where(PrivateLink.participant_id == participant.id))
