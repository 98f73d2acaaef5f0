/* City names that would overlap are thinned at each zoom and language: the first drawn (by code) keeps its place. */
window.baymapLabels = function (baymap, pane) {
  "use strict";
  var map = baymap.map, GAP = 4;  /* pixels kept clear between two names */
  function declutter() {
    var kept = [];
    map.getPane(pane).querySelectorAll(".bm-label").forEach(function (label) {
      label.style.visibility = "";
      var shown = Array.prototype.filter.call(label.children, function (span) { return span.offsetWidth > 0; });
      var box = (shown[0] || label).getBoundingClientRect();
      var clash = box.width > 0 && kept.some(function (k) {
        return box.left < k.right + GAP && k.left < box.right + GAP && box.top < k.bottom + GAP && k.top < box.bottom + GAP;
      });
      if (clash) label.style.visibility = "hidden"; else if (box.width > 0) kept.push(box);
    });
  }
  map.on("zoomend", declutter);
  baymap.on("language", declutter);
  declutter();
};
