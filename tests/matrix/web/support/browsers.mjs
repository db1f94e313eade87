// The matrix's browsers behind one small interface: Chromium (Debian's, through playwright-core with the
// flags of tests/js/support/browser.mjs) and Firefox ESR (Debian's, through puppeteer-core over WebDriver
// BiDi). Neither tool downloads a browser. A page's cell stores its result in `window.__result`.
import { launchChromium } from '../../../js/support/browser.mjs';
import { mtool } from './pkg.mjs';

export const FIREFOX = '/usr/bin/firefox-esr';

export async function launchFirefox() {
  const { default: puppeteer } = await mtool('puppeteer-core');
  return puppeteer.launch({
    browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX, headless: true,
    // No first-run pages, updates or telemetry: the browser talks only to the test's 127.0.0.1 servers.
    extraPrefsFirefox: { 'app.update.enabled': false, 'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false, 'browser.shell.checkDefaultBrowser': false, 'network.captive-portal-service.enabled': false },
  });
}

/** Launches `name` ('chromium' | 'firefox'); both drivers' pages share the calls used below. */
export async function launch(name) {
  const browser = name === 'chromium' ? await launchChromium() : await launchFirefox();
  const version = await browser.version();
  return { name, version, browser, close: () => browser.close() };
}

/** Opens `url`, waits up to `timeoutMs` for `window.__result`, and returns it with the page's problems. */
export async function runPage(b, url, timeoutMs = 30_000) {
  const page = await b.browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message ?? e}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  try {
    await page.goto(url);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const result = await page.evaluate(() => window.__result ?? null);
      if (result) return { result, problems };
      if (Date.now() > deadline) throw new Error(`${b.name}: no result from ${url} within ${timeoutMs} ms; problems: ${problems.join(' | ') || 'none'}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await page.close();
  }
}
