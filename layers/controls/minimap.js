/* A minimap of the shipped land outlines with the main view drawn on it. */
window.baymapMiniMap = function (baymap, land) {
  "use strict";
  var map = baymap.map;
  var mini = L.DomUtil.create("div", "bm-minimap", map.getContainer());
  L.DomEvent.disableClickPropagation(mini);
  var miniMap = L.map(mini, {
    attributionControl: false, zoomControl: false, dragging: false, scrollWheelZoom: false,
    doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false
  }).setView(map.getCenter(), Math.max(map.getZoom() - 4, 4));
  L.geoJSON(land, { style: { color: "#999", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 } }).addTo(miniMap);
  var view = L.rectangle(map.getBounds(), { color: "#d94801", weight: 1.5, fillOpacity: 0.1 }).addTo(miniMap);
  function sync() {
    view.setBounds(map.getBounds());
    miniMap.setView(map.getCenter(), Math.max(map.getZoom() - 4, 4), { animate: false });
  }
  map.on("move zoom", sync);
  sync();
};
