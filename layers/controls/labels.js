/* City names that would overlap are thinned at each zoom and language: the first drawn (by code) keeps its place. */
window.baymapLabels = function (baymap, pane) {
  "use strict";
  var map = baymap.map, GAP = 4;  /* pixels kept clear between two names */
  /* A name's box in the pane's own pixels: where Leaflet put its marker plus the name's place in it. Not
     getBoundingClientRect, which on a busy machine gave the places of the zoom before (the names then overlapped). */
  function boxOf(label) {
    var shown = Array.prototype.filter.call(label.children, function (span) { return span.offsetWidth > 0; });
    var name = shown[0] || label, at = L.DomUtil.getPosition(label.parentElement);
    var left = at.x + name.offsetLeft, top = at.y + name.offsetTop;
    return { left: left, top: top, right: left + name.offsetWidth, bottom: top + name.offsetHeight, width: name.offsetWidth };
  }
  function declutter() {
    var kept = [];
    map.getPane(pane).querySelectorAll(".bm-label").forEach(function (label) {
      var box = boxOf(label);
      var clash = box.width > 0 && kept.some(function (k) {
        return box.left < k.right + GAP && k.left < box.right + GAP && box.top < k.bottom + GAP && k.top < box.bottom + GAP;
      });
      label.style.visibility = clash ? "hidden" : "";
      if (!clash && box.width > 0) kept.push(box);
    });
  }
  map.on("zoomend", declutter);
  baymap.on("language", declutter);
  declutter();
};
