// Run axe-core (WCAG 2.1 A/AA rules) on a local HTML file in Debian's chromium, at a phone and
// a desktop width, in light and dark colour schemes; print one JSON object to stdout:
//   {"axe": version, "runs": [{"width", "scheme", "violations": [{"id", "impact", "help", "targets"}]}]}
// Usage: node run.mjs FILE.html [CHROMIUM]   (used by tests/test_report_browser.py)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const axeSource = readFileSync(axePath, "utf8");
const [file, chromium = "/usr/bin/chromium"] = process.argv.slice(2);
if (!file) {
  console.error("usage: node run.mjs FILE.html [CHROMIUM]");
  process.exit(2);
}
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const runs = [];
try {
  const page = await browser.newPage();
  for (const width of [390, 1280]) {
    for (const scheme of ["light", "dark"]) {
      await page.setViewport({ width, height: 900, deviceScaleFactor: 1, isMobile: width < 600 });
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      await page.goto(pathToFileURL(file).href, { waitUntil: "load" });
      await page.evaluate(axeSource);
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document, {
          runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
          resultTypes: ["violations"],
        });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          targets: v.nodes.slice(0, 8).map((n) => n.target.join(" ")),
        }));
      });
      runs.push({ width, scheme, violations: result });
    }
  }
} finally {
  await browser.close();
}
const version = JSON.parse(readFileSync(require.resolve("axe-core/package.json"), "utf8")).version;
process.stdout.write(JSON.stringify({ axe: version, runs }) + "\n");
