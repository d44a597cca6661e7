"""A drive's story: Markdown written by an organiser, rendered to HTML that is safe to show.

markdown-it turns Markdown into HTML; nh3, an allow-list sanitiser, then keeps only plain
text formatting and http(s)/mailto links, drops everything else (script, iframe, raw HTML,
`javascript:` links), and marks every link rel="nofollow noopener".
"""

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

#: What a story may use: paragraphs, emphasis, lists, quotes, headings and links.
ALLOWED_TAGS = {
    "p", "br", "em", "strong", "a", "ul", "ol", "li", "blockquote", "h3", "h4", "hr", "code",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}


class _StoryMarkdown(MarkdownIt):
    def validateLink(self, url: str) -> bool:
        # Every link is parsed, and nh3 removes any href whose scheme isn't allowed, so
        # "[x](javascript:…)" becomes plain "x".
        return True


# Raw HTML is parsed (not escaped) so the sanitiser can drop it whole: a pasted <script> or
# <iframe> disappears instead of showing as code.
_markdown = _StoryMarkdown("commonmark", {"html": True, "breaks": True})


@lru_cache(maxsize=256)
def render_story(text: str) -> Markup:
    """Safe HTML for a story; headings are shifted down so the page keeps one <h1>."""
    html = _markdown.render(text or "")
    html = (
        html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
        .replace("<h2>", "<h3>").replace("</h2>", "</h3>")
        .replace("<h5>", "<h4>").replace("</h5>", "</h4>")
        .replace("<h6>", "<h4>").replace("</h6>", "</h4>")
    )
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
    return Markup(clean)  # noqa: S704  # nosec B704 — sanitised just above by an allow-list (nh3)
