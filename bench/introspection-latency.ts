// Why the gateway validates external tokens with JWKS and never introspects on the request path: measures one
// RFC 7662 introspection round trip against a real oidc-provider on loopback (the best case: same machine, warm
// connection) next to one local RS256 signature check of the same token. `npx tsx bench/introspection-latency.ts`
import { createPublicKey, verify } from 'node:crypto';
import { request } from 'undici';
import { startOidcProvider } from '../src/key-manager/external/test-support/oidc-provider-fixture.js';

const N = 200;
const provider = await startOidcProvider('keycloak');
try {
  const reg = await request(provider.registrationEndpoint, {
    method: 'POST',
    headers: { authorization: `Bearer ${provider.initialAccessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'bench',
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    }),
  });
  const client = (await reg.body.json()) as { client_id: string; client_secret: string };
  const basic = `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
  const tok = await request(provider.tokenEndpoint, {
    method: 'POST',
    headers: form,
    body: 'grant_type=client_credentials&scope=read',
  });
  const token = ((await tok.body.json()) as { access_token: string }).access_token;
  const introspectUrl = `${provider.issuer}/protocol/openid-connect/token/introspect`;
  const jwks = (await (await request(provider.jwksUri)).body.json()) as { keys: { kid: string }[] };
  const [h, p, s] = token.split('.') as [string, string, string];
  const kid = (JSON.parse(Buffer.from(h, 'base64url').toString()) as { kid: string }).kid;
  const key = createPublicKey({ key: jwks.keys.find((k) => k.kid === kid) as never, format: 'jwk' });

  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const r = await request(introspectUrl, { method: 'POST', headers: form, body: `token=${token}` });
    // oidc-provider answers `active: false` to a client that is not the token's audience; the round trip, which
    // is what a gateway would wait for, is the same either way.
    await r.body.json();
    times.push(performance.now() - t0);
  }
  const t1 = performance.now();
  for (let i = 0; i < N; i++) {
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')))
      throw new Error('bad signature');
  }
  const localMs = (performance.now() - t1) / N;
  times.sort((a, b) => a - b);
  const q = (f: number) => Number(times[Math.floor(f * (N - 1))]!.toFixed(3));
  console.log(
    JSON.stringify({
      bench: 'introspection-vs-jwks',
      n: N,
      introspectionMs: { p50: q(0.5), p90: q(0.9), p99: q(0.99) },
      localRs256VerifyMs: Number(localMs.toFixed(4)),
    }),
  );
} finally {
  await provider.close();
}
