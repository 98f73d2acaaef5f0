"""review.html as a file: self-contained, reproducible, report text as data, and the district table the page
uses for `within` is the shipped outlines exactly."""

from __future__ import annotations

import re

import pytest
import shapely

from baymap.geo.boundaries import load_boundaries
from baymap.geo.review import Candidate, Quote, Suggestion
from baymap.layers import load_styles
from baymap.layers.review import GRID, district_units, encoded_polygons, precision_within, review_page

HOSTILE = '</script><script>window.pwned=1</script><img src=x onerror="window.pwned=2">{{ 7*7 }}`${1}`'


def candidates(text: str = "鹤鸣湾科创产业园") -> list[Candidate]:
    sentence = f"支持中山建设{text}。"
    quote = Quote(sentence, 6, 6 + len(text), "一、产业", "report.txt")
    return [Candidate(text, 1, (quote,), Suggestion("zhongshan", "同一句提到“中山”", "the same sentence names 中山"))]


@pytest.fixture(scope="module")
def page(gazetteer) -> str:
    return review_page(candidates(), gazetteer, load_styles(), "年度报告")


def test_the_page_carries_everything_it_needs_and_asks_the_network_for_nothing(page):
    loads = r"""<script[^>]+src\s*=\s*["']?https?:|<link[^>]+href\s*=\s*["']?https?:|url\(\s*["']?https?:"""
    assert not re.search(loads, page)
    # every url() is inlined: a data: URL, or a reference inside one (Geoman's icons: url(%23mask))
    assert not re.search(r"url\(\s*(?!['\"]?(data:|#|%23))", page)
    assert "L.PM" in page and "baymapReview(" in page and "leaflet-container" in page
    assert "Copyright (c) 2017 Sumit Kumar" in page  # the drawing plugin's MIT notice travels with it
    assert page.count("<script>") == page.count("</script>")


def test_the_same_input_gives_the_same_bytes(page, gazetteer):
    assert review_page(candidates(), gazetteer, load_styles(), "年度报告") == page


def test_a_name_or_title_holding_markup_is_data_in_the_page(gazetteer):
    page = review_page(candidates(HOSTILE), gazetteer, load_styles(), HOSTILE)
    assert "<script>window.pwned" not in page and "<img src=x" not in page and "{{ 7*7 }}" not in page


def test_the_district_table_decodes_to_the_shipped_outlines_exactly():
    boundaries = load_boundaries()
    units = {u["adcode"]: u for u in district_units()}
    assert "440115" in units and "442000" in units and "440100" not in units  # districts, an undivided city
    nansha = boundaries["440115"].geometry
    for polygon, encoded in zip(shapely.get_parts(nansha), units["440115"]["polygons"], strict=True):
        x = y = 0
        decoded = []
        for dx, dy in zip(encoded[0][::2], encoded[0][1::2], strict=True):
            x, y = x + dx, y + dy
            decoded.append((round(x * GRID, 5), round(y * GRID, 5)))
        assert decoded == [(round(a, 5), round(b, 5)) for a, b in polygon.exterior.coords]


def test_encoded_rings_are_first_point_then_steps():
    square = shapely.Polygon([(113.0, 22.0), (113.00002, 22.0), (113.00002, 22.00001), (113.0, 22.0)])
    assert encoded_polygons(square) == [[[11300000, 2200000, 2, 0, 0, 1, -2, -1]]]


def test_precision_within_a_place_is_half_its_extent_to_two_figures():
    district = shapely.box(113.0, 22.0, 113.2, 22.2)  # about 20.6 km by 22.3 km
    assert precision_within(district, None) == 15000
    assert precision_within(shapely.Point(113, 22), 300) == 300


def test_quotes_name_their_report_as_the_map_does(gazetteer):
    page = review_page(candidates(), gazetteer, load_styles(), "两份报告", labels={"report.txt": "广州 2019"})
    assert '"report":"广州 2019"' in page
