/** Allowed imports between Portico's components (architecture.md §3). */
const comp = (name) => `^src/${name}/`;
module.exports = {
  forbidden: [
    {
      name: 'gateway-stays-pure',
      comment:
        'The gateway gets its state as a snapshot: it never imports store, control-plane or key-manager.',
      severity: 'error',
      from: { path: comp('gateway') },
      to: { path: '^src/(store|control-plane|key-manager|cli|samples)/' },
    },
    {
      name: 'core-has-no-deps',
      severity: 'error',
      from: { path: comp('core') },
      to: { path: '^src/(?!core/)' },
    },
    {
      name: 'config-only-core',
      severity: 'error',
      from: { path: comp('config') },
      to: { path: '^src/(?!core/|config/)' },
    },
    {
      name: 'crypto-only-config-core',
      severity: 'error',
      from: { path: comp('crypto') },
      to: { path: '^src/(?!core/|config/|crypto/)' },
    },
    {
      name: 'store-below-services',
      severity: 'error',
      from: { path: comp('store') },
      to: { path: '^src/(control-plane|key-manager|gateway|cli|events|samples)/' },
    },
    {
      name: 'events-below-services',
      severity: 'error',
      from: { path: comp('events') },
      to: { path: '^src/(store|control-plane|key-manager|gateway|cli|samples)/' },
    },
    {
      name: 'key-manager-not-above',
      severity: 'error',
      from: { path: comp('key-manager') },
      to: { path: '^src/(control-plane|gateway|cli)/' },
    },
    {
      name: 'control-plane-not-gateway',
      severity: 'error',
      from: { path: comp('control-plane') },
      to: { path: '^src/(gateway|cli)/' },
    },
    {
      name: 'gateway-hot-path-no-io-clients',
      comment:
        'The request path stays I/O-free (architecture.md hot-path rules): request handlers and the request ' +
        'handler import no network or database client; such I/O lives in gateway/background/.',
      severity: 'error',
      from: { path: '^src/gateway/(handlers/|request-handler\\.ts$)' },
      to: {
        path: '(^|/)node_modules/(ioredis|pg|undici|better-sqlite3|kysely)/|^(node:)?sqlite$',
      },
    },
    {
      name: 'database-clients-only-in-store',
      comment:
        'SQL and the database drivers live in src/store/ alone; everything else uses its repositories.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/store/' },
      to: { path: ['(^|/)node_modules/(kysely|pg|pg-[a-z-]+|better-sqlite3)/', '^(node:)?sqlite$'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
