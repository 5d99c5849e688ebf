import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { createClientIpResolver } from './client-ip-resolver.js';

const req = (remoteAddress: string, xff?: string) =>
  ({
    socket: { remoteAddress },
    headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
  }) as IncomingMessage;

describe('client IP', () => {
  it('uses the socket peer (IPv4-mapped unwrapped) when no proxy is trusted', () => {
    const ip = createClientIpResolver({ trustedProxies: [], mode: 'rightmost-untrusted' });
    assert.equal(ip(req('::ffff:1.2.3.4', '9.9.9.9')), '1.2.3.4');
    assert.equal(ip(req('2001:db8::1')), '2001:db8::1');
  });

  it('takes the right-most untrusted X-Forwarded-For entry behind a trusted proxy', () => {
    const ip = createClientIpResolver({
      trustedProxies: ['10.0.0.0/8', '192.168.0.1'],
      mode: 'rightmost-untrusted',
    });
    assert.equal(ip(req('10.1.1.1', '6.6.6.6, 5.5.5.5, 192.168.0.1')), '5.5.5.5');
    assert.equal(ip(req('::ffff:10.1.1.1', '5.5.5.5')), '5.5.5.5');
    // An untrusted peer cannot choose its address.
    assert.equal(ip(req('8.8.8.8', '5.5.5.5')), '8.8.8.8');
    // All hops trusted: the left-most one.
    assert.equal(ip(req('10.1.1.1', '10.2.2.2, 10.3.3.3')), '10.2.2.2');
  });

  it('xff-first takes the first entry like WSO2', () => {
    const ip = createClientIpResolver({ trustedProxies: [], mode: 'xff-first' });
    assert.equal(ip(req('10.1.1.1', ' 6.6.6.6 , 5.5.5.5')), '6.6.6.6');
    assert.equal(ip(req('10.1.1.1')), '10.1.1.1');
  });
});
