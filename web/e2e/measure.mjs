// How fast the dashboard is ready (a measure printed by `make bench`, never
// asserted): signed in once, the dashboard's address opened afresh ten
// times, each time from the request of the page to the figures on screen
// (page, scripts, /config.json, the silent token refresh, /me, /stats).
//
//   APP_URL=http://127.0.0.1:3000 node e2e/measure.mjs
import { frenchContext, launchChromium } from "./browser.mjs";
import { EMAIL, PASSWORD } from "./scenarios.mjs";

const BASE = process.env.APP_URL ?? "http://127.0.0.1:3000";
const RUNS = 10;

async function main() {
  const browser = await launchChromium();
  const page = await (await frenchContext(browser)).newPage();
  await page.goto(`${BASE}/tableau-de-bord`);
  await page.getByLabel("E-mail professionnel").fill(EMAIL);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.locator('section[data-loaded="true"]').waitFor();
  const times = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = Date.now();
    await page.goto(`${BASE}/tableau-de-bord`);
    await page.locator('section[data-loaded="true"]').waitFor();
    times.push(Date.now() - started);
  }
  await browser.close();
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)];
  console.log(
    `dashboard ready after opening its address (${RUNS} loads): median ${median.toFixed(0)} ms, ` +
      `slowest ${times[RUNS - 1].toFixed(0)} ms (budget: 1,000 ms)`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
