/* Tiles that cannot load (no network): say so once; the outlines drawn beneath them still show the map. */
window.baymapTileNote = function (baymap) {
  "use strict";
  var map = baymap.map, note = null;
  map.eachLayer(function (layer) {
    if (!(layer instanceof L.TileLayer)) return;
    layer.on("tileerror", function () {
      if (note) return;
      note = L.DomUtil.create("div", "bm-tile-note", map.getContainer());
      note.textContent = "底图瓦片无法加载，仅显示行政区轮廓 · Map tiles could not load (no network?): showing outlines only";
    });
  });
};
