/** Byte helpers for the framing demonstrations (lecture 1, "Remote Procedure Call (RPC)"). */

/** Concatenates byte arrays (the stream a sender writes). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** UTF-8 text to bytes, so notebooks can frame JSON messages like the slides' m1 and m2. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Bytes to UTF-8 text; malformed UTF-8 throws. */
export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
