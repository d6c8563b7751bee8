// Parse each Mermaid diagram given on stdin (a JSON list of strings) with mermaid's own parser, as GitHub
// would before rendering it. Prints a JSON list of {ok, type} or {ok: false, error}; exit 1 if any failed.
// mermaid needs a DOM (DOMPurify) even to parse, which jsdom provides; nothing is rendered.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!DOCTYPE html><body></body>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}
console.log(JSON.stringify(results));
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
