import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadHomeConfig, resolveHome } from '../../src/cli/home.js';
import { startAllInOne } from '../../src/cli/server/start-all-in-one.js';
import { http } from '../support/http.js';
import { startStack } from '../support/stack.js';

// Issue "API keys end to end" §6: a revoked key stays refused after the gateway restarts (the revocation is
// persisted and travels in every snapshot until the key would have expired).
test('a revoked API key is still refused after a restart; an unrevoked one still works', async () => {
  const stack = await startStack();
  const cfgHome = resolveHome(stack.home);
  const apps = await stack.rest('GET', '/api/am/devportal/v3/applications');
  const app = apps.json().list.find((a: { name: string }) => a.name === 'DefaultApplication')
    .applicationId as string;
  const apis = await stack.rest('GET', '/api/am/publisher/v4/apis');
  const api = apis.json().list.find((a: { name: string }) => a.name === 'PizzaShackAPI').id as string;
  const full = (await stack.rest('GET', `/api/am/publisher/v4/apis/${api}`)).json();
  full.securityScheme = [...full.securityScheme, 'api_key'];
  assert.equal((await stack.rest('PUT', `/api/am/publisher/v4/apis/${api}`, full)).status, 200);
  const rev = await stack.rest('POST', `/api/am/publisher/v4/apis/${api}/revisions`, {
    description: 'api keys',
  });
  await stack.rest('POST', `/api/am/publisher/v4/apis/${api}/deploy-revision?revisionId=${rev.json().id}`, [
    { name: 'Default', vhost: 'localhost', displayOnDevportal: true },
  ]);
  const sub = await stack.rest('POST', '/api/am/devportal/v3/subscriptions', {
    applicationId: app,
    apiId: api,
    throttlingPolicy: 'Unlimited',
  });
  assert.equal(sub.status, 201, sub.text);
  const gen = () =>
    stack.rest('POST', `/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION/generate`, {
      validityPeriod: 3600,
    });
  const revoked = (await gen()).json().apikey as string;
  const kept = (await gen()).json().apikey as string;
  const call = (gw: string, key: string) => http(`${gw}/pizzashack/1.0.0/menu`, { headers: { apikey: key } });
  assert.equal((await call(stack.gw, revoked)).status, 200);
  const rv = await stack.rest('POST', `/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION/revoke`, {
    apikey: revoked,
  });
  assert.equal(rv.status, 200, rv.text);
  await stack.stop();

  const again = await startAllInOne(cfgHome, loadHomeConfig(cfgHome), pino({ level: 'silent' }));
  try {
    const r = await call(stack.gw, revoked);
    assert.equal(r.status, 401);
    assert.equal(r.json().code, '900901');
    assert.equal((await call(stack.gw, kept)).status, 200);
  } finally {
    await again.stop();
  }
});
