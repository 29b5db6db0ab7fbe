#!/usr/bin/env node
// Release check of the static site (`npm run site`), offline:
//   node scripts/release/check-site.mjs [--build] [SITE_DIR]      (default: site/)
// --build runs `npm run site` first. Then every .html and .css file of the site is read and each
// link and asset it names is walked without a network:
//   - assets (script src, link href, img/source/iframe/video/audio/embed src, CSS url()) must be
//     relative paths to files inside the site: the site must work from a folder, a file:// URL, a
//     USB stick or any web server path;
//   - links (<a href>) inside the site must be relative and reach an existing file (and, with a
//     #fragment, an element with that id or name); links to other sites are allowed (they are
//     the references the notebooks cite) and counted, not fetched;
//   - a path starting with "/" is refused everywhere (it breaks under any sub-path).
// Prints every problem with its file; exit status 1 when there is any.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../lib/env.mjs";

const argv = process.argv.slice(2);
const build = argv.includes("--build");
const siteDir = path.resolve(argv.find((a) => !a.startsWith("--")) ?? path.join(repoRoot, "site"));

if (build) {
  const started = Date.now();
  const result = spawnSync(process.execPath, [path.join(repoRoot, "scripts", "site.mjs")], { cwd: repoRoot, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`[site-check] npm run site failed (status ${result.status})`);
    process.exit(1);
  }
  console.log(`[site-check] npm run site: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
if (!existsSync(path.join(siteDir, "index.html"))) {
  console.error(`[site-check] ${siteDir}/index.html is missing (run npm run site, or pass --build)`);
  process.exit(1);
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

/** The references of one HTML text: { kind: "asset" | "link", url, tag }. Script and style bodies are
 * not markup (a script may hold "<a href=...>" in a string), but style bodies are scanned for url(). */
function referencesOfHtml(html) {
  const refs = [];
  const styles = [];
  const markup = html
    .replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, "$1</script>")
    .replace(/(<style\b[^>]*>)([\s\S]*?)<\/style>/gi, (_, open, body) => {
      styles.push(body);
      return `${open}</style>`;
    })
    .replace(/<!--[\s\S]*?-->/g, "");
  for (const tag of markup.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*)>/g)) {
    const name = tag[1].toLowerCase();
    for (const attr of tag[2].matchAll(/\s(href|src|poster|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
      const url = (attr[2] ?? attr[3] ?? attr[4] ?? "").replace(/&amp;/g, "&").trim();
      const isLink = name === "a" || name === "area" || (name === "link" && !/rel\s*=\s*["']?[^"'>]*\b(stylesheet|icon|preload|modulepreload|manifest)\b/i.test(tag[2]));
      refs.push({ kind: isLink ? "link" : "asset", url, tag: name });
    }
    const style = /\sstyle\s*=\s*"([^"]*)"/i.exec(tag[2]);
    if (style) styles.push(style[1].replace(/&quot;/g, '"'));
  }
  for (const css of styles) refs.push(...referencesOfCss(css));
  return refs;
}

function referencesOfCss(css) {
  return Array.from(css.matchAll(/url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)/g), (m) => ({ kind: "asset", url: m[1] ?? m[2] ?? m[3] ?? "", tag: "css url()" }))
    .concat(Array.from(css.matchAll(/@import\s+["']([^"']+)["']/g), (m) => ({ kind: "asset", url: m[1], tag: "css @import" })));
}

const safeDecode = (text) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
const problems = [];
let external = 0;
let checked = 0;
const idsCache = new Map();
function idsOf(file) {
  if (!idsCache.has(file)) {
    const html = readFileSync(file, "utf8");
    const entities = (text) =>
      text.replace(/&(#x[0-9a-f]+|#\d+|quot|apos|amp|lt|gt);/gi, (_, e) =>
        e[0] === "#" ? String.fromCodePoint(Number(e[1] === "x" || e[1] === "X" ? `0${e.slice(1)}` : e.slice(1))) : { quot: '"', apos: "'", amp: "&", lt: "<", gt: ">" }[e.toLowerCase()]);
    idsCache.set(file, new Set(Array.from(html.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/g), (m) => entities(m[1] ?? m[2] ?? ""))));
  }
  return idsCache.get(file);
}

const files = filesUnder(siteDir);
for (const file of files.filter((f) => /\.(html?|css)$/i.test(f))) {
  const text = readFileSync(file, "utf8");
  const rel = path.relative(siteDir, file);
  const refs = /\.css$/i.test(file) ? referencesOfCss(text) : referencesOfHtml(text);
  for (const { kind, url, tag } of refs) {
    if (url === "" || /^(data|javascript|mailto|about|blob):/i.test(url)) continue;
    checked += 1;
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(url)) {
      if (kind === "asset") problems.push(`${rel}: <${tag}> loads ${url} from the network (assets must be files of the site)`);
      else external += 1;
      continue;
    }
    if (url.startsWith("/")) {
      problems.push(`${rel}: <${tag}> ${url} is a root-absolute path (use a path relative to the page)`);
      continue;
    }
    const [beforeHash, fragment] = url.split("#", 2);
    const pathPart = safeDecode(beforeHash.split("?")[0]);
    const target = pathPart === "" ? file : path.resolve(path.dirname(file), pathPart);
    if (path.relative(siteDir, target).startsWith("..")) {
      problems.push(`${rel}: <${tag}> ${url} points outside the site folder`);
      continue;
    }
    if (!existsSync(target) || statSync(target).isDirectory() && !existsSync(path.join(target, "index.html"))) {
      problems.push(`${rel}: <${tag}> ${url}: no such file in the site`);
      continue;
    }
    // As browsers do: the fragment as written, then percent-decoded (nbconvert's heading ids keep
    // the percent-encoding of characters such as "≠").
    const ids = fragment ? idsOf(target) : undefined;
    if (fragment && /\.html?$/i.test(target) && !ids.has(fragment) && !ids.has(safeDecode(fragment))) {
      problems.push(`${rel}: <${tag}> ${url}: ${path.relative(siteDir, target)} has no element with id "${fragment}"`);
    }
  }
}

const pages = files.filter((f) => /\.html?$/i.test(f)).length;
for (const problem of problems) console.log(`  FAIL ${problem}`);
console.log(`[site-check] ${pages} page(s), ${checked} reference(s) walked, ${external} link(s) to other sites (not fetched), ${problems.length} problem(s)`);
process.exit(problems.length === 0 ? 0 : 1);
