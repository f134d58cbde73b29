// The first screen's weight (the budget: ≤ 150 KB of gzipped JavaScript),
// from the built web/dist: what index.html loads before anything else.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const dist = new URL("../dist/", import.meta.url);
const index = readFileSync(new URL("index.html", dist), "utf8");
const loaded = [...index.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
let js = 0;
let css = 0;
for (const file of loaded) {
  const size = gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;
  if (file.endsWith(".js")) js += size;
  if (file.endsWith(".css")) css += size;
}
const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(`web first screen: ${kb(js)} KB of JavaScript and ${kb(css)} KB of CSS gzipped (budget: 150 KB of JavaScript)`);
