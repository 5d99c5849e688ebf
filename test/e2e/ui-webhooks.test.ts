import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';

// Admin → Webhooks in Chromium against a real all-in-one and a real local receiver: add an endpoint (its secret
// shown once), send a test event from its row, the receiver answers 500 then 200; the delivery page shows both
// attempts and `succeeded`, and the body the receiver got carries a valid signature for the shown secret.
let ui: UiPortico;
let receiver: http.Server;
let receiverUrl: string;
const received: { headers: IncomingHttpHeaders; body: string; answered: number }[] = [];

before(async () => {
  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answered = received.length === 0 ? 500 : 200;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      res.writeHead(answered).end(answered === 200 ? 'ok' : 'try again');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/portico`;
  ui = await startUiPortico({
    signIn: '/devportal/sign-in',
    toml:
      '\n[webhooks]\nallow_http_loopback = true\nallow_internal_addresses = true\n' +
      'retry_base_delay_ms = 300\npoll_interval_ms = 200\n',
  });
});

after(async () => {
  await ui?.stop();
  receiver?.close();
});

test('webhooks page: add an endpoint, send a test event, retried delivery visible with its attempts', async () => {
  const { page, urls } = ui;
  await page.goto(`${urls.controlPlane}/admin/webhooks`);
  await page.getByRole('heading', { name: 'Webhooks', exact: true }).waitFor();
  await page.getByText('No webhook endpoints.').waitFor();
  await page.getByLabel('URL', { exact: true }).fill(receiverUrl);
  await page.getByLabel('Description', { exact: true }).fill('Receiver of the UI test');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secretField = page.getByLabel('Signing secret', { exact: true });
  await secretField.waitFor();
  const secret = await secretField.inputValue();
  assert.match(secret, /^whsec_/);
  const table = page.getByRole('table', { name: 'Webhook endpoints' });
  await table.getByRole('cell', { name: receiverUrl, exact: true }).waitFor();
  await assertAccessible(page, 'admin-webhooks');

  await page.getByRole('button', { name: `Send test event to ${receiverUrl}` }).click();
  await page.getByText(`Test event queued for ${receiverUrl}.`).waitFor();

  // The receiver gets the event twice (500, then 200 after the backoff), signed with the shown secret.
  for (let i = 0; received.length < 2 && i < 100; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(received.length, 2, 'one failed attempt and one retry');
  const [first, second] = received;
  assert.equal(
    first!.headers['portico-event-id'],
    second!.headers['portico-event-id'],
    'same idempotency id',
  );
  assert.equal(second!.headers['portico-delivery-attempt'], '2');
  assert.equal(second!.headers['portico-event-type'], 'webhook.test');
  const signature = String(second!.headers['portico-signature']);
  const t = /t=(\d+)/.exec(signature)?.[1];
  const v1 = /v1=([0-9a-f]{64})/.exec(signature)?.[1];
  assert.ok(t && v1, signature);
  assert.equal(v1, createHmac('sha256', secret).update(`${t}.${second!.body}`).digest('hex'));
  assert.ok(!second!.body.includes(secret), 'the secret is never sent');

  await page.getByRole('link', { name: `Deliveries and settings of ${receiverUrl}` }).click();
  await page.getByRole('heading', { name: 'Webhook Receiver of the UI test' }).waitFor();
  const deliveries = page.getByRole('table', { name: 'Webhook deliveries' });
  let row = '';
  for (let i = 0; i < 50 && !/succeeded/.test(row); i++) {
    if (i > 0) {
      await page.reload();
      await page.getByRole('heading', { name: 'Webhook Receiver of the UI test' }).waitFor();
    }
    await deliveries.waitFor();
    row = await deliveries.getByRole('row').nth(1).innerText();
  }
  assert.match(row, /webhook\.test[\s\S]*succeeded[\s\S]*#1 500 \(\d+ ms\)[\s\S]*#2 200 \(\d+ ms\)/);
  assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');
  await assertAccessible(page, 'admin-webhook-deliveries');
  assert.deepEqual(ui.problems, []);
});
