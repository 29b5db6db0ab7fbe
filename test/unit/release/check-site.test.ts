/**
 * scripts/release/check-site.mjs on small hand-made sites: a site of relative links and local
 * assets passes; each way of depending on the network or on the site's location is reported.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const checker = path.resolve(__dirname, "..", "..", "..", "scripts", "release", "check-site.mjs");

function site(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-site-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function check(dir: string) {
  const run = spawnSync(process.execPath, [checker, dir], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: run.status, output: run.stdout + run.stderr };
}

const good = {
  "index.html": `<html><head><link rel="stylesheet" href="style.css"><script src="plotly.js"></script>
<script>const s = '<a href="/not-markup">'; import("https://example.org/only-if-needed.mjs");</script></head>
<body><a href="lectures/01.html#clocks">lecture 1</a> <a href="https://www.cl.cam.ac.uk/">the course</a>
<a href="#top" id="top">top</a><img src="img/a%20b.png"></body></html>`,
  "style.css": `body { background: url("img/a b.png"); }`,
  "plotly.js": "// library",
  "img/a b.png": "png",
  "lectures/01.html": `<h2 id="clocks">Clocks</h2><a href="../index.html">back</a>
<h2 id="The-slides'-text-CRDT">x</h2><a href="#The-slides'-text-CRDT">apostrophe</a>
<h2 id="Two-generals-%E2%89%A0-shopping">y</h2><a href="#Two-generals-%E2%89%A0-shopping">nbconvert's encoded id</a>
<h2 id="r-&amp;-w">z</h2><a href="#r-&amp;-w">entity</a>`,
};

describe("scripts/release/check-site.mjs", function () {
  this.timeout(20_000);

  it("passes a site of relative links and local assets, counting links to other sites", function () {
    const { status, output } = check(site(good));
    assert.equal(status, 0, output);
    assert.match(output, /2 page\(s\), \d+ reference\(s\) walked, 1 link\(s\) to other sites \(not fetched\), 0 problem\(s\)/);
  });

  const broken: [string, Record<string, string>, RegExp][] = [
    ["a script from a CDN", { "index.html": `<script src="https://cdn.example/m.js"></script>` }, /<script> loads https:\/\/cdn\.example\/m\.js from the network/],
    ["a protocol-relative stylesheet", { "index.html": `<link rel="stylesheet" href="//cdn.example/s.css">` }, /<link> loads \/\/cdn\.example\/s\.css from the network/],
    ["a root-absolute link", { "index.html": `<a href="/lectures/01.html">x</a>` }, /\/lectures\/01\.html is a root-absolute path/],
    ["a missing page", { "index.html": `<a href="lectures/02.html">x</a>` }, /lectures\/02\.html: no such file in the site/],
    ["a missing anchor", { "index.html": `<a href="p.html#nope">x</a>`, "p.html": `<h1 id="yes">` }, /p\.html has no element with id "nope"/],
    ["a link out of the site's folder", { "index.html": `<a href="../elsewhere.html">x</a>` }, /points outside the site folder/],
    ["a CSS image that is not there", { "index.html": `<link rel="stylesheet" href="s.css">`, "s.css": `div { background: url(missing.png) }` }, /s\.css: <css url\(\)> missing\.png: no such file/],
  ];
  for (const [what, files, message] of broken) {
    it(`reports ${what}`, function () {
      const { status, output } = check(site(files));
      assert.equal(status, 1, output);
      assert.match(output, message);
    });
  }

  it("refuses a folder without index.html", function () {
    const { status, output } = check(site({ "page.html": "<p>" }));
    assert.equal(status, 1);
    assert.match(output, /index\.html is missing/);
  });
});
