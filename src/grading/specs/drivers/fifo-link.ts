/** Drivers of Exercise 2.1 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/fifo-link";
import { latency } from "../../../sim/network";
import { Simulation } from "../../../sim/simulation";

type Module = typeof Student;

export const NODE_NAMES = ["A", "B", "C", "D"];

/** Messages to send and nodes that crash (crash-stop): node and message fields are indices into the nodes. */
export interface LinkScenario {
  readonly seed: number;
  readonly nodes: number;
  readonly messages: readonly { readonly from: number; readonly to: number; readonly atMs: number }[];
  readonly crashes: readonly { readonly node: number; readonly atMs: number }[];
}

/** Requests the scenario's messages at their senders: the k-th is "from>to#k" (distinct, and it says who sent it to whom). */
export function requestSends(sim: Simulation, nodes: readonly string[], messages: LinkScenario["messages"]): void {
  messages.forEach((msg, k) => {
    const from = nodes[msg.from];
    const to = nodes[msg.to];
    sim.request(from, { type: "send", to, m: `${from}>${to}#${k}` }, msg.atMs);
  });
}

export const drivers = {
  /** Your FIFO link at every node, over reliable links that reorder, crash-stop faults; the trace as JSON. */
  run: (student: Module, input: LinkScenario): string => {
    const nodes = NODE_NAMES.slice(0, input.nodes);
    const sim = new Simulation({
      seed: `fifo-link-${input.seed}`,
      nodes,
      protocol: student.fifoLink(),
      network: { model: "reliable", latency: latency.uniform(1, 60) },
    });
    requestSends(sim, nodes, input.messages);
    for (const crash of input.crashes) sim.crash(nodes[crash.node], crash.atMs);
    return sim.run({ untilMs: 10_000 }).trace.toJSON();
  },
};
