// The figure lint (test/browser/figure-lint.cjs) in a real browser: it must fail on deliberately
// colliding, clipped and crossed figures, and pass a clean one. Skipped without Chromium.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { figureHtml, type Figure } from "../../../src/viz/display";
import { spaceTimeDiagram } from "../../../src/viz/space-time";
import { Simulation, latency } from "../../../src/sim";
import { pingPong } from "../../../src/protocols/ping-pong";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { lintFigures } = require("../../browser/figure-lint.cjs") as {
  lintFigures: (page: unknown) => Promise<{ title: string; problems: string[] }[]>;
};

const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

type Browser = { newPage(): Promise<Page>; close(): Promise<void> };
type Page = { setContent(html: string): Promise<void>; waitForSelector(s: string, o: object): Promise<unknown>; setViewportSize(s: object): Promise<void>; close(): Promise<void> };

describe("viz: the figure lint (headless Chromium)", function () {
  this.timeout(60_000);
  let browser: Browser | undefined;
  let tempDir = "";
  const plotly = readFileSync(require.resolve("plotly.js-dist-min/plotly.min.js"), "utf8");

  before(async function () {
    if (!existsSync(chromiumPath)) this.skip();
    tempDir = mkdtempSync(path.join(os.tmpdir(), "ds-kit-lint-test-"));
    const { chromium } = await import("playwright-core");
    browser = (await chromium.launch({ executablePath: chromiumPath, headless: true, args: flags, env: { ...process.env, HOME: tempDir } })) as unknown as Browser;
  });
  after(async () => {
    await browser?.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  });

  async function lint(figure: Figure): Promise<string[]> {
    const page = await browser!.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    const html = figureHtml(figure, { divId: "figure", plotlySource: plotly });
    await page.setContent(`<!DOCTYPE html><html><body>${html}</body></html>`);
    await page.waitForSelector("#figure svg.main-svg", { timeout: 30_000 });
    const [result] = await lintFigures(page);
    await page.close();
    return result.problems;
  }

  it("fails on two labels printed on top of each other", async () => {
    const problems = await lint({
      data: [{ type: "scatter", mode: "text", x: [10, 10, 50], y: [0, 0, 0], text: ["A0", "A1", "far"] }],
      layout: { title: { text: "colliding" }, height: 300, xaxis: { range: [0, 60] } },
    });
    assert.ok(problems.some((p) => p.startsWith("overlap:") && p.includes('"A0"') && p.includes('"A1"')), problems.join("\n"));
    assert.ok(!problems.some((p) => p.includes('"far"')), problems.join("\n"));
  });

  it("fails on a label clipped by the plot area", async () => {
    const problems = await lint({
      data: [{ type: "scatter", mode: "text", x: [0], y: [0], text: ["a long label at the very edge"] }],
      layout: { height: 300, xaxis: { range: [0, 10] } },
    });
    assert.ok(problems.some((p) => p.startsWith("clipped:")), problems.join("\n"));
  });

  it("fails on a label covering a marker and on a line through a label", async () => {
    const problems = await lint({
      data: [
        { type: "scatter", mode: "lines+markers", name: "message", x: [0, 10], y: [0, 0], marker: { size: 10 } },
        { type: "scatter", mode: "text", x: [5, 10], y: [0, 0], text: ["crossed", "on marker"] },
      ],
      layout: { height: 300, xaxis: { range: [-3, 15] }, showlegend: false },
    });
    assert.ok(problems.some((p) => p.startsWith("crossed:") && p.includes('"crossed"')), problems.join("\n"));
    assert.ok(problems.some((p) => p.startsWith("marker:") && p.includes('"on marker"')), problems.join("\n"));
  });

  it("fails on colliding axis tick labels", async () => {
    const problems = await lint({
      data: [{ type: "bar", x: ["a category with a long name", "another category with a long name", "a third long name"], y: [1, 2, 3] }],
      layout: { width: 260, height: 300, xaxis: { tickangle: 0 } },
    });
    assert.ok(problems.some((p) => p.startsWith("overlap:") && p.includes("tick")), problems.join("\n"));
  });

  it("passes a space-time diagram whose deliveries at one node and instant are stacked", async () => {
    const sim = new Simulation({ seed: "lint", nodes: ["A", "B", "C"], protocol: pingPong({ retryMs: 1000 }), network: { model: "reliable", latency: latency.uniform(10, 10) } });
    for (let k = 0; k < 3; k++) sim.request("A", { type: "ping", to: "B" }, 0);
    sim.request("C", { type: "ping", to: "B" }, 3);
    const trace = sim.run().trace;
    const figure = spaceTimeDiagram(trace, { title: "three pings at once", label: (e) => (e.kind === "deliver" ? `pong ${String(e.value)}` : undefined) });
    const problems = await lint(figure);
    assert.deepEqual(problems, []);
  });
});
