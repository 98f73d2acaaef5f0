/* 中/EN: every bilingual text on the page (layer names, legend, labels, story) shows one language. */
window.baymapLanguage = function (baymap) {
  "use strict";
  var Language = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar bm-buttons bm-language");
      L.DomEvent.disableClickPropagation(box);
      var lang = window.baymapUtil.button(box, "EN", "中文/English labels", function () {
        lang.textContent = document.body.classList.toggle("bm-lang-en") ? "中" : "EN";
        baymap.fire("language");
      });
      return box;
    }
  });
  new Language().addTo(baymap.map);
};
