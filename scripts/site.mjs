#!/usr/bin/env node
// `npm run site`: executes every notebooks/*.ipynb (scripts/run_notebooks.py, so prompt numbers are
// filled in) and exports a browsable static site to site/ (gitignored): index.html listing the
// lectures by their first heading, and one HTML page per notebook (nbconvert, lab template) whose
// figures are interactive offline. The 4.8 MB plotly library that each notebook's first figure
// inlines is moved to one shared site/plotly.js. Open site/index.html in a browser.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildDir, jupyterBin, jupyterEnv, repoRoot, requireVenv, venvPython } from "./lib/env.mjs";

requireVenv();
const started = Date.now();
const siteDir = path.join(repoRoot, "site");
const executedDir = path.join(buildDir, "executed");
const env = jupyterEnv();

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, env, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[site] error: \`${path.basename(command)} ${args.join(" ")}\` failed (status ${result.status})`);
    process.exit(1);
  }
}

// 1. Execute the notebooks into build/executed/ (the committed notebooks stay clean).
rmSync(executedDir, { recursive: true, force: true });
console.log("[site] executing notebooks");
run(venvPython, ["scripts/run_notebooks.py", "--output-dir", executedDir]);
const notebooks = readdirSync(executedDir).filter((name) => name.endsWith(".ipynb")).sort();

// 2. One HTML page per notebook.
rmSync(siteDir, { recursive: true, force: true });
mkdirSync(siteDir, { recursive: true });
console.log("[site] exporting HTML with nbconvert");
run(jupyterBin, [
  "nbconvert",
  "--to",
  "html",
  "--log-level=WARN",
  "--output-dir",
  siteDir,
  ...notebooks.map((name) => path.join(executedDir, name)),
]);

// 3. Move the inlined plotly library (see src/viz/display.ts) into one shared file, and drop the
// template's require.js, loaded from a CDN and used by nothing here (offline it only costs a failed
// request), and likewise its MathJax, also from a CDN: no notebook's Markdown uses TeX math, and the
// site must load nothing from the network (scripts/release/check-site.mjs checks it). A notebook that
// starts using math needs MathJax vendored into the site instead.
const requireJsScript = /<script src="https:\/\/cdnjs\.cloudflare\.com\/ajax\/libs\/(?:require\.js|mathjax)\/[^"]*">\s*<\/script>\n?/g;
const libraryScript = /<script data-ds-kit="plotly-library">([\s\S]*?)<\/script>/g;
let sharedLibraryHash;
for (const name of notebooks) {
  const file = path.join(siteDir, name.replace(/\.ipynb$/, ".html"));
  const html = readFileSync(file, "utf8");
  const replaced = html.replace(requireJsScript, "").replace(libraryScript, (whole, source) => {
    const hash = createHash("sha256").update(source).digest("hex");
    if (sharedLibraryHash === undefined) {
      writeFileSync(path.join(siteDir, "plotly.js"), source);
      sharedLibraryHash = hash;
    }
    // A different library (another plotly version) stays inline.
    return hash === sharedLibraryHash ? '<script data-ds-kit="plotly-library" src="plotly.js"></script>' : whole;
  });
  if (replaced !== html) writeFileSync(file, replaced);
}

// 4. The index: one entry per notebook, titled by its first Markdown heading.
function escapeHtml(text) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
function notebookTitle(name) {
  const notebook = JSON.parse(readFileSync(path.join(executedDir, name), "utf8"));
  for (const cell of notebook.cells) {
    if (cell.cell_type !== "markdown") continue;
    const source = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
    const heading = /^#{1,6}\s+(.+?)\s*#*\s*$/m.exec(source);
    if (heading) return heading[1].replace(/[*_`]/g, "");
  }
  return name.replace(/\.ipynb$/, "");
}
const entries = notebooks
  .map((name) => {
    const page = name.replace(/\.ipynb$/, ".html");
    return `    <li><a href="${escapeHtml(page)}">${escapeHtml(notebookTitle(name))}</a> <span class="file">${escapeHtml(name)}</span></li>`;
  })
  .join("\n");
writeFileSync(
  path.join(siteDir, "index.html"),
  `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Distributed Systems: the course notebooks</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; }
    li { margin: 0.4rem 0; }
    .file { color: #666; font-size: 0.85em; margin-left: 0.5em; }
  </style>
</head>
<body>
  <h1>Distributed Systems: the course notebooks</h1>
  <p>Kleppmann's Cambridge Distributed Systems course, one notebook per lecture, executed and exported.
  Figures are interactive and work offline.</p>
  <ol>
${entries}
  </ol>
</body>
</html>
`,
);

const pages = readdirSync(siteDir).map((name) => `${name} (${(statSync(path.join(siteDir, name)).size / 1e6).toFixed(2)} MB)`);
console.log(`[site] wrote ${path.relative(repoRoot, siteDir)}/: ${pages.join(", ")}`);
console.log(`[site] open file://${path.join(siteDir, "index.html")}`);
console.log(`[site] done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
