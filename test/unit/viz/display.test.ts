import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import {
  defaultConfig,
  escapeHtml,
  figureHash,
  figureHtml,
  plotlyLibraryMarker,
  plotlyLibraryScript,
  scriptJson,
  tableHtml,
} from "../../../src/viz/display";

const figure = {
  data: [{ type: "scatter", x: [1, 2, 3], y: [2, 4, 8], name: "</script><b>x</b>" }],
  layout: { title: { text: "t" } },
};

/** The JSON assigned to `var figure = ...;` in the figure's script. */
function embeddedFigure(html: string): { data: unknown[]; layout: Record<string, unknown>; config: Record<string, unknown> } {
  const match = /var figure = (.*);\n/.exec(html);
  assert.ok(match, "the script assigns the figure");
  return JSON.parse(match[1]);
}

describe("viz/display: figureHtml", () => {
  it("is deterministic: the same figure and id give the same HTML", () => {
    assert.equal(figureHtml(figure, { divId: "f-1" }), figureHtml(figure, { divId: "f-1" }));
    assert.equal(figureHash(figure), figureHash(structuredClone(figure)));
    assert.notEqual(figureHash(figure), figureHash({ data: [] }));
  });

  it("draws into its own div with the figure's data and the kit's defaults", () => {
    const html = figureHtml(figure, { divId: "f-1" });
    assert.match(html, /^<div id="f-1" class="ds-kit-figure"/);
    const embedded = embeddedFigure(html);
    assert.deepEqual(embedded.data, figure.data);
    assert.deepEqual(embedded.layout, { autosize: true, title: { text: "t" } });
    assert.deepEqual(embedded.config, { displaylogo: false, responsive: true });
    assert.deepEqual(defaultConfig, { displaylogo: false, responsive: true });
  });

  it("lets the figure override layout and config defaults", () => {
    const embedded = embeddedFigure(
      figureHtml({ data: [], layout: { autosize: false }, config: { responsive: false } }, { divId: "f" }),
    );
    assert.equal(embedded.layout.autosize, false);
    assert.deepEqual(embedded.config, { displaylogo: false, responsive: false });
  });

  it("never lets figure data close the script element", () => {
    const html = figureHtml(figure, { divId: "f-1" });
    assert.equal(html.match(/<\/script>/g)?.length, 1, "only the script's own closing tag");
    assert.ok(!html.includes("<b>x</b>"));
    assert.equal(JSON.parse(scriptJson("a</script>\u2028&")), "a</script>\u2028&");
  });

  it("inlines the library only when given, wrapped to set the global Plotly", () => {
    assert.ok(!figureHtml(figure, { divId: "f" }).includes(plotlyLibraryMarker));
    const html = figureHtml(figure, { divId: "f", plotlySource: "var PLOTLY_SOURCE = 1;" });
    assert.ok(html.includes(`<script ${plotlyLibraryMarker}>(function (define, module, exports) {\nvar PLOTLY_SOURCE = 1;`));
    assert.ok(html.indexOf("PLOTLY_SOURCE") < html.indexOf("var figure ="), "library before the figure");
  });

  it("can inline the real plotly.js-dist-min bundle", () => {
    const source = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");
    assert.ok(plotlyLibraryScript(source).length > source.length);
    assert.throws(() => plotlyLibraryScript("x = '</script>'"), /contains <\/script>/);
  });

  it("waits for window.Plotly, then loads it from the Jupyter server, else tells the user to re-run", () => {
    const html = figureHtml(figure, { divId: "f", waitMs: 1000 });
    assert.match(html, /var waitMs = 1000;/);
    assert.ok(html.includes('"node_modules/plotly.js-dist-min/plotly.min.js"'));
    assert.match(html, /Restart Kernel and Run All Cells/);
  });

  it("rejects bad arguments with a message naming them", () => {
    assert.throws(() => figureHtml(figure, { divId: "1 bad" }), /bad divId "1 bad"/);
    assert.throws(() => figureHtml(figure, { divId: "f", waitMs: -1 }), /bad waitMs -1/);
    assert.throws(() => figureHtml({ data: {} as unknown as Record<string, unknown>[] }, { divId: "f" }), /figure.data must be an array/);
  });
});

describe("viz/display: tableHtml", () => {
  it("renders columns in order of first appearance, escaping text", () => {
    const html = tableHtml([{ node: "A", t: 1 }, { node: "<B>", extra: { x: 1 } }]);
    assert.ok(html.includes("<thead><tr><th>node</th><th>t</th><th>extra</th></tr></thead>"));
    assert.ok(html.includes("<tr><td>A</td><td>1</td><td></td></tr>"));
    assert.ok(html.includes('<tr><td>&lt;B&gt;</td><td></td><td>{&quot;x&quot;:1}</td></tr>'));
  });

  it("uses the given columns only", () => {
    const html = tableHtml([{ a: 1, b: 2 }], ["b"]);
    assert.ok(html.includes("<thead><tr><th>b</th></tr></thead>"));
    assert.ok(!html.includes("<td>1</td>"));
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});
