/**
 * `npm run grade -- <folder> --shard I/N`: the shards of a folder of submissions are disjoint, cover
 * it, and each writes its own gradebook; bad values are refused with a message naming the option.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { kitRoot } from "../../../src/grading/registry";

function grade(args: string[]) {
  const run = spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(kitRoot, "scripts", "grade.ts"), ...args], { cwd: kitRoot, encoding: "utf8" });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run grade --shard I/N", function () {
  this.timeout(180_000);
  let dir: string;
  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "grade-shard-"));
    fs.chmodSync(dir, 0o755); // the sandbox may run as nobody
    for (const name of ["s1", "s2", "s3", "s4", "s5"]) {
      fs.mkdirSync(path.join(dir, "subs", name, "exercises"), { recursive: true });
      fs.copyFileSync(path.join(kitRoot, "exercises", "lamport-clock.ts"), path.join(dir, "subs", name, "exercises", "lamport-clock.ts"));
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("splits the sorted submissions round-robin, one gradebook per shard, together every submission once", function () {
    const rows: string[] = [];
    for (const shard of ["0/2", "1/2"]) {
      const out = path.join(dir, `out-${shard.replace("/", "-")}`);
      const run = grade([path.join(dir, "subs"), "--test", "4.2", "--jobs", "1", "--shard", shard, "--out", out]);
      assert.equal(run.status, 0, run.stderr);
      const [index, count] = shard.split("/");
      const csv = fs.readFileSync(path.join(out, `gradebook-shard-${index}-of-${count}.csv`), "utf8").trim().split("\n");
      assert.match(csv[0] ?? "", /^submission,score,max_score/);
      rows.push(...csv.slice(1).map((line) => line.split(",")[0] as string));
      if (shard === "0/2") assert.deepEqual(csv.slice(1).map((line) => line.split(",")[0]), ["s1", "s3", "s5"]);
    }
    assert.deepEqual([...rows].sort(), ["s1", "s2", "s3", "s4", "s5"]);
  });

  it("refuses an index out of range, a malformed value, and a single submission", function () {
    assert.match(grade([path.join(dir, "subs"), "--shard", "2/2"]).stderr, /--shard needs I\/N with 0 <= I < N.*got 2\/2/);
    assert.match(grade([path.join(dir, "subs"), "--shard", "one"]).stderr, /--shard needs I\/N/);
    assert.match(grade([path.join(dir, "subs", "s1"), "--shard", "0/2"]).stderr, /--shard applies to a folder of submissions/);
  });
});
