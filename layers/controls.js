/* baymap's own map controls: a story through the report's sections, search, full screen,
   a minimap and a zh/en label toggle. Plain Leaflet 1.9, no other library. */
(function () {
  "use strict";

  function button(parent, text, title, onClick) {
    var b = L.DomUtil.create("a", "bm-button", parent);
    b.href = "#"; b.textContent = text; b.title = title; b.setAttribute("role", "button");
    L.DomEvent.on(b, "click", function (e) { L.DomEvent.preventDefault(e); onClick(); });
    return b;
  }

  /* Names are data: a tooltip built from them gets a text node, never HTML. */
  function textElement(text) {
    var span = document.createElement("span");
    span.textContent = text;
    return span;
  }

  function bilingual(zh, en) { return { zh: zh, en: en }; }

  /* Text in both languages; the page's zh/en toggle (a class on body) shows one. */
  function setBilingual(element, text) {
    element.textContent = "";
    [["bm-zh", text.zh], ["bm-en", text.en]].forEach(function (part) {
      var span = document.createElement("span");
      span.className = part[0]; span.textContent = part[1];
      element.appendChild(span);
    });
  }

  function boundsOf(features) {
    var b = L.latLngBounds([]);
    features.forEach(function (f) { b.extend(L.latLngBounds(f.bounds)); });
    return b;
  }

  window.baymapInit = function (cfg) {
    var map = cfg.map, features = cfg.features, sections = cfg.sections;
    features.forEach(function (f) { f.group = cfg.groups[f.layer]; });

    function show(feature, visible) {
      feature.layers.forEach(function (layer) {
        if (visible && !feature.group.hasLayer(layer)) feature.group.addLayer(layer);
        if (!visible && feature.group.hasLayer(layer)) feature.group.removeLayer(layer);
      });
    }

    /* What is shown: the story's step (-1: every section) and the reports ticked in the filter. */
    var step = -1, reportsOn = cfg.reports.map(function () { return true; });
    function visible(f) {
      return (step < 0 || f.sections.indexOf(step) >= 0) && f.reports.some(function (r) { return reportsOn[r]; });
    }
    function refresh() {
      features.forEach(function (f) { show(f, visible(f)); });
      recluster();
    }

    /* Dense points cluster below street zoom: one numbered circle; a click zooms in on them. */
    var CLUSTER_RADIUS = 22, CLUSTER_UNTIL_ZOOM = 13;
    var clusters = L.layerGroup().addTo(map);
    function recluster() {
      clusters.clearLayers();
      var points = [];
      features.forEach(function (f) {
        if (!visible(f) || !map.hasLayer(f.group)) return;
        f.layers.forEach(function (layer) {
          if (!layer.getLatLng) return;
          if (!f.group.hasLayer(layer)) f.group.addLayer(layer);
          points.push({ f: f, layer: layer, at: map.latLngToContainerPoint(layer.getLatLng()) });
        });
      });
      if (map.getZoom() >= CLUSTER_UNTIL_ZOOM) return;
      var groups = [];
      points.sort(function (a, b) { return b.f.mentions - a.f.mentions || (a.f.id < b.f.id ? -1 : 1); });
      points.forEach(function (point) {
        var near = groups.filter(function (g) { return g.at.distanceTo(point.at) < CLUSTER_RADIUS; })[0];
        if (near) near.members.push(point); else groups.push({ at: point.at, members: [point] });
      });
      groups.forEach(function (g) {
        if (g.members.length < 2) return;
        g.members.forEach(function (m) { m.f.group.removeLayer(m.layer); });
        var bounds = L.latLngBounds(g.members.map(function (m) { return m.layer.getLatLng(); }));
        var names = g.members.map(function (m) { return m.f.zh; });
        var circle = L.circleMarker(bounds.getCenter(), {
          radius: 11 + Math.min(10, g.members.length), color: "#444", weight: 1.5, fillColor: "#fff", fillOpacity: 0.9,
          className: "bm-cluster"
        }).bindTooltip(textElement(g.members.length + " 处 places: " + names.slice(0, 8).join("、") + (names.length > 8 ? "…" : "")));
        circle.on("click", function () {
          map.fitBounds(bounds.pad(0.6), { maxZoom: Math.max(map.getZoom() + 2, CLUSTER_UNTIL_ZOOM) });
        });
        clusters.addLayer(circle);
        clusters.addLayer(L.marker(bounds.getCenter(), {
          interactive: false,
          icon: L.divIcon({ className: "bm-cluster-count", html: String(g.members.length), iconSize: [24, 16] })
        }));
      });
    }
    map.on("zoomend overlayadd overlayremove", recluster);

    /* Tiles that cannot load (no network): say so once; the outlines drawn beneath them still show the map. */
    var tileNote = null;
    map.eachLayer(function (layer) {
      if (!(layer instanceof L.TileLayer)) return;
      layer.on("tileerror", function () {
        if (tileNote) return;
        tileNote = L.DomUtil.create("div", "bm-tile-note", map.getContainer());
        tileNote.textContent = "底图瓦片无法加载，仅显示行政区轮廓 · Map tiles could not load (no network?): showing outlines only";
      });
    });

    /* The story: the report's sections as steps. */
    var Story = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar bm-story");
        L.DomEvent.disableClickPropagation(box);
        button(box, "◀", "上一节 Previous section", function () { go(step <= 0 ? sections.length - 1 : step - 1); });
        this.label = L.DomUtil.create("span", "bm-story-label", box);
        button(box, "▶", "下一节 Next section", function () { go(step >= sections.length - 1 ? 0 : step + 1); });
        button(box, "全部", "显示全部 Show everything", function () { go(-1); });
        return box;
      }
    });
    var story = new Story().addTo(map);
    var sectionTitle = L.DomUtil.create("div", "bm-section-title", map.getContainer());
    var firstView = { center: map.getCenter(), zoom: map.getZoom() };
    var STORY_MAX_ZOOM = 12;
    /* A step shows its section's places, turning on the layers they are in, and flies to them; province-wide
       groupings are left out of the view unless they are all the section names. */
    function go(i) {
      step = i;
      var shown = features.filter(visible);
      if (i >= 0) shown.forEach(function (f) { if (!map.hasLayer(f.group)) map.addLayer(f.group); });
      refresh();
      var label = i < 0 ? bilingual("报告 " + sections.length + " 节", sections.length + " sections")
        : bilingual((i + 1) + " / " + sections.length, (i + 1) + " / " + sections.length);
      if (i >= 0 && !shown.length) label = bilingual(label.zh + " · 本节无地点", label.en + " · no places in this section");
      setBilingual(story.label, label);
      sectionTitle.textContent = i < 0 ? "" : sections[i];
      sectionTitle.style.display = i < 0 ? "none" : "block";
      map.getContainer().setAttribute("data-story-step", String(i));
      if (i < 0) { map.flyTo(firstView.center, firstView.zoom, { duration: 0.8 }); return; }
      var framed = shown.filter(function (f) { return f.layer !== "groupings"; });
      if (!framed.length) framed = shown;
      if (!framed.length) return;
      var deepest = Math.max.apply(null, framed.map(function (f) { return f.maxZoom; }));
      map.flyToBounds(boundsOf(framed), { padding: [30, 30], maxZoom: Math.min(STORY_MAX_ZOOM, deepest), duration: 0.8 });
    }
    setBilingual(story.label, bilingual("报告 " + sections.length + " 节", sections.length + " sections"));
    /* A presenter's clicker sends the arrow keys: they step through the story, except while typing. */
    document.addEventListener("keydown", function (e) {
      var typing = e.target && (e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA");
      if (typing || e.altKey || e.ctrlKey || e.metaKey || !sections.length) return;
      if (e.key === "ArrowRight" || e.key === "PageDown") go(step >= sections.length - 1 ? 0 : step + 1);
      else if (e.key === "ArrowLeft" || e.key === "PageUp") go(step <= 0 ? sections.length - 1 : step - 1);
      else return;
      e.preventDefault();
    });
    L.control.scale({ imperial: false, position: "bottomleft" }).addTo(map);
    recluster();
    sectionTitle.style.display = "none";
    map.getContainer().setAttribute("data-story-step", "-1");

    /* With several reports, each is a toggle. */
    if (cfg.reports.length > 1) {
      var Reports = L.Control.extend({
        options: { position: "topright" },
        onAdd: function () {
          var box = L.DomUtil.create("div", "leaflet-control-layers bm-reports");
          L.DomEvent.disableClickPropagation(box);
          L.DomEvent.disableScrollPropagation(box);
          L.DomUtil.create("b", "", box).textContent = "报告 Reports";
          cfg.reports.forEach(function (name, r) {
            var label = L.DomUtil.create("label", "", box);
            var tick = L.DomUtil.create("input", "", label);
            tick.type = "checkbox"; tick.checked = true;
            label.appendChild(document.createTextNode(" " + name));
            L.DomEvent.on(tick, "change", function () { reportsOn[r] = tick.checked; refresh(); });
          });
          return box;
        }
      });
      new Reports().addTo(map);
    }

    /* Search by Chinese or English name. */
    var Search = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar bm-search");
        L.DomEvent.disableClickPropagation(box);
        var input = L.DomUtil.create("input", "", box);
        input.type = "search"; input.placeholder = "搜索 Search…"; input.setAttribute("list", "bm-search-list");
        var list = L.DomUtil.create("datalist", "", box);
        list.id = "bm-search-list";
        features.forEach(function (f) {
          var o = document.createElement("option");
          o.value = f.zh + " · " + f.en;
          list.appendChild(o);
        });
        L.DomEvent.on(input, "change", function () { find(input.value); });
        L.DomEvent.on(input, "keydown", function (e) { if (e.key === "Enter") find(input.value); });
        return box;
      }
    });
    function find(query) {
      var q = query.trim().toLowerCase();
      if (!q) return;
      var exact = features.filter(function (f) { return (f.zh + " · " + f.en).toLowerCase() === q; });
      var hits = exact.length ? exact : features.filter(function (f) {
        return f.zh.toLowerCase().indexOf(q) >= 0 || f.en.toLowerCase().indexOf(q) >= 0 ||
          f.aliases.some(function (a) { return a.toLowerCase().indexOf(q) >= 0; });
      });
      if (!hits.length) return;
      hits.sort(function (a, b) { return b.mentions - a.mentions; });
      var f = hits[0];
      if (step >= 0) go(-1);
      reportsOn = reportsOn.map(function () { return true; });
      document.querySelectorAll(".bm-reports input").forEach(function (t) { t.checked = true; });
      refresh();
      if (!map.hasLayer(f.group)) map.addLayer(f.group);
      var bounds = L.latLngBounds(f.bounds);
      map.fitBounds(bounds, { maxZoom: f.maxZoom, animate: false });
      f.layers[0].openPopup(bounds.getCenter());
    }
    new Search().addTo(map);

    /* Full screen, and the zh/en label toggle. */
    var Buttons = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var box = L.DomUtil.create("div", "leaflet-bar bm-buttons");
        L.DomEvent.disableClickPropagation(box);
        button(box, "全屏", "全屏 Full screen", function () {
          var el = map.getContainer();
          if (document.fullscreenElement) document.exitFullscreen();
          else if (el.requestFullscreen) el.requestFullscreen();
        });
        var lang = button(box, "EN", "中文/English labels", function () {
          lang.textContent = document.body.classList.toggle("bm-lang-en") ? "中" : "EN";
        });
        return box;
      }
    });
    new Buttons().addTo(map);
    document.addEventListener("fullscreenchange", function () { setTimeout(function () { map.invalidateSize(); }, 100); });

    /* A minimap of the shipped land outlines with the main view drawn on it. */
    var mini = L.DomUtil.create("div", "bm-minimap", map.getContainer());
    L.DomEvent.disableClickPropagation(mini);
    var miniMap = L.map(mini, {
      attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
      doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false
    }).setView(map.getCenter(), Math.max(map.getZoom() - 4, 4));
    L.geoJSON(cfg.land, { style: { color: "#999", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(miniMap);
    var view = L.rectangle(map.getBounds(), { color: "#d94801", weight: 1.5, fillOpacity: 0.1 }).addTo(miniMap);
    function sync() {
      view.setBounds(map.getBounds());
      miniMap.setView(map.getCenter(), Math.max(map.getZoom() - 4, 4), { animate: false });
    }
    map.on("move zoom", sync);
    sync();

    window.baymap = {
      map: map, features: features, go: go, find: find,
      step: function () { return step; },
      shown: function () { return features.filter(visible).map(function (f) { return f.id; }); }
    };
  };
})();
