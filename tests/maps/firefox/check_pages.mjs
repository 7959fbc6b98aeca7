// Open every map page of a built output folder in Debian's firefox-esr (WebDriver BiDi,
// headless, from file://) and print one JSON line per page: whether it became ready
// (data-cm-ready on <html>), its console and page errors, and how many corridor lines
// (path.cm-line) and hit lines (path.cm-hit) it drew.
//
// Usage: node check_pages.mjs <output folder> [firefox executable]
import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import puppeteer from "puppeteer-core";

const READY_TIMEOUT_MS = 60000;

function pages(folder) {
  const corridors = readdirSync(join(folder, "corridors"))
    .filter((name) => name.endsWith(".html"))
    .sort()
    .map((name) => join("corridors", name));
  return ["index.html", ...corridors];
}

async function check(browser, folder, relative) {
  const page = await browser.newPage();
  const consoleErrors = [];
  const pageErrors = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(String(error && error.message ? error.message : error)));
  let ready = false;
  let counts = { lines: null, hits: null };
  try {
    await page.goto(pathToFileURL(join(folder, relative)).href, { waitUntil: "load" });
    await page.waitForFunction(
      () => document.documentElement.getAttribute("data-cm-ready") === "1",
      { timeout: READY_TIMEOUT_MS, polling: 100 },
    );
    ready = true;
    counts = await page.evaluate(() => ({
      lines: document.querySelectorAll("#map_corridors path.cm-line").length,
      hits: document.querySelectorAll("#map_corridors path.cm-hit").length,
    }));
  } catch (error) {
    pageErrors.push("check_pages: " + String(error && error.message ? error.message : error));
  } finally {
    await page.close();
  }
  return { page: relative, ready, console_errors: consoleErrors, page_errors: pageErrors, ...counts };
}

async function main() {
  const folder = resolve(process.argv[2] || ".");
  const executablePath = process.argv[3] || "/usr/bin/firefox-esr";
  const browser = await puppeteer.launch({
    browser: "firefox",
    executablePath,
    headless: true,
    // The window's own size, not page.setViewport: puppeteer's BiDi setViewport also sends
    // emulation.setScreenOrientationOverride, which Firefox 140 ESR does not know.
    defaultViewport: null,
    args: ["--window-size=1400,900"],
    // A fresh profile that asks the network for nothing (no updates, no telemetry).
    extraPrefsFirefox: {
      "app.update.enabled": false,
      "browser.shell.checkDefaultBrowser": false,
      "datareporting.policy.dataSubmissionEnabled": false,
      "network.captive-portal-service.enabled": false,
    },
  });
  try {
    for (const relative of pages(folder)) {
      process.stdout.write(JSON.stringify(await check(browser, folder, relative)) + "\n");
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
