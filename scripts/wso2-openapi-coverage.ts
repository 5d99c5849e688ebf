// Writes the "REST operations not implemented" section of docs/wso2-compatibility.md from WSO2's OpenAPI
// documents and the routes a full control plane registers (every route module, on a throw-away SQLite store).
// Usage: npx tsx scripts/wso2-openapi-coverage.ts   (then npx prettier --write docs/wso2-compatibility.md)
import { readFileSync, writeFileSync } from 'node:fs';
import { testDialects } from '../test/support/dialects.js';
import { fullHarness } from '../test/support/full-control-plane.js';
import {
  DOC_FILE,
  extraRoutes,
  notImplementedMarkdown,
  withSection,
} from '../test/conformance/support/wso2-openapi-coverage.js';
import { WSO2_APIS, type Wso2Api } from '../test/conformance/support/wso2-openapi-spec.js';

const [sqlite] = await testDialects();
const h = await fullHarness(await sqlite!.open());
try {
  writeFileSync(DOC_FILE, withSection(readFileSync(DOC_FILE, 'utf8'), notImplementedMarkdown(h.cp.routes)));
  console.log('docs/wso2-compatibility.md: "REST operations not implemented" written');
  for (const api of Object.keys(WSO2_APIS) as Wso2Api[])
    for (const r of extraRoutes(api, h.cp.routes)) console.log(`Portico's own (not in ${api}): ${r}`);
} finally {
  await h.close();
}
