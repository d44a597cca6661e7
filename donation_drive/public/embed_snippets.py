"""The HTML an organiser copies to show the drive on another site.

The snippet is text that another site will parse as HTML, so every value in it is escaped for
an attribute here, once; the page that shows the snippet escapes it again, as any text.
"""

from dataclasses import dataclass
from html import escape

from flask_babel import gettext as _

from ..core.i18n import in_language
from ..core.templating import absolute_url
from ..drives.models import Drive


@dataclass(frozen=True)
class Snippets:
    badge: str
    widget: str


def _attribute(value: str) -> str:
    return escape(value, quote=True)


def snippets_for(drive: Drive) -> Snippets:
    """The badge (a linked image) and the widget (an iframe) for `drive`, as HTML text.

    Their text is in the drive's language, as the badge is: both go on other sites.
    """
    public_url = _attribute(absolute_url("public.progress_page", slug=drive.slug))
    badge_url = _attribute(absolute_url("public.badge", slug=drive.slug))
    embed_url = _attribute(absolute_url("public.embed_page", slug=drive.slug))
    with in_language(drive.language):
        label = _attribute(_("%(title)s: blood-donation drive progress", title=drive.title))
    return Snippets(
        badge=f'<a href="{public_url}"><img src="{badge_url}" alt="{label}"></a>',
        widget=f'<iframe src="{embed_url}" title="{label}" width="360" height="260" loading="lazy"></iframe>',
    )
