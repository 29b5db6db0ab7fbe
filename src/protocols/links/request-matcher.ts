/**
 * Pairing responses with outstanding requests (lecture 1, "Remote Procedure Call (RPC)").
 *
 * A client may have several requests in flight on one connection; the server may answer them in any
 * order. Each request carries an id; the matcher remembers what is outstanding and hands back the
 * request a response belongs to. A response nobody is waiting for (unknown id, or answered already)
 * is reported, not silently accepted: on a real connection it means a bug or a confused peer.
 */

export class MatchError extends Error {
  constructor(message: string, readonly requestId: number) {
    super(message);
    this.name = "MatchError";
  }
}

export interface Matched<Req, Res> {
  readonly requestId: number;
  readonly request: Req;
  readonly response: Res;
}

export class RequestMatcher<Req> {
  private readonly outstanding = new Map<number, Req>();
  private nextRequestId: number;

  /** maxOutstanding bounds the in-flight table: a client that never hears back must not grow it forever. */
  constructor(readonly maxOutstanding = 1024, firstRequestId = 0) {
    this.nextRequestId = firstRequestId;
  }

  /** Records a new request and returns the id to send it with. */
  register(request: Req): number {
    if (this.outstanding.size >= this.maxOutstanding) {
      throw new MatchError(`too many outstanding requests (maxOutstanding ${this.maxOutstanding})`, this.nextRequestId);
    }
    const requestId = this.nextRequestId;
    this.nextRequestId += 1;
    this.outstanding.set(requestId, request);
    return requestId;
  }

  /** The request this response answers; it is no longer outstanding afterwards. */
  match<Res>(requestId: number, response: Res): Matched<Req, Res> {
    const request = this.outstanding.get(requestId);
    if (request === undefined) {
      throw new MatchError(`response for request ${requestId}, which is not outstanding (unknown or already answered)`, requestId);
    }
    this.outstanding.delete(requestId);
    return { requestId, request, response };
  }

  /** Gives up on a request (e.g. after a timeout); a late response to it is then an error. */
  abandon(requestId: number): boolean {
    return this.outstanding.delete(requestId);
  }

  /** Ids still waiting for a response, in ascending order. */
  outstandingIds(): number[] {
    return [...this.outstanding.keys()].sort((a, b) => a - b);
  }
}

/**
 * Pure form: pairs each response (id, value) with the request of that id. Returns the pairs in
 * response order, the responses that matched nothing, and the requests still unanswered.
 */
export function pairResponses<Req, Res>(
  requests: readonly { requestId: number; request: Req }[],
  responses: readonly { requestId: number; response: Res }[],
): { pairs: Matched<Req, Res>[]; unmatched: { requestId: number; response: Res }[]; unanswered: number[] } {
  const open = new Map<number, Req>();
  for (const r of requests) {
    if (open.has(r.requestId)) throw new MatchError(`two requests with id ${r.requestId}`, r.requestId);
    open.set(r.requestId, r.request);
  }
  const pairs: Matched<Req, Res>[] = [];
  const unmatched: { requestId: number; response: Res }[] = [];
  for (const r of responses) {
    const request = open.get(r.requestId);
    if (request === undefined) {
      unmatched.push(r);
      continue;
    }
    open.delete(r.requestId);
    pairs.push({ requestId: r.requestId, request, response: r.response });
  }
  return { pairs, unmatched, unanswered: [...open.keys()].sort((a, b) => a - b) };
}
