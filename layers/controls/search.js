/* Search by Chinese or English name; the map never zooms closer than the place's precision allows. */
window.baymapSearch = function (baymap) {
  "use strict";
  var map = baymap.map, features = baymap.features;
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
    if (baymap.step >= 0) baymap.go(-1);
    baymap.reportsOn = baymap.reportsOn.map(function () { return true; });
    baymap.fire("show-all");
    baymap.refresh();
    if (!map.hasLayer(f.group)) map.addLayer(f.group);
    var bounds = L.latLngBounds(f.bounds), first = f.layers[0];
    map.fitBounds(bounds, { maxZoom: f.maxZoom, animate: false });
    if (first.getLatLng && baymap.cluster.getVisibleParent(first) !== first) {  /* still in a cluster at this zoom */
      L.popup({ maxWidth: 440 }).setLatLng(first.getLatLng()).setContent(first.getPopup().getContent()).openOn(map);
    } else {
      first.openPopup(first.getLatLng ? first.getLatLng() : bounds.getCenter());
    }
  }
  new Search().addTo(map);
  baymap.find = find;
};
