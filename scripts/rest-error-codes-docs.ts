// Writes the "REST error codes" section of docs/wso2-compatibility.md from the REST error catalog.
// Usage: npx tsx scripts/rest-error-codes-docs.ts   (then npx prettier --write docs/wso2-compatibility.md)
import { readFileSync, writeFileSync } from 'node:fs';
import {
  restErrorCodesMarkdown,
  withErrorCodesSection,
} from '../test/conformance/support/rest-error-codes-doc.js';

const DOC_FILE = new URL('../docs/wso2-compatibility.md', import.meta.url);
writeFileSync(DOC_FILE, withErrorCodesSection(readFileSync(DOC_FILE, 'utf8'), restErrorCodesMarkdown()));
console.log('docs/wso2-compatibility.md: "REST error codes" written');
