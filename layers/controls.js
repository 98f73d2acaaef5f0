/* baymap's own map controls: a story through the report's sections, search, full screen,
   a minimap and a zh/en label toggle. Leaflet 1.9 and Leaflet.markercluster. */
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
    var map = cfg.map, features = cfg.features, sections = cfg.sections, cluster = cfg.cluster;
    var featureOf = {};
    features.forEach(function (f) {
      f.group = cfg.groups[f.layer];
      f.layers.forEach(function (layer) { featureOf[L.stamp(layer)] = f; });
    });

    /* A feature's shapes live in its layer's group; its points in the one marker cluster, while its layer is on. */
    function show(feature, visible) {
      var on = visible && map.hasLayer(feature.group);
      feature.layers.forEach(function (layer) {
        var holder = layer.getLatLng ? cluster : feature.group, wanted = layer.getLatLng ? on : visible;
        if (wanted && !holder.hasLayer(layer)) holder.addLayer(layer);
        if (!wanted && holder.hasLayer(layer)) holder.removeLayer(layer);
      });
    }

    /* What is shown: the story's step (-1: every section) and the reports ticked in the filter. */
    var step = -1, reportsOn = cfg.reports.map(function () { return true; });
    function visible(f) {
      return (step < 0 || f.sections.indexOf(step) >= 0) && f.reports.some(function (r) { return reportsOn[r]; });
    }
    function refresh() {
      features.forEach(function (f) { show(f, visible(f)); });
    }
    map.on("overlayadd overlayremove", refresh);

    /* City names that would overlap are thinned at each zoom: the first drawn (by code) keeps its place. */
    var LABEL_GAP = 4;  /* pixels kept clear between two names */
    function declutterLabels() {
      var kept = [];
      map.getPane("bm-labels").querySelectorAll(".bm-label").forEach(function (label) {
        label.style.visibility = "";
        var shown = Array.prototype.filter.call(label.children, function (span) { return span.offsetWidth > 0; });
        var box = (shown[0] || label).getBoundingClientRect();
        var clash = box.width > 0 && kept.some(function (k) {
          return box.left < k.right + LABEL_GAP && k.left < box.right + LABEL_GAP &&
            box.top < k.bottom + LABEL_GAP && k.top < box.bottom + LABEL_GAP;
        });
        if (clash) label.style.visibility = "hidden"; else if (box.width > 0) kept.push(box);
      });
    }
    map.on("zoomend", declutterLabels);
    declutterLabels();

    /* A cluster's tooltip names the places in it. */
    cluster.on("clustermouseover", function (e) {
      var names = e.layer.getAllChildMarkers().map(function (m) { return featureOf[L.stamp(m)].zh; });
      var text = names.length + " 处 places: " + names.slice(0, 8).join("、") + (names.length > 8 ? "…" : "");
      e.layer.bindTooltip(textElement(text)).openTooltip();
    });
    refresh();

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
        /* Enter, or picking from the list; Enter also fires change, which must not search a second time. */
        var searched = null;
        function search() { if (input.value !== searched) { searched = input.value; find(input.value); } }
        L.DomEvent.on(input, "change", search);
        L.DomEvent.on(input, "input", function () { searched = null; });
        L.DomEvent.on(input, "keydown", function (e) { if (e.key === "Enter") search(); });
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
      var bounds = L.latLngBounds(f.bounds), first = f.layers[0];
      map.fitBounds(bounds, { maxZoom: f.maxZoom, animate: false });
      if (first.getLatLng && cluster.getVisibleParent(first) !== first) {  /* still inside a cluster at this zoom */
        L.popup({ maxWidth: 440 }).setLatLng(first.getLatLng()).setContent(first.getPopup().getContent()).openOn(map);
      } else {
        first.openPopup(first.getLatLng ? first.getLatLng() : bounds.getCenter());
      }
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
          declutterLabels();
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
