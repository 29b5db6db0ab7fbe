// @ts-nocheck
// the path is the submission's (exercises/ beside src/ in the sandbox), not this folder's.
// Hostile: Exercise 3.2 answered with the library's relation (src/checks/happens-before.ts, which
// the handout ships: the kit's checkers need it). That relation reads a trace, one global order of
// events; the exercise gives each node's own log and no global order. Putting the logs one after the
// other (what a wrapper would do first) puts receipts before their sends whenever a message goes to
// an earlier node, and the library refuses such a trace. Expect 0: the library holds no answer to
// the exercise as asked (finding an order consistent with the messages is the exercise's own work).
import { HappensBefore } from "../src/checks/happens-before";

const relations = new WeakMap();

function relationOf(logs) {
  let found = relations.get(logs);
  if (found === undefined) {
    const position = new Map();
    const events = [];
    for (const [node, log] of Object.entries(logs)) {
      log.forEach((e, index) => {
        position.set(`${node} ${index}`, events.length);
        const i = events.length;
        events.push({ i, t: i, node, local: i, kind: e.kind === "send" || e.kind === "receive" ? e.kind : "log", msgId: e.msgId });
      });
    }
    found = { relation: new HappensBefore({ events, nodes: Object.keys(logs) }), position };
    relations.set(logs, found);
  }
  return found;
}

export function happensBefore(logs, a, b) {
  const { relation, position } = relationOf(logs);
  return relation.happensBefore(position.get(`${a.node} ${a.index}`), position.get(`${b.node} ${b.index}`));
}

export function concurrent(logs, a, b) {
  const { relation, position } = relationOf(logs);
  return relation.concurrent(position.get(`${a.node} ${a.index}`), position.get(`${b.node} ${b.index}`));
}
