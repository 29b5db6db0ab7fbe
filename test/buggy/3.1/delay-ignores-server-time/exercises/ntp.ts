/** BUGGY (the round trip counts the server's processing time as network delay) variant of Exercise 3.1 (see exercises/ntp.ts for the contract). */
export type DisciplineAction = "slew" | "step" | "panic";

export interface AdjustableClock {
  step(deltaMs: number): void;
  slew(deltaMs: number, ratePpm?: number): void;
}

export function roundTripDelay(t1: number, t2: number, t3: number, t4: number): number {
  return t4 - t1;
}

export function estimatedSkew(t1: number, t2: number, t3: number, t4: number): number {
  return t3 + roundTripDelay(t1, t2, t3, t4) / 2 - t4;
}

export function discipline(clock: AdjustableClock, thetaMs: number): DisciplineAction {
  const magnitude = Math.abs(thetaMs);
  if (magnitude < 125) {
    clock.slew(thetaMs);
    return "slew";
  }
  if (magnitude < 1_000_000) {
    clock.step(thetaMs);
    return "step";
  }
  return "panic";
}
