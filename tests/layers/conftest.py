"""A real browser for the tests about what a person sees: Playwright driving Debian's Chromium, network cut."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from baymap.layers.stills import CHROMIUM_FLAGS

CHROMIUM = os.environ.get("BAYMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


class OpenedMap:
    """A map page open in Chromium with every network request blocked, and what went wrong on it."""

    #: A map page is ready once Leaflet has drawn a feature.
    READY = "document.querySelectorAll('.leaflet-overlay-pane path').length > 0"

    def __init__(self, browser, path: Path, ready: str = READY):
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function(ready)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shapes(self) -> int:
        return self.page.locator(".leaflet-overlay-pane path.leaflet-interactive").count()

    @property
    def map_name(self) -> str:
        return self.page.evaluate("Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))")

    def zoom_to(self, lng: float, lat: float, zoom: int) -> None:
        """What a user does by scrolling in on a place."""
        self.page.evaluate(
            "([name, lat, lng, zoom]) => window[name].setView([lat, lng], zoom, {animate: false})",
            [self.map_name, lat, lng, zoom],
        )

    def click_at(self, lng: float, lat: float) -> None:
        """A real mouse click where a coordinate is drawn."""
        name = self.map_name
        point = self.page.evaluate(
            "([name, lat, lng]) => { const p = window[name].latLngToContainerPoint([lat, lng]); return [p.x, p.y]; }",
            [name, lat, lng],
        )
        box = self.page.locator(".folium-map").bounding_box()
        self.page.mouse.click(box["x"] + point[0], box["y"] + point[1])

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_map(browser):
    opened: list[OpenedMap] = []

    def opener(path: Path, ready: str = OpenedMap.READY) -> OpenedMap:
        opened.append(OpenedMap(browser, path, ready))
        return opened[-1]

    yield opener
    for page in opened:
        page.close()
