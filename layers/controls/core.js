/* baymap's page state, shared by its controls: the features, what is shown, and a few helpers.
   Each control (story.js, search.js, …) is its own folium element and script, and talks to this one. */
(function () {
  "use strict";

  var util = window.baymapUtil = {
    button: function (parent, text, title, onClick) {
      var b = L.DomUtil.create("a", "bm-button", parent);
      b.href = "#"; b.textContent = text; b.title = title; b.setAttribute("role", "button");
      L.DomEvent.on(b, "click", function (e) { L.DomEvent.preventDefault(e); onClick(); });
      return b;
    },
    /* Names are data: a tooltip built from them gets a text node, never HTML. */
    textElement: function (text) {
      var span = document.createElement("span");
      span.textContent = text;
      return span;
    },
    bilingual: function (zh, en) { return { zh: zh, en: en }; },
    /* Text in both languages; the page's zh/en toggle (a class on body) shows one. */
    setBilingual: function (element, text) {
      element.textContent = "";
      [["bm-zh", text.zh], ["bm-en", text.en]].forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0]; span.textContent = part[1];
        element.appendChild(span);
      });
    },
    boundsOf: function (features) {
      var b = L.latLngBounds([]);
      features.forEach(function (f) { b.extend(L.latLngBounds(f.bounds)); });
      return b;
    }
  };

  window.baymapCore = function (cfg) {
    var map = cfg.map, features = cfg.features, cluster = cfg.cluster, listeners = {};
    var featureOf = {};
    features.forEach(function (f, i) {
      f.layers = cfg.layers[i];
      f.group = cfg.groups[f.layer];
      f.layers.forEach(function (layer) { featureOf[L.stamp(layer)] = f; });
    });

    var baymap = window.baymap = {
      map: map, features: features, cluster: cluster, reports: cfg.reports,
      step: -1,  /* the story's step: -1 shows every section */
      reportsOn: cfg.reports.map(function () { return true; }),
      on: function (name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
      fire: function (name) { (listeners[name] || []).forEach(function (fn) { fn(); }); },
      visible: function (f) {
        return (baymap.step < 0 || f.sections.indexOf(baymap.step) >= 0) &&
          f.reports.some(function (r) { return baymap.reportsOn[r]; });
      },
      refresh: function () { features.forEach(function (f) { show(f, baymap.visible(f)); }); },
      shown: function () { return features.filter(baymap.visible).map(function (f) { return f.id; }); },
      go: function (i) { baymap.step = i; baymap.refresh(); }  /* the story control replaces it */
    };

    /* A feature's shapes live in its layer's group; its points in the one marker cluster, while its layer is on. */
    function show(feature, visible) {
      var on = visible && map.hasLayer(feature.group);
      feature.layers.forEach(function (layer) {
        var holder = layer.getLatLng ? cluster : feature.group, wanted = layer.getLatLng ? on : visible;
        if (wanted && !holder.hasLayer(layer)) holder.addLayer(layer);
        if (!wanted && holder.hasLayer(layer)) holder.removeLayer(layer);
      });
    }
    map.on("overlayadd overlayremove", baymap.refresh);

    /* A cluster's tooltip names the places in it. */
    cluster.on("clustermouseover", function (e) {
      var names = e.layer.getAllChildMarkers().map(function (m) { return featureOf[L.stamp(m)].zh; });
      var text = names.length + " 处 places: " + names.slice(0, 8).join("、") + (names.length > 8 ? "…" : "");
      e.layer.bindTooltip(util.textElement(text)).openTooltip();
    });
    baymap.refresh();
    return baymap;
  };
})();
