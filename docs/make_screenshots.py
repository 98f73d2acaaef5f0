"""Regenerate the README's screenshots: the sample's offline map at 1920×1080 in headless Chromium, and
review.html for docs/review-example.txt.

    pip install '.[stills]'   # Playwright; Chromium and fonts-noto-cjk from the system
    python docs/make_screenshots.py            # writes docs/screenshots/*.png

Three views a presenter shows: the first view, the story's fourth step, and a place's popup after a search;
and the review page: one name placed by its suggestion, one by a click, a third open with its quotes.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from baymap import build_map
from baymap.layers.stills import CHROMIUM_FLAGS, chromium_path, wait_until_settled

OUT = Path(__file__).parent / "screenshots"
REVIEW_EXAMPLE = Path(__file__).parent / "review-example.txt"
STORY_STEP = 3
SEARCHED = "白云国际机场"


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        assert build_map.main(["--offline", "-q", "-o", tmp]) == 0
        page_path = Path(tmp) / "map.html"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page = context.new_page()
            page.goto(page_path.as_uri())
            wait_until_settled(page)
            page.screenshot(path=OUT / "first-view.png")
            page.evaluate("window.__moved = false; baymap.map.once('moveend', () => { window.__moved = true; })")
            page.evaluate(f"baymap.go({STORY_STEP})")
            page.wait_for_function("window.__moved")
            page.screenshot(path=OUT / "story-step.png")
            page.locator(".bm-story a", has_text="全部").click()
            page.wait_for_timeout(1000)
            box = page.locator(".bm-search input")
            box.fill(SEARCHED)
            box.press("Enter")
            page.locator(".leaflet-popup").wait_for()
            page.wait_for_timeout(400)
            page.screenshot(path=OUT / "popup.png")
            review_screenshot(context, Path(tmp))
            browser.close()
    for name in ("first-view", "story-step", "popup", "review"):
        print(OUT / f"{name}.png")


def review_screenshot(context, tmp: Path) -> None:
    """The first name placed by its suggestion, the second by a click, the third open with its quotes."""
    assert build_map.main([str(REVIEW_EXAMPLE), "--review", "-q", "-o", str(tmp / "review")]) == 0
    page = context.new_page()
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto((tmp / "review" / "review.html").as_uri())
    page.wait_for_function("window.baymapReviewPage !== undefined")
    names = page.locator(".rv-name")
    names.nth(0).click()
    page.locator(".rv-selected .rv-action[data-action='accept']").click()
    names.nth(1).click()
    page.locator(".rv-selected .rv-action[data-action='point']").click()
    panel = page.locator(".rv-panel").bounding_box()
    page.mouse.click(panel["width"] + (1600 - panel["width"]) * 0.45, 900 * 0.55)  # where its suggestion is shown
    names.nth(2).click()
    page.mouse.move(1500, 850)
    page.wait_for_timeout(400)
    page.screenshot(path=OUT / "review.png")
    page.close()


if __name__ == "__main__":
    main()
