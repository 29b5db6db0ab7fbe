/**
 * A reader for the part of EDN (Clojure's data notation) that Jepsen and Knossos histories use:
 * vectors, lists, maps, sets, keywords, strings, integers, floats, nil, true/false, `;` comments,
 * commas as whitespace, `#_` discards. Keywords become strings without the colon; maps become plain
 * objects keyed by the keyword's name. An error names the line and column.
 */

export type Edn = null | boolean | number | string | Edn[] | { [key: string]: Edn };

export function parseEdn(text: string, source = "EDN"): Edn[] {
  let at = 0;
  const where = (): string => {
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    return `${source} line ${line}, column ${at - before.lastIndexOf("\n")}`;
  };
  const skip = (): void => {
    for (;;) {
      const c = text[at];
      if (c === undefined) return;
      if (c === ";") {
        while (at < text.length && text[at] !== "\n") at++;
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") at++;
      else return;
    }
  };
  const symbolEnd = (): number => {
    let end = at;
    while (end < text.length && !/[\s,()[\]{}";]/.test(text[end]!)) end++;
    return end;
  };
  const readUntil = (close: string): Edn[] => {
    const items: Edn[] = [];
    for (;;) {
      skip();
      if (at >= text.length) throw new SyntaxError(`${where()}: missing "${close}"`);
      if (text[at] === close) {
        at++;
        return items;
      }
      const item = read();
      if (item !== DISCARDED) items.push(item as Edn);
    }
  };
  const DISCARDED = Symbol("discarded");
  const read = (): Edn | typeof DISCARDED => {
    skip();
    const c = text[at];
    if (c === undefined) throw new SyntaxError(`${where()}: unexpected end of input`);
    if (c === "[" || c === "(") {
      at++;
      return readUntil(c === "[" ? "]" : ")");
    }
    if (c === "{") {
      at++;
      const items = readUntil("}");
      if (items.length % 2 !== 0) throw new SyntaxError(`${where()}: a map needs an even number of forms`);
      const map: { [key: string]: Edn } = {};
      for (let i = 0; i < items.length; i += 2) map[typeof items[i] === "string" ? (items[i] as string) : JSON.stringify(items[i])] = items[i + 1]!;
      return map;
    }
    if (c === "#") {
      if (text[at + 1] === "{") {
        at += 2;
        return readUntil("}");
      }
      if (text[at + 1] === "_") {
        at += 2;
        read();
        return DISCARDED;
      }
      throw new SyntaxError(`${where()}: tagged literals (#${text.slice(at + 1, symbolEnd())}) are not supported`);
    }
    if (c === '"') {
      let value = "";
      at++;
      for (;;) {
        const d = text[at++];
        if (d === undefined) throw new SyntaxError(`${where()}: unterminated string`);
        if (d === '"') return value;
        if (d === "\\") {
          const e = text[at++];
          value += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : (e ?? "");
        } else value += d;
      }
    }
    if (c === ")" || c === "]" || c === "}") throw new SyntaxError(`${where()}: unexpected "${c}"`);
    const end = symbolEnd();
    const token = text.slice(at, end);
    at = end;
    if (token.startsWith(":")) return token.slice(1);
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (/^[-+]?\d+N?$/.test(token)) return Number(token.replace(/N$/, ""));
    if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?M?$/.test(token)) return Number(token.replace(/M$/, ""));
    return token; // a symbol
  };
  const forms: Edn[] = [];
  for (;;) {
    skip();
    if (at >= text.length) return forms;
    const form = read();
    if (form !== DISCARDED) forms.push(form as Edn);
  }
}
