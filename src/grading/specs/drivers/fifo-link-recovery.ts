/** Drivers of Exercise 2.2 (run with the student's code; see src/grading/define.ts). */
import type * as Student from "../../../../exercises/fifo-link-recovery";
import { latency } from "../../../sim/network";
import { Simulation } from "../../../sim/simulation";
import { stack } from "../../../protocols/stack";
import { reliableLink } from "../../../protocols/links/reliable-link";
import { NODE_NAMES, requestSends, type LinkScenario } from "./fifo-link";

type Module = typeof Student;

/** Messages to send, and crash-recovery faults: each crash is followed by a recovery downMs later. */
export interface RecoveryScenario {
  readonly seed: number;
  readonly nodes: number;
  readonly loss: number;
  readonly messages: LinkScenario["messages"];
  readonly crashes: readonly { readonly node: number; readonly atMs: number; readonly downMs: number }[];
}

export const drivers = {
  /** Your layer over a durable reliable link at every node, fair-loss links, crashes and recoveries; the trace as JSON. */
  run: (student: Module, input: RecoveryScenario): string => {
    const nodes = NODE_NAMES.slice(0, input.nodes);
    const sim = new Simulation({
      seed: `fifo-link-recovery-${input.seed}`,
      nodes,
      protocol: stack(student.fifoLinkRecovery(), reliableLink({ durable: true, retransmitMs: 60 })),
      network: { model: "fair-loss", latency: latency.uniform(1, 40), loss: input.loss, duplicate: 0.1 },
    });
    requestSends(sim, nodes, input.messages);
    for (const crash of input.crashes) sim.crash(nodes[crash.node], crash.atMs, { recoverAtMs: crash.atMs + crash.downMs });
    return sim.run({ untilMs: 20_000 }).trace.toJSON();
  },
};
