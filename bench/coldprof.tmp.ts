import { promises as fs } from 'node:fs';
import { makeOutbox } from './outbox-view';
import { launchChromium, openApp, serve } from '../test/helpers/browser';
const dir = await fs.mkdtemp('/tmp/mw-cold-');
await makeOutbox(dir, 10000);
const served = await serve(dir);
const browser = await launchChromium();
for (let run = 0; run < 2; run++) {
const page = await openApp(browser, served.url);
await page.getByLabel('From').first().locator('option[value="sandbox"]').waitFor({ state: 'attached' });
await page.waitForTimeout(1500);
const cdp = await page.context().newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
await cdp.send('Profiler.start');
await page.getByRole('button', { name: 'Outbox', exact: true }).click();
await page.locator('.outbox-item').first().waitFor();
await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r))));
const { profile } = await cdp.send('Profiler.stop');
await fs.writeFile(`/tmp/tp/cold${run}.cpuprofile`, JSON.stringify(profile));
await page.close();
}
await browser.close(); await served.stop(); await fs.rm(dir, { recursive: true, force: true });
process.exit(0);
