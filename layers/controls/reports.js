/* With several reports, each is a toggle. */
window.baymapReports = function (baymap) {
  "use strict";
  var Reports = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-control-layers bm-reports");
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      L.DomUtil.create("b", "", box).textContent = "报告 Reports";
      baymap.reports.forEach(function (name, r) {
        var label = L.DomUtil.create("label", "", box);
        var tick = L.DomUtil.create("input", "", label);
        tick.type = "checkbox"; tick.checked = true;
        label.appendChild(document.createTextNode(" " + name));
        L.DomEvent.on(tick, "change", function () { baymap.reportsOn[r] = tick.checked; baymap.refresh(); });
      });
      baymap.on("show-all", function () {
        box.querySelectorAll("input").forEach(function (t) { t.checked = true; });
      });
      return box;
    }
  });
  new Reports().addTo(baymap.map);
};
