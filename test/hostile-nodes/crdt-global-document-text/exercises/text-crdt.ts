// Hostile (8.4): no positions, no messages: every replica edits one module-level document by index
// and reads it back, so in one shared process all replicas read the same text at every moment, and
// sequential edits give exactly what one editor would have typed. Expect: a replica in a process of
// its own sees only its own edits; the replicas never converge and no test passes: 0 points.
import type { Protocol } from "../../../../src/sim/protocol";
import type { BroadcastRequest } from "../../../../src/protocols/broadcast/requests";
import type { TextMsg, TextRead, TextRequest, TextState } from "../../../../src/protocols/crdt/position-text";

/** The one document, shared by every replica that runs in this process. */
const documentText: string[] = [];

export function positionTextCrdt(): Protocol<TextState, TextMsg, TextRequest, BroadcastRequest> {
  return {
    name: "position-text",
    init: (ctx) => {
      if (ctx.nodeId === ctx.nodes[0]) documentText.length = 0;
      return { chars: [{ p: { marker: "start" }, n: null, v: "⊢" }, { p: { marker: "end" }, n: null, v: "⊣" }] };
    },
    request: (_state, req, ctx) => {
      if (req.type === "read") {
        ctx.deliver(req.index === undefined ? { text: documentText.join("") } : { index: req.index, v: documentText[req.index] ?? "" } satisfies TextRead);
      } else if (req.type === "insert") {
        documentText.splice(Math.min(req.index, documentText.length), 0, req.v);
      } else {
        documentText.splice(req.index, 1);
      }
    },
    receive: { Insert: () => {}, Delete: () => {} },
  };
}
