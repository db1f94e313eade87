// Headless Chromium through playwright-core with the system browser (never downloads one).
import { tool } from './tools.mjs';

export const CHROMIUM_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

export async function launchChromium() {
  const pw = await tool('playwright-core');
  const chromium = pw.chromium ?? pw.default.chromium;
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** Opens a page that records console errors and uncaught exceptions into `page.problems`. */
export async function openPage(browser) {
  const page = await browser.newPage();
  page.problems = [];
  page.on('console', (m) => { if (m.type() === 'error') page.problems.push(`console.error: ${m.text()}`); });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => page.problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  return page;
}
