"""Reading the site in another language: a browser tab whose finders take the English words of
page_list.py's steps and look for what the app says instead, so every page case can be visited
in every language (and in the pseudo-language of test_untranslated_text.py)."""

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Locator, Page

Say = Callable[[str], str]


class InLanguage:
    """A Playwright Page whose get_by_label/role/text and has_text= are given English text."""

    def __init__(self, page: Page, say: Say) -> None:
        self._page = page
        self._say = say

    def get_by_label(self, text: str, **options: Any) -> Locator:
        return self._page.get_by_label(self._say(text), **options)

    def get_by_role(self, role: Any, name: Any = None, **options: Any) -> Locator:
        if isinstance(name, str):
            options["name"] = self._say(name)
        elif name is not None:
            options["name"] = name
        return self._page.get_by_role(role, **options)

    def get_by_text(self, text: Any, **options: Any) -> Locator:
        return self._page.get_by_text(self._say(text) if isinstance(text, str) else text, **options)

    def locator(self, selector: str, **options: Any) -> Locator:
        if isinstance(options.get("has_text"), str):
            options["has_text"] = self._say(options["has_text"])
        return self._page.locator(selector, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)
