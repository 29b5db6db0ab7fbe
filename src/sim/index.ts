/** The simulator's public API. */
export { Simulation } from "./simulation";
export { simulate, checkScenario } from "./scenario";
export type { Scenario, ScenarioFault, ScenarioNetwork, ScenarioRequest, ScenarioLatency, SimulateOptions, Simulated } from "./scenario";
export type { SimulationOptions, SimulationLimits, RunOptions, RunResult } from "./simulation";
export { latency } from "./network";
export type { Latency, NetworkOptions, NetworkModel, TimingOptions, Adversary, Arrival, InFlight, AdversaryTools, LinkOptions } from "./network";
export { Trace } from "./trace";
export type { TraceHeader } from "./trace";
export type * from "./trace-events";
export type * from "./protocol";
export { PhysicalClock, MAX_SLEW_PPM } from "./clock";
export type { ClockOptions } from "./clock";
export { SeededRandom, RandomStreams } from "./random";
export { byzantine } from "./byzantine";
export type { ByzantineEvent } from "./byzantine";
export { SimulationInputError, SimulationBoundError, ProtocolError } from "./errors";
export { startingFrom } from "./initial-state";
export type { InitialStorage } from "./initial-state";
