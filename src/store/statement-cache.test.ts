import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqlite } from './open-sqlite.js';
import { withStatementCache } from './statement-cache.js';

test('statement cache: the same SQL reuses one prepared statement, the least recently used is dropped', async () => {
  const raw = await openSqlite(join(mkdtempSync(join(tmpdir(), 'portico-stmt-')), 'db.sqlite'));
  let prepared = 0;
  const counting = { close: () => raw.close(), prepare: (sql: string) => (prepared++, raw.prepare(sql)) };
  const db = withStatementCache(counting, 2);
  try {
    db.prepare('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)').run([]);
    const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    insert.run(['a', 1]);
    assert.equal(db.prepare('INSERT INTO t (k, v) VALUES (?, ?)'), insert);
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['b', 2]);
    const select = 'SELECT v FROM t WHERE k = ?';
    assert.deepEqual(db.prepare(select).all(['a']), [{ v: 1 }]);
    assert.deepEqual(db.prepare(select).all(['b']), [{ v: 2 }], 'parameters are bound anew per call');
    assert.equal(prepared, 3);
    // Capacity 2: CREATE was the least recently used and is gone; INSERT and SELECT stay.
    db.prepare('SELECT count(*) AS n FROM t').all([]);
    assert.equal(prepared, 4);
    db.prepare(select).all(['a']);
    assert.equal(prepared, 4, 'SELECT still cached');
    db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['c', 3]);
    assert.equal(prepared, 5, 'INSERT was evicted by the count query');
    // A cached statement sees a column added after it was prepared (SQLite re-prepares on schema change).
    db.prepare('ALTER TABLE t ADD COLUMN w INTEGER DEFAULT 7').run([]);
    assert.deepEqual(db.prepare('SELECT * FROM t WHERE k = ?').all(['a']), [{ k: 'a', v: 1, w: 7 }]);
  } finally {
    db.close();
  }
});
