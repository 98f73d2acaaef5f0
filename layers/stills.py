"""Stills for slides: the offline map page photographed at 1920×1080 by headless Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from baymap.geo._errors import BaymapError

WIDTH, HEIGHT = 1920, 1080
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
#: What a slide does not need: the buttons one clicks.
STILL_CSS = (
    ".leaflet-control-zoom,.bm-story,.bm-search,.bm-buttons,.leaflet-control-layers,.bm-minimap{display:none!important}"
    ".baymap-title{font-size:26px!important}.baymap-title small{font-size:15px!important}"
    ".baymap-legend{font-size:18px!important}.baymap-legend i{width:16px!important;height:16px!important}"
    ".bm-label{font-size:15px!important}"
)


#: The page as a person sees it once it has opened: its script has run, and no cluster is in its animation
#: (Leaflet.markercluster marks the map pane leaflet-cluster-anim until its markers stand still, 0.3 s).
SETTLED = "window.baymap !== undefined && !document.querySelector('.leaflet-cluster-anim')"
#: How long to look again for that animation, which the opening view starts a little after the script has run.
SETTLE_MS = 500


def wait_until_settled(page) -> None:
    """Wait for SETTLED, long enough for the opening animation to have begun, and for SETTLED again."""
    page.wait_for_function(SETTLED)
    page.wait_for_timeout(SETTLE_MS)
    page.wait_for_function(SETTLED)


class StillError(BaymapError):
    """A still cannot be made: no browser to draw it with."""


def chromium_path() -> str:
    """$BAYMAP_CHROMIUM if set (it must be a program), else chromium on the PATH."""
    chosen = os.environ.get("BAYMAP_CHROMIUM")
    if chosen:
        if not (os.path.isfile(chosen) and os.access(chosen, os.X_OK)):
            raise StillError(f"BAYMAP_CHROMIUM={chosen}: no such program; point it at Chromium or unset it")
        return chosen
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise StillError("--png needs Chromium: install it (Debian: apt-get install chromium fonts-noto-cjk)")
    return found


def still_page(html: str) -> str:
    """The page with STILL_CSS at the end of its head: in force before its scripts run, so the city names are
    thinned at the size the still shows them (a style added after loading enlarged names already thinned)."""
    head_end = html.find("</head>")
    if head_end == -1:
        return f"<style>{STILL_CSS}</style>{html}"
    return f"{html[:head_end]}<style>{STILL_CSS}</style>{html[head_end:]}"


def png_from_page(html: str) -> bytes:
    """Load the (offline) page with the network cut, wait for the features, and photograph it."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise StillError("--png needs Playwright: pip install 'baymap[stills]'") from None
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "map.html"
        page_path.write_text(still_page(html), encoding="utf-8")
        chromium = chromium_path()
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
            except PlaywrightError as err:
                first_line = str(err).strip().splitlines()[0] if str(err).strip() else "it did not start"
                raise StillError(f"--png: cannot start Chromium ({chromium}): {first_line}") from None
            try:
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
                context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                page = context.new_page()
                page.goto(page_path.as_uri())
                wait_until_settled(page)
                page.evaluate("document.fonts.ready")
                return page.screenshot(type="png")
            finally:
                browser.close()
