// Fails when src/api/schema.d.ts is not what docs/openapi.yaml generates
// (run `npm run types` and commit it).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const fresh = join(mkdtempSync(join(tmpdir(), "designa-types-")), "schema.d.ts");
execFileSync("npx", ["openapi-typescript", "../docs/openapi.yaml", "-o", fresh], { stdio: "ignore" });
const committed = readFileSync("src/api/schema.d.ts", "utf8");
if (readFileSync(fresh, "utf8") !== committed) {
  console.error("web/src/api/schema.d.ts is stale: run `npm run types` in web/ and commit it");
  process.exit(1);
}
console.log("web/src/api/schema.d.ts matches docs/openapi.yaml");
