import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  catalogRows,
  documentedRows,
  restErrorCodesMarkdown,
  withErrorCodesSection,
} from './support/rest-error-codes-doc.js';

const DOC_FILE = new URL('../../docs/wso2-compatibility.md', import.meta.url);

test('docs/wso2-compatibility.md lists every REST error code as the catalog has it', () => {
  const documented = documentedRows(readFileSync(DOC_FILE, 'utf8'));
  assert.deepEqual(
    documented,
    catalogRows(),
    'regenerate it: npx tsx scripts/rest-error-codes-docs.ts && npx prettier --write docs/wso2-compatibility.md',
  );
});

test('the table reader sees a drifted row, and the writer replaces only its own section', () => {
  const rows = catalogRows();
  const page = `# T\n\nintro\n\n## REST operations not implemented\n\nlist\n`;
  const written = withErrorCodesSection(page, restErrorCodesMarkdown(rows));
  assert.deepEqual(documentedRows(written), rows);
  assert.ok(written.startsWith('# T\n\nintro\n\n## REST error codes\n'));
  assert.ok(written.endsWith('\n## REST operations not implemented\n\nlist\n'));
  const drifted = rows.map((r) => (r.key === 'API_NOT_FOUND' ? { ...r, code: 900310 } : r));
  const rewritten = withErrorCodesSection(written, restErrorCodesMarkdown(drifted));
  assert.notDeepEqual(documentedRows(rewritten), rows);
  assert.equal(rewritten.match(/## REST error codes/g)?.length, 1);
  assert.ok(rewritten.endsWith('\n## REST operations not implemented\n\nlist\n'));
});
