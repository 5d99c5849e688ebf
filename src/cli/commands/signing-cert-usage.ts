import { systemClock } from '../../core/index.js';
import { apiKeysRepository, type SigningCertUsage } from '../../store/index.js';
import { initHome, loadHomeConfig, resolveHome } from '../home.js';
import { loadServerKeys } from '../keys.js';
import { openConfiguredStore } from '../server/configured-store.js';

/** One trust-store alias (or an issued `kid` missing from the trust store) and the live JWT API keys under it. */
export interface SigningCertRow {
  alias: string;
  inTrustStore: boolean;
  /** The alias new API keys are signed under (`[apim.devportal] api_key_alias`). */
  signsNewKeys: boolean;
  liveKeys: number;
  /** ISO time of the latest expiry, `never`, or null without live keys. */
  latestExpiry: string | null;
  /** Nothing live depends on it and it does not sign new keys. */
  safeToRemove: boolean;
}

/** Joins the trust store's aliases with the live keys per `kid`: every alias, and every `kid` still in use. */
export function signingCertRows(
  trustAliases: readonly string[],
  usage: readonly SigningCertUsage[],
  signingAlias: string,
): SigningCertRow[] {
  const byKid = new Map(usage.map((u) => [u.kid, u]));
  const aliases = [...new Set([...trustAliases, ...usage.map((u) => u.kid), signingAlias])].sort();
  const trusted = new Set(trustAliases);
  return aliases.map((alias) => {
    const u = byKid.get(alias);
    const liveKeys = u?.liveKeys ?? 0;
    const signsNewKeys = alias === signingAlias;
    return {
      alias,
      inTrustStore: trusted.has(alias),
      signsNewKeys,
      liveKeys,
      latestExpiry:
        u === undefined ? null : u.latestExpiry === null ? 'never' : new Date(u.latestExpiry).toISOString(),
      safeToRemove: liveKeys === 0 && !signsNewKeys,
    };
  });
}

/**
 * `portico keystore signing-usage [--json]`: for each trust-store alias, how many JWT API keys signed under it a
 * gateway still accepts and until when, so an old signing certificate is removed only once nothing depends on it
 * (docs/key-rotation.md). Exit code 4 when a `kid` in use, or the signing alias, is missing from the trust store.
 */
export async function signingCertUsageCommand(opts: { home?: string; json?: boolean }): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const config = loadHomeConfig(home);
  const keys = await loadServerKeys(home, config);
  const store = await openConfiguredStore(home, config);
  try {
    const usage = await apiKeysRepository(store).liveJwtKeysBySigningCert(systemClock.now());
    const rows = signingCertRows(
      keys.trustStore.list().map((e) => e.alias),
      usage,
      keys.apiKeySigner.alias,
    );
    if (opts.json) console.log(JSON.stringify(rows, null, 2));
    else {
      console.log(
        ['alias', 'in trust store', 'signs new keys', 'live keys', 'latest expiry', 'safe to remove'].join(
          '\t',
        ),
      );
      for (const r of rows)
        console.log(
          [
            r.alias,
            r.inTrustStore ? 'yes' : 'NO',
            r.signsNewKeys ? 'yes' : 'no',
            r.liveKeys,
            r.latestExpiry ?? '-',
            r.safeToRemove ? 'yes' : 'no',
          ].join('\t'),
        );
    }
    const untrusted = rows.filter((r) => !r.inTrustStore && (r.liveKeys > 0 || r.signsNewKeys));
    if (untrusted.length > 0) {
      console.error(
        `not in the trust store, so gateways refuse keys signed under it: ${untrusted.map((r) => r.alias).join(', ')}`,
      );
      process.exitCode = 4;
    }
  } finally {
    await store.close();
  }
}
