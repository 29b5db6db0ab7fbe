/**
 * An exercise stub and its solution must export the same names with the same declared types: the
 * notebooks, drivers and tests are written against one contract. Compared with the TypeScript
 * compiler API: functions by their signature text, interfaces member by member, type aliases by
 * their expanded text.
 */
import ts from "typescript";

/** export name -> a canonical text of its declared type. */
export type Signatures = Map<string, string>;

const flags = ts.TypeFormatFlags.NoTruncation;

function describeSymbol(checker: ts.TypeChecker, symbol: ts.Symbol): string {
  const resolved = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const declaration = resolved.declarations?.[0];
  if (declaration === undefined) return "(no declaration)";
  if (resolved.flags & ts.SymbolFlags.Interface) {
    const type = checker.getDeclaredTypeOfSymbol(resolved);
    const members = checker.getPropertiesOfType(type).map((member) => {
      const optional = member.flags & ts.SymbolFlags.Optional ? "?" : "";
      return `${member.name}${optional}: ${checker.typeToString(checker.getTypeOfSymbolAtLocation(member, declaration), undefined, flags)}`;
    });
    return `interface { ${members.join("; ")} }`;
  }
  if (resolved.flags & ts.SymbolFlags.TypeAlias) {
    const type = checker.getDeclaredTypeOfSymbol(resolved);
    return `type = ${checker.typeToString(type, undefined, flags | ts.TypeFormatFlags.InTypeAlias)}`;
  }
  const kind = resolved.flags & ts.SymbolFlags.Function ? "function" : resolved.flags & ts.SymbolFlags.Class ? "class" : "value";
  return `${kind} ${checker.typeToString(checker.getTypeOfSymbolAtLocation(resolved, declaration), undefined, flags)}`;
}

/** The exported signatures of each file (one program for all, so the cost is paid once). */
export function exportedSignatures(files: readonly string[]): Map<string, Signatures> {
  const program = ts.createProgram([...files], {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const result = new Map<string, Signatures>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`cannot read ${file}`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    const signatures: Signatures = new Map();
    for (const symbol of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
      signatures.set(symbol.name, describeSymbol(checker, symbol));
    }
    result.set(file, signatures);
  }
  return result;
}

/** Differences between two export lists, as sentences; empty when identical. */
export function signatureDifferences(expected: Signatures, actual: Signatures, names = { expected: "solution", actual: "stub" }): string[] {
  const out: string[] = [];
  for (const [name, text] of expected) {
    const other = actual.get(name);
    if (other === undefined) out.push(`${name} is exported by the ${names.expected} but not by the ${names.actual}`);
    else if (other !== text) out.push(`${name} differs: ${names.expected} has ${text}, ${names.actual} has ${other}`);
  }
  for (const name of actual.keys()) {
    if (!expected.has(name)) out.push(`${name} is exported by the ${names.actual} but not by the ${names.expected}`);
  }
  return out;
}
