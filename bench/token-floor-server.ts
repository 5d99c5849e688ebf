/**
 * The HTTP floor of the token benchmark: a bare Fastify app (no Portico hooks, no store) whose `POST /oauth2/token`
 * parses the form and the Basic credentials and answers a JWT signed with jose like Portico's, with the same claims
 * and key. What it costs above raw signing is HTTP and Fastify; what Portico's endpoint costs above it is Portico's.
 * @example const floor = await startTokenFloor(key, issuer); ... await floor.close();
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { SignJWT, type CryptoKey } from 'jose';

/** The claims Portico's resident key manager puts in a client_credentials token, signed RS256 with jose. */
export function signBenchToken(key: CryptoKey, clientId: string, issuer: string): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ aut: 'APPLICATION', azp: clientId, scope: 'default', client_id: clientId })
    .setProtectedHeader({ alg: 'RS256', kid: 'k', x5t: 'x' })
    .setSubject('admin')
    .setAudience(clientId)
    .setNotBefore(iat)
    .setIssuer(issuer)
    .setExpirationTime(iat + 3600)
    .setIssuedAt(iat)
    .setJti(randomUUID())
    .sign(key);
}

export async function startTokenFloor(
  key: CryptoKey,
  issuer: string,
): Promise<{ origin: string; close: () => Promise<void> }> {
  const app = Fastify({ logger: false });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
  app.post('/oauth2/token', async (request, reply) => {
    const form = request.body as Record<string, string>;
    const auth = request.headers.authorization ?? '';
    const [clientId] = Buffer.from(auth.slice(6), 'base64').toString().split(':');
    if (form.grant_type !== 'client_credentials' || !clientId) return reply.status(400).send({ error: 'x' });
    const token = await signBenchToken(key, clientId, issuer);
    return reply
      .headers({ 'cache-control': 'no-store', pragma: 'no-cache' })
      .send({ access_token: token, scope: 'default', token_type: 'Bearer', expires_in: 3600 });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => app.close() };
}
