"""Compile the translation catalogs (donation_drive/translations/*/LC_MESSAGES/messages.po) into the
.mo files Flask-Babel reads, whenever a wheel is built, an editable install included.

The .mo files are build output, so git ignores them; the wheel carries them all the same.
"""

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface

CATALOGS = "donation_drive/translations"


def compile_catalog(po_path: Path) -> Path:
    """Write the .mo beside `po_path`; a fuzzy or untranslated entry is left out, as gettext would."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=po_path.parent.parent.name)
    mo_path = po_path.with_suffix(".mo")
    with mo_path.open("wb") as mo_file:
        write_mo(mo_file, catalog)
    return mo_path


class CompileCatalogs(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        for po_path in sorted(root.glob(f"{CATALOGS}/*/LC_MESSAGES/messages.po")):
            mo_path = compile_catalog(po_path)
            if version != "editable":
                build_data["force_include"][str(mo_path)] = str(mo_path.relative_to(root))
