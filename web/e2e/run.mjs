// End-to-end tests of the web app in headless Chromium (Debian's package,
// driven by playwright-core: no browser download), against the stack that
// `make app` serves with its demo data. Every screen is checked with
// axe-core and saved as a screenshot under web/.screenshots/.
//
//   APP_URL=http://127.0.0.1:3000 node e2e/run.mjs
//   E2E_ONLY=flotte node e2e/run.mjs     (the scenarios whose name or file matches)
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { scenarios as signInAndNotices } from "./scenarios.mjs";
import { frenchContext, launchChromium } from "./browser.mjs";

const BASE = process.env.APP_URL ?? "http://127.0.0.1:3000";
const SHOTS = new URL("../.screenshots/", import.meta.url).pathname;
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** What each scenario gets: the page, and checks that fail the run. */
function harness(page, problems) {
  return {
    page,
    base: BASE,
    async screen(name) {
      await page.waitForLoadState("networkidle");
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      // Evaluated through DevTools, so the page's CSP stays in force.
      await page.evaluate(AXE);
      const result = await page.evaluate(() =>
        globalThis.axe.run(document, { resultTypes: ["violations"] }),
      );
      for (const v of result.violations) {
        if (v.impact === "serious" || v.impact === "critical") {
          const where = v.nodes.map((n) => n.target.join(" ")).join(", ");
          throw new Error(`${name}: accessibility ${v.impact}: ${v.id} (${v.help}) at ${where}`);
        }
      }
    },
    problems,
  };
}

/** Part 1's scenarios, then each area's (e2e/areas/*.mjs), named `[file] scenario`. */
async function allScenarios() {
  const all = signInAndNotices.map(([name, run]) => [`[avis] ${name}`, run]);
  const areas = new URL("./areas/", import.meta.url);
  const files = existsSync(areas) ? readdirSync(areas) : [];
  for (const file of files.filter((f) => f.endsWith(".mjs")).sort()) {
    const { scenarios } = await import(new URL(file, areas).href);
    all.push(...scenarios.map(([name, run]) => [`[${file.replace(/\.mjs$/, "")}] ${name}`, run]));
  }
  const only = process.env.E2E_ONLY;
  return only ? all.filter(([name]) => name.toLowerCase().includes(only.toLowerCase())) : all;
}

async function main() {
  mkdirSync(SHOTS, { recursive: true });
  const scenarios = await allScenarios();
  const browser = await launchChromium();
  let failed = 0;
  for (const [name, scenario] of scenarios) {
    const context = await frenchContext(browser);
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const started = Date.now();
    try {
      await scenario(harness(page, problems));
      const csp = problems.filter((p) => p.includes("Content Security Policy"));
      if (csp.length) throw new Error(`CSP violations: ${csp.join("; ")}`);
      console.log(`ok   ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      await page.screenshot({ path: join(SHOTS, `FAILED-${name.replace(/\W+/g, "-")}.png`), fullPage: true }).catch(() => {});
      console.log(`FAIL ${name}\n     ${error.message.split("\n").join("\n     ")}`);
      if (problems.length) console.log(`     console: ${problems.join(" | ")}`);
    }
    await context.close();
  }
  await browser.close();
  console.log(`web e2e: ${scenarios.length - failed} passed, ${failed} failed (screenshots in web/.screenshots/)`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
