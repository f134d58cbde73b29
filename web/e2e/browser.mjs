// Debian's Chromium, headless, as the end-to-end tests and the measures use it.
import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

/** launch() gives the browser a fresh, temporary --user-data-dir of its own. */
export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** A French user's tab, in a time zone other than Paris (dates must not depend on it). */
export function frenchContext(browser) {
  return browser.newContext({ locale: "fr-FR", timezoneId: "America/New_York", viewport: { width: 1280, height: 900 } });
}
