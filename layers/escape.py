"""The one place where text becomes markup or code: every string that reaches the page's HTML or JS passes here.

Report text, titles, file names, gazetteer names and notes and style labels are data, never markup:
HTML goes through `escape_text`, data for scripts through `json_for_script`.
"""

from __future__ import annotations

import html
import json

#: Beyond HTML: what a JS template literal reads (` $ \\) and what folium's Jinja templates read ({ }).
_ALSO_ESCAPED = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;", "{": "&#123;", "}": "&#125;"})


def escape_text(text: str) -> str:
    """Report text is data, never markup or code, wherever folium puts it."""
    return html.escape(text, quote=True).translate(_ALSO_ESCAPED)


def json_for_script(value: object) -> str:
    """JSON safe inside <script> and inside folium's Jinja templates ({{ and {% only occur within strings)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("{{", "{\\u007b"),
        ("{%", "{\\u0025"),
        ("{#", "{\\u0023"),
    ):
        text = text.replace(raw, escaped)
    return text
