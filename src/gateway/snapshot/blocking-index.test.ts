import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SnapshotBlockingCondition } from '../../core/index.js';
import { BlockingIndex } from './blocking-index.js';

const ip = (id: string, fixedIp: string, invert = false): SnapshotBlockingCondition => ({
  id,
  type: 'IP',
  fixedIp,
  invert,
});
const range = (
  id: string,
  startingIp: string,
  endingIp: string,
  invert = false,
): SnapshotBlockingCondition => ({
  id,
  type: 'IPRANGE',
  startingIp,
  endingIp,
  invert,
});

describe('BlockingIndex (compiled deny policies)', () => {
  it('API, APPLICATION and USER match exactly; the super-tenant suffix is the same user', () => {
    const b = new BlockingIndex([
      { id: '1', type: 'API', value: '/pizzashack/1.0.0' },
      { id: '2', type: 'APPLICATION', value: 'alice:PizzaApp' },
      { id: '3', type: 'USER', value: 'mallory' },
    ]);
    assert.equal(b.blocksApi('/pizzashack/1.0.0'), true);
    assert.equal(b.blocksApi('/pizzashack/2.0.0'), false);
    assert.equal(b.blocksApi('/pizzashack'), false);
    assert.equal(b.blocksApplication('alice', 'PizzaApp'), true);
    assert.equal(b.blocksApplication('bob', 'PizzaApp'), false);
    assert.equal(b.blocksApplication('alice', 'pizzaapp'), false);
    assert.equal(b.blocksUser('mallory'), true);
    assert.equal(b.blocksUser('mallory@carbon.super'), true);
    assert.equal(b.blocksUser('mallory2'), false);
    assert.equal(b.hasIpConditions, false);
    assert.equal(b.blocksIp('10.0.0.1'), false);
  });

  it('fixed IPv4 and IPv6 addresses, in any spelling of the same address', () => {
    const b = new BlockingIndex([ip('1', '192.168.1.1'), ip('2', '2001:db8::1')]);
    assert.equal(b.blocksIp('192.168.1.1'), true);
    assert.equal(b.blocksIp('::ffff:192.168.1.1'), true);
    assert.equal(b.blocksIp('192.168.1.2'), false);
    assert.equal(b.blocksIp('2001:DB8:0:0:0:0:0:1'), true);
    assert.equal(b.blocksIp('2001:db8::2'), false);
    assert.equal(b.blocksIp('not-an-ip'), false);
    assert.equal(b.blocksIp(''), false);
  });

  it('IPv4 and IPv6 ranges are inclusive, overlapping ones merge, and a family never matches the other', () => {
    const b = new BlockingIndex([
      range('1', '10.0.0.10', '10.0.0.20'),
      range('2', '10.0.0.15', '10.0.0.30'),
      range('3', '10.0.1.0', '10.0.1.255'),
      range('4', '2001:db8::', '2001:db8::ffff'),
    ]);
    for (const a of [
      '10.0.0.10',
      '10.0.0.20',
      '10.0.0.25',
      '10.0.0.30',
      '10.0.1.0',
      '10.0.1.255',
      '2001:db8::abcd',
    ])
      assert.equal(b.blocksIp(a), true, a);
    for (const a of [
      '10.0.0.9',
      '10.0.0.31',
      '10.0.0.255',
      '10.0.2.0',
      '2001:db8::1:0',
      '::a00:a',
      '2001:db7::',
    ])
      assert.equal(b.blocksIp(a), false, a);
  });

  it('inverted conditions block every address but the one or the range allowed', () => {
    const only = new BlockingIndex([ip('1', '10.0.0.1', true)]);
    assert.equal(only.blocksIp('10.0.0.1'), false);
    assert.equal(only.blocksIp('10.0.0.2'), true);
    assert.equal(only.blocksIp('::1'), true);
    assert.equal(only.blocksIp('garbage'), true);

    const inRange = new BlockingIndex([range('1', 'fd00::', 'fd00::ff', true)]);
    assert.equal(inRange.blocksIp('fd00::10'), false);
    assert.equal(inRange.blocksIp('fd00::100'), true);
    assert.equal(inRange.blocksIp('127.0.0.1'), true);

    // Two inverted ranges: only their intersection is allowed; a plain condition still blocks inside it.
    const both = new BlockingIndex([
      range('1', '10.0.0.0', '10.0.0.100', true),
      range('2', '10.0.0.50', '10.0.0.200', true),
      ip('3', '10.0.0.60'),
    ]);
    assert.equal(both.blocksIp('10.0.0.55'), false);
    assert.equal(both.blocksIp('10.0.0.60'), true);
    assert.equal(both.blocksIp('10.0.0.40'), true);
    assert.equal(both.blocksIp('10.0.0.150'), true);

    const disjoint = new BlockingIndex([ip('1', '10.0.0.1', true), ip('2', '10.0.0.2', true)]);
    assert.equal(disjoint.blocksIp('10.0.0.1'), true);
    assert.equal(disjoint.blocksIp('10.0.0.2'), true);
  });

  it('set adds, replaces and removes conditions', () => {
    const b = new BlockingIndex();
    assert.equal(b.size, 0);
    b.set('1', ip('1', '10.0.0.1'));
    assert.equal(b.blocksIp('10.0.0.1'), true);
    b.set('1', range('1', '10.0.0.5', '10.0.0.6'));
    assert.equal(b.blocksIp('10.0.0.1'), false);
    assert.equal(b.blocksIp('10.0.0.6'), true);
    b.set('1', null);
    assert.equal(b.size, 0);
    assert.equal(b.blocksIp('10.0.0.6'), false);
  });
});
