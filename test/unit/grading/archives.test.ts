/**
 * Archives are untrusted input: sizes are judged from their headers before anything is inflated, so
 * a small zip that would inflate to gigabytes is refused at once, with a message that says why.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import AdmZip from "adm-zip";
import { prepareSubmission, submissionBytesMax } from "../../../src/grading/prepare";
import { kitRoot } from "../../../src/grading/registry";

describe("grading/prepare: archives", function () {
  this.timeout(60_000);
  let tmp: string;
  before(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "archives-"))));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("a zip bomb (a few hundred KB inflating past the cap) is refused from its headers, before inflating", async () => {
    const zip = new AdmZip();
    zip.addFile("exercises/lamport-clock.ts", Buffer.alloc(submissionBytesMax + (8 << 20), 0x20));
    const file = path.join(tmp, "bomb.zip");
    zip.writeZip(file);
    assert.ok(fs.statSync(file).size < 1 << 20, "the archive itself is small");
    const heapBefore = process.memoryUsage().arrayBuffers;
    await assert.rejects(prepareSubmission(file, kitRoot, []), /archive holds more than 20 MB/);
    assert.ok(process.memoryUsage().arrayBuffers - heapBefore < submissionBytesMax, "nothing was inflated");
  });

  it("an entry whose header hides its size is refused", async () => {
    const zip = new AdmZip();
    zip.addFile("exercises/lamport-clock.ts", Buffer.alloc(1 << 20, 0x20));
    const bytes = zip.toBuffer();
    // Zero the uncompressed size in the central directory (offset 24 of its entry).
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(0, central + 24);
    const file = path.join(tmp, "liar.zip");
    fs.writeFileSync(file, bytes);
    await assert.rejects(prepareSubmission(file, kitRoot, []), /declares no size|could not|invalid|size/i);
  });
});
