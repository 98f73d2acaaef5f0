/* The story: the report's sections as steps, for ◀ ▶, 全部 and a presenter's clicker (the arrow keys).
   A step shows its section's places, turning on the layers they are in, and flies to them; province-wide
   groupings are left out of the view unless they are all the section names. */
window.baymapStory = function (baymap, sections, maxZoom) {
  "use strict";
  var map = baymap.map, util = window.baymapUtil, bilingual = util.bilingual;
  var Story = L.Control.extend({
    options: { position: "topleft" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "leaflet-bar bm-story");
      L.DomEvent.disableClickPropagation(box);
      util.button(box, "◀", "上一节 Previous section", back);
      this.label = L.DomUtil.create("span", "bm-story-label", box);
      util.button(box, "▶", "下一节 Next section", forward);
      util.button(box, "全部", "显示全部 Show everything", function () { go(-1); });
      return box;
    }
  });
  var story = new Story().addTo(map);
  var title = L.DomUtil.create("div", "bm-section-title", map.getContainer());
  var firstView = { center: map.getCenter(), zoom: map.getZoom() };
  var everything = bilingual("报告 " + sections.length + " 节", sections.length + " sections");

  function forward() { go(baymap.step >= sections.length - 1 ? 0 : baymap.step + 1); }
  function back() { go(baymap.step <= 0 ? sections.length - 1 : baymap.step - 1); }

  function go(i) {
    baymap.step = i;
    var shown = baymap.features.filter(baymap.visible);
    if (i >= 0) shown.forEach(function (f) { if (!map.hasLayer(f.group)) map.addLayer(f.group); });
    baymap.refresh();
    var label = i < 0 ? everything : bilingual((i + 1) + " / " + sections.length, (i + 1) + " / " + sections.length);
    if (i >= 0 && !shown.length) label = bilingual(label.zh + " · 本节无地点", label.en + " · no places in this section");
    util.setBilingual(story.label, label);
    util.setBilingual(title, i < 0 ? bilingual("", "") :
      bilingual(sections[i], "Section " + (i + 1) + " of " + sections.length + ": " + sections[i]));
    title.style.display = i < 0 ? "none" : "block";
    map.getContainer().setAttribute("data-story-step", String(i));
    if (i < 0) { map.flyTo(firstView.center, firstView.zoom, { duration: 0.8 }); return; }
    var framed = shown.filter(function (f) { return f.layer !== "groupings"; });
    if (!framed.length) framed = shown;
    if (!framed.length) return;
    var deepest = Math.max.apply(null, framed.map(function (f) { return f.maxZoom; }));
    map.flyToBounds(util.boundsOf(framed), { padding: [30, 30], maxZoom: Math.min(maxZoom, deepest), duration: 0.8 });
  }

  document.addEventListener("keydown", function (e) {
    var typing = e.target && (e.target.tagName === "INPUT" || e.target.tagName === "TEXTAREA");
    if (typing || e.altKey || e.ctrlKey || e.metaKey || !sections.length) return;
    if (e.key === "ArrowRight" || e.key === "PageDown") forward();
    else if (e.key === "ArrowLeft" || e.key === "PageUp") back();
    else return;
    e.preventDefault();
  });
  util.setBilingual(story.label, everything);
  title.style.display = "none";
  map.getContainer().setAttribute("data-story-step", "-1");
  baymap.go = go;
};
