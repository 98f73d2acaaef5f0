/* Full screen: the map alone, for a projector. */
window.baymapFullScreen = function (baymap) {
  "use strict";
  var map = baymap.map;
  var FullScreen = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar bm-buttons bm-fullscreen");
      L.DomEvent.disableClickPropagation(box);
      window.baymapUtil.button(box, "全屏", "全屏 Full screen", function () {
        var el = map.getContainer();
        if (document.fullscreenElement) document.exitFullscreen();
        else if (el.requestFullscreen) el.requestFullscreen();
      });
      return box;
    }
  });
  new FullScreen().addTo(map);
  document.addEventListener("fullscreenchange", function () { setTimeout(function () { map.invalidateSize(); }, 100); });
};
