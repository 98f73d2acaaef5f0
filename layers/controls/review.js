/* review.html: place each name baymap could not (accept the suggestion, click a point, draw a line or an area with
   Leaflet-Geoman) or mark it "not a place", and download gazetteer-additions.yaml for the next build.
   Progress lives in this browser's localStorage; nothing leaves the machine. Report text is only ever set as text. */
window.baymapReview = function (map, config) {
  "use strict";
  var candidates = config.candidates, places = config.places, units = decodeUnits(config.units);
  var decisions = load(), selected = -1, placing = null;
  var overlay = L.featureGroup().addTo(map), hint = L.featureGroup().addTo(map);
  var GRID = 1e-5, PLACE_PX = 10, METRES_PER_PIXEL_Z0 = 156543.03;
  var SOURCE = "placed by hand in review.html";

  map.zoomControl.setPosition("topright");
  document.title = "待定位地名 Names to place · " + config.title;
  var panel = L.DomUtil.create("aside", "rv-panel", map.getContainer());
  L.DomEvent.disableClickPropagation(panel);
  L.DomEvent.disableScrollPropagation(panel);
  var head = el("header", "rv-head", panel);
  el("h1", "", head, "待定位地名 · Names to place");
  el("p", "rv-report", head, config.title);
  el("p", "rv-help", head,
    "选一个地名，读原文，然后采用建议、在地图上点选、画线或画区域，或标为“不是地点”；进度保存在本浏览器中。" +
    " Pick a name, read its quotes, then accept the suggestion, click the map, draw a line or an area, or mark it" +
    " “not a place”; progress is kept in this browser.");
  var progress = el("p", "rv-progress", head);
  var download = el("button", "rv-download", head, "下载 Download gazetteer-additions.yaml");
  download.type = "button";
  L.DomEvent.on(download, "click", downloadYaml);
  var status = el("p", "rv-status", head);
  var list = el("ol", "rv-list", panel);

  /* ---------- the list ---------- */
  function render() {
    list.textContent = "";
    candidates.forEach(function (c, i) {
      var d = decisions[c.text], item = el("li", "rv-item" + (i === selected ? " rv-selected" : ""), list);
      item.setAttribute("data-status", d ? d.kind : "open");
      var button = el("button", "rv-name", item);
      button.type = "button";
      el("span", "rv-text", button, c.text);
      el("span", "rv-count", button, "×" + c.count);
      el("span", "rv-badge", button, badge(d));
      L.DomEvent.on(button, "click", function () { select(i === selected ? -1 : i); });
      if (i === selected) details(c, d, item);
    });
    if (!candidates.length) el("li", "rv-empty", list, "没有待定位的地名：报告中的地名都已找到 · Nothing to place: every name was found");
    var done = candidates.filter(function (c) { return decisions[c.text]; }).length;
    progress.textContent = "已处理 " + done + " / " + candidates.length + " reviewed";
    drawDecisions();
  }

  function badge(d) {
    if (!d) return "";
    return { ignore: "不是地点 not a place", union: "采用建议 suggested", point: "点 point",
             line: "线 line", polygon: "区域 area" }[d.kind];
  }

  function details(c, d, item) {
    var box = el("div", "rv-details", item);
    c.quotes.forEach(function (q) {
      var quote = el("blockquote", "rv-quote", box);
      el("cite", "", quote, q.section + (config.reports > 1 ? " · " + q.report : ""));
      var p = el("p", "", quote);
      p.appendChild(document.createTextNode(q.sentence.slice(0, q.start)));
      el("mark", "", p, q.sentence.slice(q.start, q.end));
      p.appendChild(document.createTextNode(q.sentence.slice(q.end)));
    });
    var s = c.suggestion, place = s && places[s.id];
    if (place) el("p", "rv-suggestion", box, "建议 Suggestion: " + place.zh + " · " + place.en + " — " + s.zh + " · " + s.en);
    else el("p", "rv-suggestion", box, "无建议 No suggestion: place it by hand");
    var row = el("label", "rv-field", box, "图层 Layer ");
    var layer = el("select", "rv-layer", row);
    config.layers.forEach(function (l) {
      var o = el("option", "", layer, l.zh + " · " + l.en);
      o.value = l.id;
    });
    layer.value = (d && d.layer) || defaultLayer();
    var row2 = el("label", "rv-field", box, "英文名 English name ");
    var english = el("input", "rv-english", row2);
    english.value = (d && d.nameEn) || "";
    english.placeholder = c.text;
    var actions = el("div", "rv-actions", box);
    function choice() { return { layer: layer.value, nameEn: english.value.trim() }; }
    if (place) action(actions, "采用建议 Accept suggestion", "accept", function () {
      decide(c, Object.assign(choice(), { kind: "union", place: s.id, placeZh: place.zh, precisionM: place.precisionM,
        reason: s.zh + " · " + s.en }));
    });
    action(actions, "点选位置 Place a point", "point", function () { startPlacing(c, "point", choice); });
    action(actions, "画线 Draw a line", "line", function () { startPlacing(c, "line", choice); });
    action(actions, "画区域 Draw an area", "polygon", function () { startPlacing(c, "polygon", choice); });
    action(actions, "不是地点 Not a place", "ignore", function () { decide(c, { kind: "ignore" }); });
    if (d) action(actions, "撤销 Undo", "undo", function () { delete decisions[c.text]; save(); render(); });
  }

  function action(parent, label, name, run) {
    var b = el("button", "rv-action", parent, label);
    b.type = "button";
    b.setAttribute("data-action", name);
    L.DomEvent.on(b, "click", run);
  }

  function defaultLayer() {
    var ids = config.layers.map(function (l) { return l.id; });
    return ids.indexOf("zones") >= 0 ? "zones" : ids[0];
  }

  function select(i) {
    stopPlacing();
    selected = i;
    render();
    hint.clearLayers();
    var c = candidates[i];
    if (!c) return;
    var place = c.suggestion && places[c.suggestion.id], d = decisions[c.text];
    if (place) L.geoJSON(place.geojson, { interactive: false, style: { color: "#d94801", weight: 2, dashArray: "6 6",
      fillOpacity: 0.05 } }).addTo(hint);
    var shown = d && d.kind !== "ignore" && d.kind !== "union" ? shapeOf(c.text, d) : hint;
    if (shown.getLayers().length) fit(shown.getBounds(), 12);
  }

  /* Fit bounds in the part of the map the panel leaves visible. */
  function fit(bounds, maxZoom) {
    map.fitBounds(bounds, { maxZoom: maxZoom, animate: false, paddingTopLeft: [panel.offsetWidth + 20, 20],
      paddingBottomRight: [20, 20] });
  }

  /* ---------- placing and drawing ---------- */
  function startPlacing(c, kind, choice) {
    stopPlacing();
    placing = { candidate: c, kind: kind, choice: choice };
    map.getContainer().classList.add("rv-placing");
    status.textContent = kind === "point" ? "在地图上点击放置“" + c.text + "” · Click the map to place it (Esc cancels)"
      : "在地图上逐点绘制，点最后一点结束 · Click point by point; click the last point again to finish (Esc cancels)";
    if (kind !== "point") map.pm.enableDraw(kind === "line" ? "Line" : "Polygon", { snappable: false });
  }

  function stopPlacing() {
    if (placing && placing.kind !== "point") map.pm.disableDraw();
    placing = null;
    map.getContainer().classList.remove("rv-placing");
    status.textContent = "";
  }

  map.on("click", function (e) {
    if (!placing || placing.kind !== "point") return;
    var p = placing;
    stopPlacing();
    decide(p.candidate, Object.assign(p.choice(), { kind: "point", lnglats: [lngLat(e.latlng)], zoom: map.getZoom() }));
  });
  map.on("pm:create", function (e) {
    map.removeLayer(e.layer);
    if (!placing) return;
    var p = placing, latlngs = e.layer.getLatLngs();
    if (p.kind === "polygon") latlngs = latlngs[0];
    stopPlacing();
    decide(p.candidate, Object.assign(p.choice(), { kind: p.kind, lnglats: latlngs.map(lngLat), zoom: map.getZoom() }));
  });
  L.DomEvent.on(document, "keydown", function (e) { if (e.key === "Escape") stopPlacing(); });

  /* The one pair of places the page swaps Leaflet's [lat, lng] and the gazetteer's [lng, lat]. */
  function lngLat(latlng) { return [latlng.lng, latlng.lat]; }
  function latLng(lnglat) { return [lnglat[1], lnglat[0]]; }

  function decide(c, decision) {
    decisions[c.text] = decision;
    save();
    render();
  }

  /* What the user decided, drawn: a union as its place's outline, dotted (approximate), the rest solid. */
  function shapeOf(text, d) {
    var style = { color: "#08519c", weight: 3, fillColor: "#6baed6", fillOpacity: 0.3 };
    /* a place saved in an earlier session may not be among this page's suggestions: then nothing is drawn */
    var place = d.kind === "union" && places[d.place];
    var group = place ? L.geoJSON(place.geojson, { style: Object.assign({ dashArray: "2 6" }, style) })
      : L.featureGroup(), latlngs = (d.lnglats || []).map(latLng);
    if (d.kind === "point") L.circleMarker(latlngs[0], Object.assign({ radius: 8 }, style)).addTo(group);
    if (d.kind === "line") L.polyline(latlngs, style).addTo(group);
    if (d.kind === "polygon") L.polygon(latlngs, style).addTo(group);
    group.bindTooltip(text);
    return group;
  }

  function drawDecisions() {
    overlay.clearLayers();
    candidates.forEach(function (c) {
      var d = decisions[c.text];
      if (d && d.kind !== "ignore") overlay.addLayer(shapeOf(c.text, d));
    });
  }

  /* ---------- where a point lies: the units build-map --check-gazetteer checks `within` against ---------- */
  function decodeUnits(raw) {
    return raw.map(function (u) {
      var polygons = u.polygons.map(function (rings) {
        return rings.map(function (flat) {
          var ring = [], x = 0, y = 0;
          for (var i = 0; i < flat.length; i += 2) { x += flat[i]; y += flat[i + 1]; ring.push([x, y]); }
          return ring;
        });
      });
      return { adcode: u.adcode, zh: u.zh, polygons: polygons, box: boxOf(polygons) };
    });
  }

  function boxOf(polygons) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    polygons.forEach(function (rings) { rings[0].forEach(function (p) {
      b[0] = Math.min(b[0], p[0]); b[1] = Math.min(b[1], p[1]); b[2] = Math.max(b[2], p[0]); b[3] = Math.max(b[3], p[1]);
    }); });
    return b;
  }

  function inRing(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var a = ring[i], b = ring[j];
      if ((a[1] > y) !== (b[1] > y) && x < (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
    return inside;
  }

  function unitAt(lnglat) {
    var x = lnglat[0] / GRID, y = lnglat[1] / GRID;
    for (var u = 0; u < units.length; u++) {
      var unit = units[u], b = unit.box;
      if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
      for (var p = 0; p < unit.polygons.length; p++) {
        var rings = unit.polygons[p];
        if (inRing(rings[0], x, y) && !rings.slice(1).some(function (h) { return inRing(h, x, y); })) return unit;
      }
    }
    return null;
  }

  /* ---------- gazetteer-additions.yaml ---------- */
  function metresAt(zoom, lat) {
    var m = PLACE_PX * METRES_PER_PIXEL_Z0 * Math.cos(lat * Math.PI / 180) / Math.pow(2, zoom);
    var digits = Math.pow(10, Math.max(0, Math.floor(Math.log10(m)) - 1));
    return Math.max(1, Math.round(m / digits) * digits);
  }

  /* Never more digits than a click at that zoom gives. */
  function rounded(p, zoom) {
    var decimals = zoom >= 15 ? 5 : zoom >= 11 ? 4 : 3;
    return [Number(p[0].toFixed(decimals)), Number(p[1].toFixed(decimals))];
  }

  function within(p) { var unit = unitAt(p); return unit ? unit.adcode : "water"; }

  function q(text) { return JSON.stringify(String(text)); }  /* a JSON string is a YAML double-quoted scalar */

  function idOf(text) {  /* FNV-1a: a stable ascii id for a name */
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return "placed_" + ("0000000" + h.toString(16)).slice(-8);
  }

  function entryYaml(c, d) {
    var out = ["  - id: " + idOf(c.text), "    name_zh: " + q(c.text), "    name_en: " + q(d.nameEn || c.text),
               "    aliases: []", "    layer: " + q(d.layer), "    kind: " + q("placed by hand")];
    var how, metres;
    if (d.kind === "union") {  /* what the decision saved, so an earlier session's choice still writes whole */
      out.push("    geometry: {union: [" + q(d.place) + "]}");
      how = "in " + d.placeZh + " (suggested in review.html: " + d.reason + ")";
      metres = d.precisionM;
    } else {
      var points = d.lnglats.map(function (p) { return rounded(p, d.zoom); });
      metres = metresAt(d.zoom, points[0][1]);
      how = (d.kind === "point" ? "placed by hand" : "drawn by hand") + " at zoom " + d.zoom + ": within about " +
        metres + " m";
      if (d.kind === "point") {
        out.push("    geometry: {point: [" + points[0].join(", ") + "]}", "    within: " + q(within(points[0])));
      } else if (d.kind === "polygon") {
        out.push("    geometry:", "      polygon:");
        points.forEach(function (p) { out.push("        - [" + p.join(", ") + "]"); });
      } else {
        out.push("    geometry:", "      line:");
        points.forEach(function (p, i) {
          out.push("        - {name: " + q(c.text + " " + (i + 1)) + ", lnglat: [" + p.join(", ") + "], within: " +
            q(within(p)) + ", source: " + q(SOURCE) + ", precision: " + q(how) + "}");
        });
      }
    }
    out.push("    source: " + q(SOURCE), "    precision: " + q(how), "    precision_m: " + metres);
    return out;
  }

  function yamlText() {
    var oneLine = config.title.replace(/\s+/g, " ");
    var lines = ["# gazetteer-additions.yaml: names placed by hand in baymap's review.html, for: " + oneLine,
                 "# check it: build-map --check-gazetteer --gazetteer gazetteer-additions.yaml",
                 "# use it:   build-map REPORT --gazetteer gazetteer-additions.yaml"];
    var placed = candidates.filter(function (c) { var d = decisions[c.text]; return d && d.kind !== "ignore"; });
    var ignored = candidates.filter(function (c) { var d = decisions[c.text]; return d && d.kind === "ignore"; });
    lines.push(placed.length ? "entries:" : "entries: []");
    placed.forEach(function (c) { lines.push.apply(lines, entryYaml(c, decisions[c.text])); });
    lines.push(ignored.length ? "ignore:" : "ignore: []");
    ignored.forEach(function (c) { lines.push("  - " + q(c.text)); });
    return lines.join("\n") + "\n";
  }

  function downloadYaml() {
    var blob = new Blob([yamlText()], { type: "application/yaml" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "gazetteer-additions.yaml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 0);
  }

  /* ---------- progress in localStorage ---------- */
  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(config.storageKey) || "{}");
      return saved && typeof saved === "object" ? saved : {};
    } catch (e) { return {}; }
  }

  function save() {
    try { window.localStorage.setItem(config.storageKey, JSON.stringify(decisions)); }
    catch (e) { status.textContent = "无法保存进度 Progress could not be saved in this browser"; }
  }

  function el(tag, cls, parent, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  render();
  fit(L.latLngBounds(config.home), 12);
  window.baymapReviewPage = { yaml: yamlText, select: select, unitAt: unitAt };
};
