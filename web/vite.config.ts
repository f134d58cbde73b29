import { defineConfig } from "vitest/config";
import preact from "@preact/preset-vite";

// Every asset is bundled and served from the app's own origin: no CDN.
export default defineConfig({
  plugins: [preact()],
  build: {
    target: "es2022",
    // No inline <script> or module preload polyfill: the CSP allows 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
