// Child process for the kill -9 durability test: commits rows one by one and prints each key after its commit.
import { openStore } from '../../src/store/index.js';
import { settingsRepository } from '../../src/store/index.js';

const [type, url] = process.argv.slice(2) as ['sqlite' | 'postgres', string];
const store = await openStore({ type, url, poolSize: 2 });
await store.migrate();
const settings = settingsRepository(store);
for (let i = 0; ; i++) {
  await store.transaction(async (trx) => {
    await settingsRepository(trx).set(`k${i}`, `v${i}`);
  });
  process.stdout.write(`${i}\n`);
  if (i % 50 === 0) await settings.get('k0');
}
