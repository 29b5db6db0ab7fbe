// The figure lint: reads every drawn plotly figure in a page (a JupyterLab notebook or an exported
// site page) and reports what a reader could not read:
//   - overlap:  a text element overlaps another text element (labels, ticks, titles, legend,
//               annotations), by more than `overlapPx` in both directions;
//   - clipped:  a data label (scatter text) reaches outside the plot area, or any text reaches
//               outside the figure, by more than `clipPx`;
//   - marker:   a data label or annotation covers a marker of another trace by more than `overlapPx`;
//   - crossed:  a line of a trace (a message arrow) runs through the inside of a data label or an
//               annotation (the label's box shrunk by `lineInsetPx`).
// Tolerances are in CSS pixels and deliberately small. Used by test/browser/run.mjs on every
// notebook and site page, and by test/unit/viz/figure-lint.test.ts on deliberately broken figures.
//
// The in-page code is a string, not a function: playwright serialises functions with toString(),
// and a transpiler (tsx in the unit tests) can add helpers to a function that the page lacks.
"use strict";

const defaultTolerances = Object.freeze({ overlapPx: 1.5, clipPx: 1.5, lineInsetPx: 2.5 });

const inPageSource = String.raw`(function (tolerances) {
  var overlapPx = tolerances.overlapPx, clipPx = tolerances.clipPx, lineInsetPx = tolerances.lineInsetPx;
  function visible(el) {
    for (var node = el; node && node.nodeType === 1; node = node.parentNode) {
      var style = getComputedStyle(node);
      if (style.display === "none" || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
      if (node.classList && node.classList.contains("js-plotly-plot")) break;
    }
    return true;
  }
  function rectOf(el) { var r = el.getBoundingClientRect(); return { left: r.left, top: r.top, right: r.right, bottom: r.bottom }; }
  function intersection(a, b) {
    return { w: Math.min(a.right, b.right) - Math.max(a.left, b.left), h: Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) };
  }
  function kindOf(el) {
    if (el.closest(".textpoint")) return "label";
    if (el.closest(".annotation")) return "annotation";
    if (el.closest(".legend")) return "legend";
    if (el.classList.contains("gtitle")) return "title";
    if (el.closest(".g-xtitle, .g-ytitle, .g-x2title, .g-y2title") || /^[xy]\d*title$/.test(el.getAttribute("class") || "")) return "axis title";
    var parent = el.parentNode;
    if (parent && /(^|\s)[xy]\d*tick(\s|$)/.test(parent.getAttribute("class") || "")) return "tick";
    return "text";
  }
  function cellOf(plot) {
    var cell = plot.closest(".jp-Cell");
    if (!cell) return "";
    var cells = Array.prototype.slice.call(document.querySelectorAll(".jp-Cell"));
    var prompt = cell.querySelector(".jp-InputPrompt");
    var text = prompt ? prompt.textContent.replace(/\s+/g, " ").trim() : "";
    return "cell " + cells.indexOf(cell) + (text ? " " + text : "");
  }
  var plots = Array.prototype.slice.call(document.querySelectorAll(".js-plotly-plot"));
  return plots.map(function (plot, index) {
    var problems = [];
    var titleEl = plot.querySelector(".gtitle");
    var title = titleEl ? titleEl.textContent : "";
    var svgs = Array.prototype.slice.call(plot.querySelectorAll("svg.main-svg"));
    if (svgs.length === 0) return { index: index, cell: cellOf(plot), title: title, drawn: false, problems: ["not drawn"] };
    var figureRect = rectOf(svgs[0]);
    var dragRect = plot.querySelector(".nsewdrag");
    var plotArea = dragRect ? rectOf(dragRect) : null;
    var texts = [];
    svgs.forEach(function (svg) {
      svg.querySelectorAll("text").forEach(function (el) {
        if (el.closest(".hoverlayer, .modebar, .rangeslider-container")) return;
        var content = el.textContent.replace(/\s+/g, " ").trim();
        if (content === "" || !visible(el)) return;
        var r = rectOf(el);
        if (r.right - r.left <= 0 || r.bottom - r.top <= 0) return;
        texts.push({ el: el, text: content, kind: kindOf(el), rect: r });
      });
    });
    // Text on text.
    for (var a = 0; a < texts.length; a++) {
      for (var b = a + 1; b < texts.length; b++) {
        if (texts[a].el.contains(texts[b].el) || texts[b].el.contains(texts[a].el)) continue;
        var i = intersection(texts[a].rect, texts[b].rect);
        if (i.w > overlapPx && i.h > overlapPx) {
          problems.push("overlap: " + texts[a].kind + " " + JSON.stringify(texts[a].text) + " and " + texts[b].kind + " " + JSON.stringify(texts[b].text) +
            " (" + i.w.toFixed(1) + " x " + i.h.toFixed(1) + " px)");
        }
      }
    }
    // Clipping: data labels by the plot area, everything by the figure.
    texts.forEach(function (t) {
      var r = t.rect;
      var box = t.kind === "label" && plotArea ? plotArea : figureRect;
      var out = Math.max(box.left - r.left, r.right - box.right, box.top - r.top, r.bottom - box.bottom);
      if (out > clipPx) problems.push("clipped: " + t.kind + " " + JSON.stringify(t.text) + " by the " + (box === figureRect ? "figure" : "plot area") + " (" + out.toFixed(1) + " px)");
    });
    var marked = texts.filter(function (t) { return t.kind === "label" || t.kind === "annotation"; });
    // Labels on markers of other traces.
    var markers = Array.prototype.slice.call(plot.querySelectorAll(".scatterlayer .trace .points path.point")).filter(visible).map(function (el) {
      var trace = el.closest(".trace");
      var name = trace && trace.__data__ && trace.__data__[0] && trace.__data__[0].trace ? trace.__data__[0].trace.name : "";
      return { rect: rectOf(el), name: name || "marker" };
    }).filter(function (m) { return m.rect.right - m.rect.left > 0 && (!plotArea || (m.rect.right > plotArea.left && m.rect.left < plotArea.right)); });
    marked.forEach(function (t) {
      markers.forEach(function (m) {
        var i = intersection(t.rect, m.rect);
        if (i.w > overlapPx && i.h > overlapPx) problems.push("marker: " + t.kind + " " + JSON.stringify(t.text) + " covers a " + m.name + " marker");
      });
    });
    // Lines through labels: sample each trace line every 2 px.
    var lines = Array.prototype.slice.call(plot.querySelectorAll(".scatterlayer .trace path.js-line")).filter(visible);
    var crossed = {};
    lines.forEach(function (path) {
      var length = path.getTotalLength();
      var matrix = path.getScreenCTM();
      if (!matrix || !(length > 0)) return;
      var trace = path.closest(".trace");
      var name = trace && trace.__data__ && trace.__data__[0] && trace.__data__[0].trace ? trace.__data__[0].trace.name : "line";
      var steps = Math.min(20000, Math.ceil(length / 2));
      for (var s = 0; s <= steps; s++) {
        var p = path.getPointAtLength((length * s) / steps);
        var x = matrix.a * p.x + matrix.c * p.y + matrix.e, y = matrix.b * p.x + matrix.d * p.y + matrix.f;
        if (plotArea && (x < plotArea.left || x > plotArea.right || y < plotArea.top || y > plotArea.bottom)) continue;
        marked.forEach(function (t, k) {
          var r = t.rect;
          if (x > r.left + lineInsetPx && x < r.right - lineInsetPx && y > r.top + lineInsetPx && y < r.bottom - lineInsetPx) {
            var key = k + "|" + name;
            if (!crossed[key]) { crossed[key] = true; problems.push("crossed: a " + name + " line runs through " + t.kind + " " + JSON.stringify(t.text)); }
          }
        });
      }
    });
    return { index: index, cell: cellOf(plot), title: title, drawn: true, problems: problems };
  });
})`;

/**
 * Lints every plotly figure drawn in `page` (a playwright Page). Scrolls each figure into view
 * first (JupyterLab renders lazily). Returns one entry per figure: {index, cell, title, drawn, problems}.
 */
async function lintFigures(page, tolerances = {}) {
  const options = { ...defaultTolerances, ...tolerances };
  return page.evaluate(`(${inPageSource})(${JSON.stringify(options)})`);
}

/** One line per problem: `where: cell N, "title": problem`. */
function formatLint(where, figures) {
  const lines = [];
  for (const figure of figures) {
    for (const problem of figure.problems) {
      lines.push(`${where}: ${figure.cell || `figure ${figure.index + 1}`}, "${figure.title || "(untitled)"}": ${problem}`);
    }
  }
  return lines;
}

module.exports = { defaultTolerances, inPageSource, lintFigures, formatLint };
