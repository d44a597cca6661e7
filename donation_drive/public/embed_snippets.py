"""The HTML an organiser copies to show the drive on another site.

The snippet is text that another site will parse as HTML, so every value in it is escaped for
an attribute here, once; the page that shows the snippet escapes it again, as any text.
"""

from dataclasses import dataclass
from html import escape

from ..core.templating import absolute_url
from ..drives.models import Drive

DESCRIPTION = "blood-donation drive progress"


@dataclass(frozen=True)
class Snippets:
    badge: str
    widget: str


def _attribute(value: str) -> str:
    return escape(value, quote=True)


def snippets_for(drive: Drive) -> Snippets:
    """The badge (a linked image) and the widget (an iframe) for `drive`, as HTML text."""
    public_url = _attribute(absolute_url("public.progress_page", slug=drive.slug))
    badge_url = _attribute(absolute_url("public.badge", slug=drive.slug))
    embed_url = _attribute(absolute_url("public.embed_page", slug=drive.slug))
    label = _attribute(f"{drive.title}: {DESCRIPTION}")
    return Snippets(
        badge=f'<a href="{public_url}"><img src="{badge_url}" alt="{label}"></a>',
        widget=f'<iframe src="{embed_url}" title="{label}" width="360" height="260" loading="lazy"></iframe>',
    )
