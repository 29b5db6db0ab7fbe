/**
 * The slides' text CRDT (lecture 8, "Operation-based text CRDT (1/2)" and "(2/2)"): every character
 * is a triple (p, n, v) with a position p strictly between 0 (the start marker ⊢) and 1 (the end
 * marker ⊣), the node n that inserted it, and the character v. The text is the characters in order of
 * (p, n). Inserting between two neighbours takes the midpoint of their positions, so positions never
 * need to change; insert and delete travel by causal broadcast (so a deletion never overtakes the
 * insertion it deletes).
 *
 * Positions are exact: each midpoint is a binary fraction, written as its digits after the point
 * ("1" is 0.5, "011" is 0.375; ⊢ is "0" and ⊣ is "1" with a flag), so a thousand inserts at the
 * same place still get distinct positions, as the slide's real numbers would.
 *
 * The algorithm is correct but has a known weakness, shown in notebook 08: two users who type words
 * at the same place at the same time get their letters interleaved (the positions of one word's
 * letters alternate with the other's). RGA (rga-text.ts) does not.
 *
 * A second limit of the simple algorithm: two characters inserted concurrently at the same place
 * get the same position (told apart only by node), and there is no position strictly between them:
 * the midpoint of equal positions is that position again. Logoot-style identifiers (a path of
 * (digit, node) pairs) fix it; the exercise keeps the slides' version.
 *
 * This file holds the data model (positions, triples, ELEMENTAT) and operational transformation;
 * the protocol itself is Exercise 8.4, solutions/text-crdt.ts, re-exported by text-crdt.ts here.
 */
import type { NodeId, Protocol } from "../../sim/protocol";
import type { BroadcastRequest } from "../broadcast/requests";

/** A position in [0, 1]: 0 and 1 are the markers; anything else is 0.<digits> in binary, last digit 1. */
export type Position = { readonly marker: "start" | "end" } | { readonly digits: string };

export const START: Position = { marker: "start" };
export const END: Position = { marker: "end" };

/** The position as numerator / 2^exponent. */
function asFraction(p: Position): { num: bigint; exp: number } {
  if ("marker" in p) return { num: p.marker === "start" ? 0n : 1n, exp: 0 };
  if (!/^[01]*1$/.test(p.digits)) throw new TypeError(`a position's binary digits must match [01]*1, got "${p.digits}"`);
  return { num: BigInt(`0b${p.digits}`), exp: p.digits.length };
}

/** Compares two positions as numbers (negative: p1 < p2). */
export function comparePositions(p1: Position, p2: Position): number {
  const a = asFraction(p1);
  const b = asFraction(p2);
  const exp = Math.max(a.exp, b.exp);
  const x = a.num << BigInt(exp - a.exp);
  const y = b.num << BigInt(exp - b.exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** (p1 + p2) / 2, exactly. */
export function midpoint(p1: Position, p2: Position): Position {
  const a = asFraction(p1);
  const b = asFraction(p2);
  const exp = Math.max(a.exp, b.exp);
  let num = (a.num << BigInt(exp - a.exp)) + (b.num << BigInt(exp - b.exp)); // over 2^(exp+1)
  let digits = exp + 1;
  while (num > 0n && (num & 1n) === 0n) {
    num >>= 1n;
    digits--;
  }
  if (num === 0n || digits === 0) throw new RangeError("midpoint: the neighbours must differ and lie in [0, 1]");
  return { digits: num.toString(2).padStart(digits, "0") };
}

/** The position as a decimal number (for tables and figures; it rounds after 53 binary digits). */
export function positionValue(p: Position): number {
  if ("marker" in p) return p.marker === "start" ? 0 : 1;
  let value = 0;
  for (let i = 0; i < Math.min(p.digits.length, 60); i++) if (p.digits[i] === "1") value += 2 ** -(i + 1);
  return value;
}

/** One triple (p, n, v). The markers have n = null. */
export interface Char {
  readonly p: Position;
  readonly n: NodeId | null;
  readonly v: string;
}

/** The order of the text: by position, then by node (the markers have no node). */
export function compareChars(a: Char, b: Char): number {
  return comparePositions(a.p, b.p) || ((a.n ?? "") < (b.n ?? "") ? -1 : (a.n ?? "") > (b.n ?? "") ? 1 : 0);
}

/**
 * ELEMENTAT(chars, index): the index-th triple in (p, n) order, ⊢ being the 0th. The slide finds the
 * minimum and recurses; the kit keeps `chars` sorted, so this is a lookup.
 */
export function elementAt(chars: readonly Char[], index: number): Char {
  const element = chars[index];
  if (element === undefined) throw new RangeError(`ELEMENTAT: index ${index} is outside the text (it has ${chars.length - 2} characters)`);
  return element;
}

/** The text between the markers. */
export function textOf(chars: readonly Char[]): string {
  return chars.slice(1, -1).map((c) => c.v).join("");
}

export type TextRequest =
  | { readonly type: "insert"; readonly index: number; readonly v: string }
  | { readonly type: "delete"; readonly index: number }
  | { readonly type: "read"; readonly index?: number };

export type TextMsg =
  | { readonly type: "Insert"; readonly p: Position; readonly n: NodeId; readonly v: string }
  | { readonly type: "Delete"; readonly p: Position; readonly n: NodeId };

export interface TextState {
  /** Sorted by (p, n), ⊢ first and ⊣ last. */
  chars: Char[];
}

/** What a read delivers: the whole text, or one character. */
export type TextRead = { readonly text: string } | { readonly index: number; readonly v: string };

/**
 * Operational transformation (slide "Operational transformation") for single-character edits:
 * `transform(op, against)` is `op` rewritten to apply after `against`, when both were made on the
 * same text. Inserts at the same index are ordered by node name (the tie-break every site uses).
 */
export type TextEdit = { readonly type: "insert"; readonly index: number; readonly v: string; readonly node: NodeId } | { readonly type: "delete"; readonly index: number; readonly node: NodeId };

export function transform(op: TextEdit, against: TextEdit): TextEdit | null {
  if (against.type === "insert") {
    const shifts = against.index < op.index || (against.index === op.index && (op.type === "delete" || against.node < op.node));
    return shifts ? { ...op, index: op.index + 1 } : op;
  }
  if (against.index < op.index) return { ...op, index: op.index - 1 };
  if (against.index === op.index && op.type === "delete") return null; // both deleted the same character
  return op;
}

/** Applies a single-character edit to a string (for OT demonstrations). */
export function applyEdit(text: string, op: TextEdit | null): string {
  if (op === null) return text;
  if (op.index < 0 || op.index > text.length - (op.type === "delete" ? 1 : 0)) throw new RangeError(`${op.type} at ${op.index} is outside "${text}"`);
  return op.type === "insert" ? text.slice(0, op.index) + op.v + text.slice(op.index) : text.slice(0, op.index) + text.slice(op.index + 1);
}
