import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http } from '../support/http.js';
import { startPortico } from '../support/portico-process.js';

interface Step {
  script: string;
  expected: string[];
}

/** The `sh` blocks of docs/walkthrough.md with the `text` block that follows each. */
function steps(): Step[] {
  const md = readFileSync(new URL('../../docs/walkthrough.md', import.meta.url), 'utf8');
  const blocks = [...md.matchAll(/```(sh|text)\n([\s\S]*?)```/g)].map((m) => ({
    kind: m[1],
    body: m[2] ?? '',
  }));
  const out: Step[] = [];
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i];
    if (b?.kind !== 'sh') continue;
    const next = blocks[i + 1];
    out.push({
      script: b.body,
      expected: next?.kind === 'text' ? next.body.split('\n').filter((l) => l !== '') : [],
    });
  }
  return out;
}

test('docs/walkthrough.md: every step runs as written against a fresh Portico', async () => {
  const list = steps();
  assert.ok(list.length >= 10, 'the walkthrough has its steps');
  // The doc runs from the folder holding portico-home/, on the default ports, as a reader would.
  const cwd = mkdtempSync(join(tmpdir(), 'portico-walkthrough-'));
  const home = join(cwd, 'portico-home');
  // A default first start: no deployment.toml yet, so Portico writes one and deploys the PizzaShack sample.
  const server = await startPortico(home);
  try {
    // The ready line comes after the sample is deployed and served: the gateway knows the API at once.
    const first = await http('https://localhost:8243/pizzashack/1.0.0/menu');
    assert.equal(first.status, 401, first.text);
    assert.equal(first.json().code, '900902');
    const marker = (i: number) => `@@@STEP-${i}@@@`;
    const script = list.map((s, i) => `echo '${marker(i)}'\n${s.script}`).join('\n');
    const run = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', timeout: 120_000 });
    const outputs = run.stdout.split(/@@@STEP-\d+@@@\n/).slice(1);
    list.forEach((step, i) => {
      const out = outputs[i] ?? '';
      for (const line of step.expected) {
        assert.ok(
          out.includes(line),
          `step ${i}:\n${step.script}\nexpected a line:\n${line}\ngot:\n${out}\nstderr:\n${run.stderr}`,
        );
      }
    });
  } finally {
    await server.stop();
  }
});
