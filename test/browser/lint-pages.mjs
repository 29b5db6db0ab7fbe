#!/usr/bin/env node
// The figure lint on exported HTML pages (`npm run site` writes site/*.html):
//   node test/browser/lint-pages.mjs [--screenshots DIR] PAGE.html...
// Without pages: every site/*.html except index.html. Prints one line per problem and a screenshot
// of every figure (DIR, default build/screenshots/figures/), then `N figures, N with problems`.
// Exit status 1 when a figure has a problem. test/browser/run.mjs calls lintPages on the site.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { lintFigures, formatLint } = require("./figure-lint.cjs");

export const chromiumFlags = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Waits until every figure of the page is drawn (or `timeoutMs` passes). */
async function waitForFigures(page, timeoutMs) {
  await page
    .waitForFunction(
      () => {
        const figures = [...document.querySelectorAll(".ds-kit-figure")];
        return figures.every((el) => el.querySelector("svg.main-svg") || /needs the plotly library/.test(el.textContent ?? ""));
      },
      null,
      { timeout: timeoutMs },
    )
    .catch(() => {});
}

/**
 * Lints every figure of every page (file paths) in a playwright browser context; screenshots each
 * figure into screenshotDir when given. Returns {figures, problems: string[]}.
 */
export async function lintPages(context, files, { screenshotDir, timeoutMs = 60_000 } = {}) {
  let figureCount = 0;
  const problems = [];
  if (screenshotDir) mkdirSync(screenshotDir, { recursive: true });
  for (const file of files) {
    const name = path.basename(file).replace(/\.html$/, "");
    const page = await context.newPage();
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.goto(`file://${path.resolve(file)}`);
    await waitForFigures(page, timeoutMs);
    const drawnCount = await page.locator(".ds-kit-figure").count();
    const figures = await lintFigures(page);
    figureCount += figures.length;
    if (figures.length < drawnCount) problems.push(`${name}: ${drawnCount - figures.length} figure(s) not drawn`);
    problems.push(...formatLint(name, figures));
    if (screenshotDir) {
      const plots = page.locator(".js-plotly-plot");
      for (let k = 0; k < figures.length; k++) {
        await plots.nth(k).screenshot({ path: path.join(screenshotDir, `${name}-${String(k + 1).padStart(2, "0")}.png`) });
      }
    }
    await page.close();
  }
  return { figures: figureCount, problems };
}

async function main() {
  const { chromium } = await import("playwright-core");
  const here = path.dirname(fileURLToPath(import.meta.url));
  const repoRoot = path.resolve(here, "..", "..");
  const args = process.argv.slice(2);
  let screenshotDir = path.join(repoRoot, "build", "screenshots", "figures");
  const files = [];
  for (let k = 0; k < args.length; k++) {
    if (args[k] === "--screenshots") screenshotDir = args[++k];
    else files.push(args[k]);
  }
  if (files.length === 0) {
    const siteDir = path.join(repoRoot, "site");
    if (!existsSync(siteDir)) {
      console.error("error: no site/ (run `npm run site` first) and no pages given");
      process.exit(2);
    }
    files.push(...readdirSync(siteDir).filter((f) => f.endsWith(".html") && f !== "index.html").sort().map((f) => path.join(siteDir, f)));
  }
  const tempDir = mkdtempSync(path.join(os.tmpdir(), "ds-kit-lint-"));
  const context = await chromium.launchPersistentContext(path.join(tempDir, "profile"), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: chromiumFlags,
    env: { ...process.env, HOME: tempDir, XDG_CONFIG_HOME: path.join(tempDir, "config"), XDG_CACHE_HOME: path.join(tempDir, "cache") },
  });
  try {
    const result = await lintPages(context, files, { screenshotDir });
    for (const line of result.problems) console.log(line);
    console.log(`screenshots: ${path.relative(process.cwd(), screenshotDir)}`);
    console.log(`${result.figures} figures, ${result.problems.length} problems`);
    process.exitCode = result.problems.length === 0 ? 0 : 1;
  } finally {
    await context.close().catch(() => {});
    rmSync(tempDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
