#!/usr/bin/env node
// `npm run test:browser`: the kit as a student sees it, in Debian's headless Chromium.
//   1. JupyterLab: start a server on a free localhost port with a token, open
//      notebooks/00-getting-started.ipynb, Run > Run All Cells, wait for the kernel to be idle, and
//      check that a plotly figure is drawn and that no cell shows an error.
//   2. The exported site (`npm run site`): the page of the same notebook draws its figure offline
//      and has prompt numbers; the index lists it.
//   3. The figure lint (figure-lint.cjs) on every figure in JupyterLab and on every page of the site:
//      no text on text, no clipped labels, no labels on markers, no arrows through labels. Each
//      site figure is screenshotted to build/screenshots/figures/.
// Screenshots go to build/screenshots/. The server is stopped whatever happens. The last line is
// `N passed, N failed`. CHROMIUM=/path overrides the browser (default /usr/bin/chromium).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { buildDir, jupyterBin, jupyterEnv, repoRoot, requireVenv } from "../../scripts/lib/env.mjs";
import { lintPages } from "./lint-pages.mjs";
import figureLint from "./figure-lint.cjs";

requireVenv();
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  console.error(`error: no browser at ${chromiumPath}. Install Debian's chromium (apt-get install chromium) or set CHROMIUM=/path.`);
  process.exit(2);
}
const notebookPath = "notebooks/00-getting-started.ipynb";
const screenshotDir = path.join(buildDir, "screenshots");
mkdirSync(screenshotDir, { recursive: true });
const tempDir = mkdtempSync(path.join(os.tmpdir(), "ds-kit-browser-"));
const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`${ok ? "PASS" : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let server; // the JupyterLab process, in its own process group
let serverLog = "";
function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  try {
    process.kill(-server.pid, "SIGTERM"); // the server shuts its kernels down on SIGTERM
  } catch {}
}
async function stopServerAndWait() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  stopServer();
  const timeout = new Promise((resolve) => setTimeout(() => resolve("timeout"), 10_000));
  if ((await Promise.race([exited, timeout])) === "timeout") {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {}
  }
}
process.on("exit", stopServer);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopServer();
    process.exit(130);
  });
}

async function startServer() {
  const port = await freePort();
  const token = createHash("sha256").update(`${process.pid}:${port}:${tempDir}`).digest("hex").slice(0, 32);
  // A fresh config dir: JupyterLab's workspace and settings (autosave off, no news) stay out of the repo.
  const configDir = path.join(tempDir, "jupyter-config");
  const settings = path.join(configDir, "lab", "user-settings", "@jupyterlab");
  mkdirSync(path.join(settings, "docmanager-extension"), { recursive: true });
  writeFileSync(path.join(settings, "docmanager-extension", "plugin.jupyterlab-settings"), '{ "autosave": false }\n');
  const args = [
    "lab",
    "--no-browser",
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    `--IdentityProvider.token=${token}`,
    `--ServerApp.root_dir=${repoRoot}`,
    "--MappingKernelManager.default_kernel_name=ds-kit",
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
  server = spawn(jupyterBin, args, { cwd: repoRoot, env: jupyterEnv({ configDir }), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout.on("data", (chunk) => (serverLog += chunk));
  server.stderr.on("data", (chunk) => (serverLog += chunk));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`JupyterLab exited (status ${server.exitCode}):\n${serverLog}`);
    try {
      const response = await fetch(`${base}/api/status?token=${token}`);
      if (response.ok) return { base, token };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`JupyterLab did not answer on ${base} within 60 s:\n${serverLog}`);
}

const fileHash = (file) => createHash("sha256").update(readFileSync(path.join(repoRoot, file))).digest("hex");

/** Counts plotly traces drawn in the page (or in a frame). */
async function plotlyTraces(page) {
  return page.evaluate(() => ({
    figures: document.querySelectorAll("svg.main-svg").length,
    tracePaths: document.querySelectorAll(".scatterlayer .trace path").length,
    missingLibraryMessages: [...document.querySelectorAll(".ds-kit-figure")].filter((el) =>
      /needs the plotly library/.test(el.textContent ?? ""),
    ).length,
  }));
}

/** HTML of a figure that does not inline plotly (as every figure after a session's first). */
function laterFigureHtml(divId) {
  const code =
    `const { figureHtml } = require("./src/viz/display");` +
    `process.stdout.write(figureHtml({ data: [{ type: "bar", x: ["a", "b"], y: [1, 2] }] }, { divId: ${JSON.stringify(divId)}, waitMs: 200 }));`;
  const result = spawnSync(process.execPath, ["-r", "tsx/cjs", "-e", code], { cwd: repoRoot, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`could not build a figure: ${result.stderr}`);
  return result.stdout;
}

/** Adds HTML to the page with its scripts executed, after removing window.Plotly (a reloaded page). */
async function injectWithoutPlotly(page, html) {
  await page.evaluate((markup) => {
    delete window.Plotly;
    delete window.__dsKitPlotlyLoading;
    const container = document.createElement("div");
    container.innerHTML = markup;
    document.body.prepend(container);
    for (const inert of container.querySelectorAll("script")) {
      const script = document.createElement("script");
      script.textContent = inert.textContent;
      inert.replaceWith(script);
    }
  }, html);
}

async function testJupyterLab(context) {
  console.log(`\n=== JupyterLab: ${notebookPath}, Run > Run All Cells`);
  const before = fileHash(notebookPath);
  const { base, token } = await startServer();
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (message) => message.type() === "error" && consoleErrors.push(message.text()));
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`${base}/lab/tree/${notebookPath}?token=${token}`);
  const panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)");
  await panel.locator(".jp-Notebook-cell").first().waitFor({ timeout: 60_000 });
  // Wait for the kernel to be started and idle: Run All before that leaves the cells unexecuted.
  const kernelReady = await page
    .waitForFunction(
      () => {
        const notebook = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
        const name = notebook?.querySelector(".jp-KernelName")?.textContent?.trim();
        const status = notebook?.querySelector(".jp-Notebook-ExecutionIndicator")?.getAttribute("data-status");
        return name === "TypeScript (DS kit)" && status === "idle";
      },
      null,
      { timeout: 60_000 },
    )
    .then(() => true, () => false);
  const kernelName = (await panel.locator(".jp-KernelName").first().textContent())?.trim() ?? "";
  check("the notebook opens with the kit's kernel, started and idle", kernelReady, `kernel "${kernelName}"`);

  await page.locator(".lm-MenuBar-itemLabel", { hasText: /^Run$/ }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: /^Run All Cells$/ }).click();
  const codeCells = await panel.locator(".jp-CodeCell").count();
  // Every code cell gets a prompt number, then the kernel goes idle.
  const ranAll = await page
    .waitForFunction(
      (count) => {
        const notebook = document.querySelector(".jp-NotebookPanel:not(.lm-mod-hidden)");
        const prompts = [...(notebook?.querySelectorAll(".jp-CodeCell .jp-InputPrompt") ?? [])].map((el) => el.textContent ?? "");
        const status = notebook?.querySelector(".jp-Notebook-ExecutionIndicator")?.getAttribute("data-status");
        return prompts.length === count && prompts.every((text) => /\[\d+\]/.test(text)) && status === "idle";
      },
      codeCells,
      { timeout: 120_000 },
    )
    .then(() => true, () => false);
  const prompts = await panel.locator(".jp-CodeCell .jp-InputPrompt").allTextContents();
  check("Run All Cells runs every code cell and the kernel goes idle", ranAll, `prompts ${JSON.stringify(prompts.map((p) => p.trim()))}`);

  await page.waitForSelector(".jp-NotebookPanel:not(.lm-mod-hidden) .scatterlayer .trace path", { timeout: 30_000 }).catch(() => {});
  const traces = await plotlyTraces(page);
  check("a plotly figure is drawn", traces.figures > 0 && traces.tracePaths > 0 && traces.missingLibraryMessages === 0, JSON.stringify(traces));

  const errorOutputs = await panel
    .locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]')
    .allTextContents();
  check("no cell shows an error", errorOutputs.length === 0, errorOutputs.join("\n").slice(0, 2000));

  const linted = await figureLint.lintFigures(page);
  const lintProblems = figureLint.formatLint(notebookPath, linted);
  check(`figure lint in JupyterLab: ${linted.length} figures readable`, linted.length > 0 && lintProblems.length === 0, lintProblems.join("\n"));

  const screenshot = path.join(screenshotDir, "jupyterlab-getting-started.png");
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${path.relative(repoRoot, screenshot)}`);
  // A second picture with a space-time diagram in view (README's picture is taken from it).
  const figures = panel.locator(".js-plotly-plot");
  if ((await figures.count()) > 1) {
    await figures.nth(1).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, -420);
    await page.waitForTimeout(500);
    const figureShot = path.join(screenshotDir, "jupyterlab-figure.png");
    await page.screenshot({ path: figureShot });
    console.log(`screenshot: ${path.relative(repoRoot, figureShot)}`);
  }

  // A later figure on a page without window.Plotly fetches the library from the server's files endpoint.
  await injectWithoutPlotly(page, laterFigureHtml("ds-kit-reload-test"));
  const reloaded = await page
    .waitForSelector("#ds-kit-reload-test .main-svg", { timeout: 30_000 })
    .then(() => true, () => false);
  check("without window.Plotly, a figure loads plotly from the Jupyter server", reloaded);
  if (consoleErrors.length > 0) console.log(`browser console errors (for information):\n  ${consoleErrors.slice(0, 10).join("\n  ")}`);
  await page.close();
  await stopServerAndWait();
  check("the notebook in the repository is left unchanged", fileHash(notebookPath) === before);
}

async function testSite(context) {
  console.log("\n=== exported site: npm run site");
  const build = spawnSync(process.execPath, ["scripts/site.mjs"], { cwd: repoRoot, stdio: "inherit" });
  check("npm run site succeeds", build.status === 0);
  if (build.status !== 0) return;
  const page = await context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.goto(`file://${path.join(repoRoot, "site", "index.html")}`);
  const links = await page.locator("li a").allTextContents();
  check("the index lists the notebook by its title", links.some((title) => /Getting started/.test(title)), JSON.stringify(links));
  await page.screenshot({ path: path.join(screenshotDir, "site-index.png") });

  await page.goto(`file://${path.join(repoRoot, "site", "00-getting-started.html")}`);
  await page.waitForSelector(".scatterlayer .trace path", { timeout: 30_000 }).catch(() => {});
  const traces = await plotlyTraces(page);
  check("the exported page draws its figure offline", traces.figures > 0 && traces.tracePaths > 0, JSON.stringify(traces));
  const prompts = await page.locator(".jp-InputPrompt").allTextContents();
  check("the exported page has prompt numbers", prompts.some((text) => /\[1\]/.test(text)), JSON.stringify(prompts));
  const screenshot = path.join(screenshotDir, "site-getting-started.png");
  await page.screenshot({ path: screenshot });
  console.log(`screenshot: ${path.relative(repoRoot, screenshot)}`);

  // No Jupyter server here: a figure that finds no plotly says how to fix it.
  await injectWithoutPlotly(page, laterFigureHtml("ds-kit-missing-test"));
  const message = await page
    .waitForFunction(() => /Re-run the notebook/.test(document.getElementById("ds-kit-missing-test")?.textContent ?? ""), null, { timeout: 10_000 })
    .then(() => true, () => false);
  check("without plotly and without a server, a figure shows a re-run message", message);
  await page.screenshot({ path: path.join(screenshotDir, "site-missing-plotly-message.png") });
  await page.close();

  const pages = readdirSync(path.join(repoRoot, "site")).filter((f) => f.endsWith(".html") && f !== "index.html").sort();
  const lint = await lintPages(context, pages.map((f) => path.join(repoRoot, "site", f)), { screenshotDir: path.join(screenshotDir, "figures") });
  check(`figure lint on the site: ${lint.figures} figures in ${pages.length} pages readable`, lint.figures > 0 && lint.problems.length === 0, lint.problems.join("\n"));
}

const started = Date.now();
let context;
try {
  context = await chromium.launchPersistentContext(path.join(tempDir, "chromium-profile"), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumFlags,
    // Chromium writes crash reports and caches under $HOME whatever its --user-data-dir: keep them in the temp dir.
    env: { ...process.env, HOME: tempDir, XDG_CONFIG_HOME: path.join(tempDir, "config"), XDG_CACHE_HOME: path.join(tempDir, "cache") },
  });
  for (const test of [testJupyterLab, testSite]) {
    try {
      await test(context);
    } catch (error) {
      check(`${test.name} completes`, false, `${error.stack ?? error}`);
      if (serverLog && test === testJupyterLab) console.log(`JupyterLab log (last lines):\n${serverLog.split("\n").slice(-30).join("\n")}`);
    } finally {
      await stopServerAndWait();
    }
  }
} catch (error) {
  check("the browser starts", false, `${error.stack ?? error}`);
} finally {
  await context?.close().catch(() => {});
  await stopServerAndWait();
  rmSync(tempDir, { recursive: true, force: true });
}
const passed = results.filter((result) => result.ok).length;
const failed = results.length - passed;
console.log(`\nbrowser test: ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
