"""An SVG progress badge, like a README's build badge: "7 for Jack | 5 of 7 units".

Colours are presentation attributes, not CSS, so the badge stays readable even where a
Content-Security-Policy blocks <style>; the automatic theme adds a `prefers-color-scheme`
rule on top, which browsers apply inside <img> too.
"""

from dataclasses import dataclass

from markupsafe import escape

#: Longest label drawn; a long title is cut with an ellipsis (the full title is in <title>).
LABEL_MAX = 32
HEIGHT = 20
PADDING = 8
#: Average advance of an 11 px sans-serif character, generous so text never overflows.
CHAR_WIDTH = 7.0


@dataclass(frozen=True)
class Palette:
    label_fill: str
    label_text: str
    value_fill: str
    value_text: str


# Every pair has a contrast ratio of at least 4.5:1 (WCAG AA for small text).
LIGHT = Palette(label_fill="#f2f2f2", label_text="#1f1f1f", value_fill="#a61b24", value_text="#ffffff")
DARK = Palette(label_fill="#2b2b2b", label_text="#f2f2f2", value_fill="#ff9c9c", value_text="#1a1a1a")
THEMES = ("auto", "light", "dark")


def _width(text: str) -> int:
    return int(len(text) * CHAR_WIDTH + 2 * PADDING)


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _dark_rule() -> str:
    return (
        "<style>@media (prefers-color-scheme: dark) {"
        f".label {{ fill: {DARK.label_fill} }} .label-text {{ fill: {DARK.label_text} }} "
        f".value {{ fill: {DARK.value_fill} }} .value-text {{ fill: {DARK.value_text} }}"
        "}</style>"
    )


def badge_svg(title: str, summary: str, theme: str = "auto", lang: str = "en", direction: str = "ltr") -> str:
    """The badge for a drive titled `title` whose count reads `summary` ("5 of 7 units").

    `lang` and `direction` are those of the drive's language, which the summary is written in.
    Right to left (Arabic), the badge is mirrored: the title is read first, from the right, and
    each text is laid out right to left so its punctuation and numbers fall in place. The title is
    isolated (FSI … PDI), so a title in a left-to-right script keeps its own order ("7 for Jack",
    not "for Jack 7").
    """
    palette = DARK if theme == "dark" else LIGHT
    label = shorten(title)
    label_width, value_width = _width(label), _width(summary)
    total = label_width + value_width
    right_to_left = direction == "rtl"
    label_x, value_x = (value_width, 0) if right_to_left else (0, label_width)
    text = escape(f"{title}: {summary}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{HEIGHT}" '
        f'viewBox="0 0 {total} {HEIGHT}" role="img" aria-label="{text}" xml:lang="{escape(lang)}">'
        f"<title>{text}</title>"
        + (_dark_rule() if theme == "auto" else "")
        + f'<rect class="label" x="{label_x}" width="{label_width}" height="{HEIGHT}" rx="3" '
        f'fill="{palette.label_fill}"/>'
        f'<rect class="value" x="{value_x}" width="{value_width}" height="{HEIGHT}" rx="3" '
        f'fill="{palette.value_fill}"/>'
        f'<g font-family="Verdana, DejaVu Sans, Arial, sans-serif" font-size="11" text-anchor="middle"'
        + (' direction="rtl" unicode-bidi="embed"' if right_to_left else "")
        + ">"
        f'<text class="label-text" x="{label_x + label_width / 2}" y="14" fill="{palette.label_text}">'
        + (f"\u2068{escape(label)}\u2069" if right_to_left else str(escape(label)))
        + "</text>"
        f'<text class="value-text" x="{value_x + value_width / 2}" y="14" fill="{palette.value_text}">'
        f'{escape(summary)}</text>'
        "</g></svg>"
    )
