// Hostile: opens a TCP connection to the grader's machine (loopback port 47231) at import, to leak
// what it sees or fetch answers. Expect: where the grader runs as root, the sandbox has a network
// namespace of its own and the connection never arrives; either way it earns 0 points.
/* eslint-disable @typescript-eslint/no-require-imports */
export interface LamportClock { t: number }
try {
  const socket = require("node:net").connect(47231, "127.0.0.1");
  socket.on("connect", () => socket.end("hello from the sandbox"));
  socket.on("error", () => undefined);
} catch {
  // refused
}
export function createLamportClock(): LamportClock { return { t: 5 }; }
export function tick(clock: LamportClock): number { return clock.t; }
export function send(clock: LamportClock): number { return clock.t; }
export function receive(clock: LamportClock, tPrime: number): number { return Math.max(clock.t, tPrime); }
