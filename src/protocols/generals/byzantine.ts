/**
 * The Byzantine generals problem (lecture 2): "Generals who might lie" and the 3f + 1 bound.
 *
 * A commander sends an order (attack or retreat) to the lieutenants; up to f generals (possibly the
 * commander) are traitors who may send anything. The loyal generals must satisfy
 *   IC1 (agreement): all loyal lieutenants decide the same order;
 *   IC2 (validity):  if the commander is loyal, every loyal lieutenant decides the commander's order.
 *
 * We implement the oral messages algorithm OM(m) of Lamport, Shostak and Pease (1982) and check it
 * against every traitor strategy by exhaustive search: a traitor's every message is a choice point.
 */
import { exploreEachChoice, type Choose, type ChoiceLimits } from "../../explore/choices";

export type Order = "attack" | "retreat";
/** What a lieutenant assumes when it receives nothing (OM's default order). */
export const DEFAULT_ORDER: Order = "retreat";

export type GeneralId = number;

/** majority(v1, ..., vk): the order most values say; a tie gives the default. */
export function majority(values: readonly Order[]): Order {
  let attack = 0;
  for (const v of values) if (v === "attack") attack += 1;
  const retreat = values.length - attack;
  if (attack > retreat) return "attack";
  if (retreat > attack) return "retreat";
  return DEFAULT_ORDER;
}

/**
 * OM(m): `commander` sends `value` to each of `lieutenants`; the result maps each lieutenant to the
 * order it uses for this instance. A traitor's messages come from `choose` (0 = attack, 1 = retreat),
 * so the explorer can try every possible lie.
 */
export function oralMessages(
  m: number,
  commander: GeneralId,
  lieutenants: readonly GeneralId[],
  value: Order,
  traitors: ReadonlySet<GeneralId>,
  choose: Choose,
): Map<GeneralId, Order> {
  // (1) The commander sends its value to every lieutenant (a traitor sends whatever it likes).
  const received = new Map<GeneralId, Order>();
  for (const l of lieutenants) {
    received.set(l, traitors.has(commander) ? (choose(2) === 0 ? "attack" : "retreat") : value);
  }
  // OM(0): each lieutenant uses the value it received.
  if (m === 0) return received;
  // (2) For each i, lieutenant i acts as commander in OM(m - 1), sending vi to the others.
  const relayed = new Map<GeneralId, Map<GeneralId, Order>>();
  for (const i of lieutenants) {
    relayed.set(i, oralMessages(m - 1, i, lieutenants.filter((j) => j !== i), received.get(i)!, traitors, choose));
  }
  // (3) Lieutenant j uses majority(v1, ..., vn-1): its own vj and what it got from each other i.
  const decided = new Map<GeneralId, Order>();
  for (const j of lieutenants) {
    const values: Order[] = [received.get(j)!];
    for (const i of lieutenants) if (i !== j) values.push(relayed.get(i)!.get(j) ?? DEFAULT_ORDER);
    decided.set(j, majority(values));
  }
  return decided;
}

export interface ByzantineViolation {
  readonly condition: "IC1 agreement" | "IC2 validity";
  readonly commanderOrder: Order;
  readonly traitors: readonly GeneralId[];
  /** The traitors' messages, as explorer choices (0 = attack, 1 = retreat, in sending order). */
  readonly traitorChoices: readonly number[];
  readonly decisions: Readonly<Record<number, Order>>;
  readonly description: string;
}

export interface ByzantineSearchResult {
  readonly n: number;
  readonly f: number;
  /** Rounds of OM used (m = f). */
  readonly m: number;
  /** Executions tried (commander orders × traitor sets × traitor strategies). */
  readonly executions: number;
  readonly agreementHolds: boolean;
  /** The first violation found, if any. */
  readonly violation?: ByzantineViolation;
}

function subsets(n: number, size: number): GeneralId[][] {
  const out: GeneralId[][] = [];
  const pick = (start: number, acc: GeneralId[]) => {
    if (acc.length === size) return void out.push([...acc]);
    for (let g = start; g < n; g++) pick(g + 1, [...acc, g]);
  };
  pick(0, []);
  return out;
}

/**
 * Does OM(f) reach agreement among n generals with f traitors? Tries both commander orders, every
 * set of f traitors (general 0 is the commander) and every traitor strategy, exhaustively. Bounded:
 * `limits.maxRuns` is per traitor set; exceeding it throws ExplorationBoundError naming the bound.
 */
export function searchByzantineAgreement(n: number, f: number, limits: ChoiceLimits = { maxRuns: 1 << 16 }): ByzantineSearchResult {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`n must be an integer >= 2, got ${n}`);
  if (!Number.isInteger(f) || f < 0 || f >= n) throw new RangeError(`f must be an integer in [0, n), got ${f}`);
  const m = f;
  const lieutenants = Array.from({ length: n - 1 }, (_, i) => i + 1);
  let executions = 0;
  for (const commanderOrder of ["attack", "retreat"] as const) {
    for (const traitorList of subsets(n, f)) {
      const traitors = new Set(traitorList);
      let violation: ByzantineViolation | undefined;
      const loyal = lieutenants.filter((l) => !traitors.has(l));
      executions += exploreEachChoice(
        (choose) => oralMessages(m, 0, lieutenants, commanderOrder, traitors, choose),
        (run) => {
          const decisions: Record<number, Order> = {};
          for (const l of loyal) decisions[l] = run.result.get(l)!;
          const distinct = new Set(loyal.map((l) => decisions[l]));
          const condition = distinct.size > 1
            ? ("IC1 agreement" as const)
            : !traitors.has(0) && loyal.some((l) => decisions[l] !== commanderOrder)
              ? ("IC2 validity" as const)
              : undefined;
          if (condition === undefined) return;
          violation = {
            condition, commanderOrder, traitors: traitorList, traitorChoices: run.choices, decisions,
            description: `${condition} violated with n = ${n}, traitors {${traitorList.join(", ")}}, commander says ${commanderOrder}: ` +
              loyal.map((l) => `general ${l} decides ${decisions[l]}`).join(", "),
          };
          return "stop";
        },
        limits,
      );
      // (The cast: TypeScript does not see the assignment inside the callback.)
      const found = violation as ByzantineViolation | undefined;
      if (found !== undefined) return { n, f, m, executions, agreementHolds: false, violation: found };
    }
  }
  return { n, f, m, executions, agreementHolds: true };
}

/** The 3f + 1 table: for each f and n, whether OM(f) reached agreement in every execution searched. */
export function byzantineBoundTable(
  cells: readonly { n: number; f: number }[],
  limits?: ChoiceLimits,
): { n: number; f: number; agreementHolds: boolean; executions: number; theorem: boolean }[] {
  return cells.map(({ n, f }) => {
    const r = searchByzantineAgreement(n, f, limits);
    return { n, f, agreementHolds: r.agreementHolds, executions: r.executions, theorem: n >= 3 * f + 1 };
  });
}

/**
 * "Generals who might lie" with three generals and one traitor. A message is who said what to whom;
 * a relayed message says what its sender claims the commander said.
 */
export interface ThreeGeneralsExecution {
  readonly name: string;
  readonly traitor: GeneralId;
  /** Messages received by each general: [from, claim]. */
  readonly received: Readonly<Record<number, readonly (readonly [GeneralId, string])[]>>;
  /** What the honest general 3 must decide for IC1/IC2 in this execution. */
  readonly general3Must: string;
}

/**
 * Two executions that general 3 cannot tell apart: in the first the commander (general 1) is a
 * traitor who tells general 2 "attack" and general 3 "retreat"; in the second the commander
 * honestly says "retreat" to both, and general 2 is the traitor who claims to have heard "attack".
 * General 3 receives exactly the same messages in both, yet must follow the commander's "retreat"
 * in the second (validity), and decide like general 2 in the first (agreement).
 */
export function threeGeneralsIndistinguishable(): [ThreeGeneralsExecution, ThreeGeneralsExecution] {
  return [
    {
      name: "general 1 (commander) is the traitor",
      traitor: 1,
      received: {
        2: [[1, "attack"]],
        3: [[1, "retreat"], [2, "general 1 said attack"]],
      },
      general3Must: "the same as honest general 2, who heard 'attack' from the commander",
    },
    {
      name: "general 2 is the traitor",
      traitor: 2,
      received: {
        2: [[1, "retreat"]],
        3: [[1, "retreat"], [2, "general 1 said attack"]],
      },
      general3Must: "retreat, as the honest commander ordered",
    },
  ];
}

/** What a general saw in an execution, in a canonical form that can be compared. */
export function viewOf(execution: ThreeGeneralsExecution, general: GeneralId): string {
  const msgs = execution.received[general] ?? [];
  return JSON.stringify([...msgs].map((m) => `${m[0]}:${m[1]}`).sort());
}
