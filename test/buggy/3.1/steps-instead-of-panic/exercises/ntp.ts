/** BUGGY (steps however large the skew, never panics) variant of Exercise 3.1 (see exercises/ntp.ts for the contract). */
export type DisciplineAction = "slew" | "step" | "panic";

export interface AdjustableClock {
  step(deltaMs: number): void;
  slew(deltaMs: number, ratePpm?: number): void;
}

export function roundTripDelay(t1: number, t2: number, t3: number, t4: number): number {
  return t4 - t1 - (t3 - t2);
}

export function estimatedSkew(t1: number, t2: number, t3: number, t4: number): number {
  return t3 + roundTripDelay(t1, t2, t3, t4) / 2 - t4;
}
export function discipline(clock: AdjustableClock, thetaMs: number): DisciplineAction {
  if (Math.abs(thetaMs) < 125) {
    clock.slew(thetaMs);
    return "slew";
  }
  clock.step(thetaMs);
  return "step";
}
