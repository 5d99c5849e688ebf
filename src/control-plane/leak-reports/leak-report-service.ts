import { createHash } from 'node:crypto';
import { newUuid } from '../../core/index.js';
import { apiKeyLeaksRepository, applicationsRepository } from '../../store/index.js';
import type { AuditActor } from '../audit/index.js';
import type { ControlPlaneContext } from '../context.js';
import { logRevocation, revokeApiKeyIn, type ApiKeyRevocation } from '../devportal/api-keys/index.js';
import { identifyReportedKey, type ReportedKey } from './identify-reported-key.js';

/** One match of a leak report (GitHub secret-scanning partner format). */
export interface LeakReportItem {
  token: string;
  type: string;
  url?: string;
  source?: string;
}

/** One element of the answer: the token (by SHA-256 hex, or raw per `feedback_token`), its type, the verdict. */
export type LeakFeedback = (
  { token_hash: string; token_raw?: never } | { token_raw: string; token_hash?: never }
) & { token_type: string; label: 'true_positive' | 'false_positive' };

/**
 * Answers a verified leak report: for each reported token, whether it is a Portico API key
 * ({@link identifyReportedKey}); each one found is revoked (`action = "revoke"`: the revocation reaches the
 * gateways through the change log like any other) or left working (`"mark"`), and a leak record names the key by
 * jti with the reporter key id, the time, the URL and the source — never the token.
 */
export async function answerLeakReport(
  ctx: ControlPlaneContext,
  reporterKeyId: string,
  items: readonly LeakReportItem[],
): Promise<LeakFeedback[]> {
  const settings = ctx.config.apim.devportal.leak_report;
  const out: LeakFeedback[] = [];
  let found = 0;
  for (const item of items) {
    const key = await identifyReportedKey(ctx, item.token);
    if (key) {
      found++;
      await actOnLeak(ctx, key, reporterKeyId, item, settings.action);
    }
    const named =
      settings.feedback_token === 'raw'
        ? { token_raw: item.token }
        : { token_hash: createHash('sha256').update(item.token).digest('hex') };
    out.push({ ...named, token_type: item.type, label: key ? 'true_positive' : 'false_positive' });
  }
  ctx.logger.info(
    { reporter: reporterKeyId, reported: items.length, portico_keys: found, action: settings.action },
    'leak report answered',
  );
  return out;
}

async function actOnLeak(
  ctx: ControlPlaneContext,
  key: ReportedKey,
  reporterKeyId: string,
  item: LeakReportItem,
  action: 'revoke' | 'mark',
): Promise<void> {
  const apps = applicationsRepository(ctx.store);
  // An API-bound key may have no application (its leak row then names none).
  const app = key.row
    ? key.row.application_id === null
      ? undefined
      : await apps.findById(key.row.application_id)
    : key.applicationUuid
      ? await apps.findByUuid(key.applicationUuid)
      : undefined;
  const revocation: ApiKeyRevocation = {
    jti: key.jti,
    expiresAt: key.expiresAt,
    application: app,
    actor: reporter(reporterKeyId),
  };
  // One transaction: a revoked key always carries the leak record that says why (and a failed write leaves neither).
  const revoked = await ctx.changes.write(async (trx, record) => {
    const changed = action === 'revoke' && (await revokeApiKeyIn(ctx, trx, record, revocation));
    await apiKeyLeaksRepository(trx).insert({
      uuid: newUuid(),
      key_jti: key.jti,
      application_id: app?.id ?? key.row?.application_id ?? null,
      reporter_key_id: reporterKeyId,
      token_type: item.type,
      url: item.url ?? '',
      source: item.source ?? '',
      action: action === 'revoke' ? 'revoked' : 'marked',
      reported_at: ctx.clock.now(),
    });
    await ctx.audit.record(
      {
        action: 'apikey.leaked',
        actor: reporter(reporterKeyId),
        target: { type: 'api-key', id: key.jti, name: key.row?.name ?? null },
        details: { application: app?.uuid ?? null, action, url: item.url ?? '', source: item.source ?? '' },
      },
      trx,
    );
    return changed;
  });
  if (revoked) logRevocation(ctx, revocation);
  ctx.logger.warn(
    { jti: key.jti, format: key.format, application: app?.uuid, reporter: reporterKeyId, action },
    'api key reported leaked',
  );
}

/** The audit actor of a leak report: the scanner, by the public-key id its report was signed with. */
function reporter(reporterKeyId: string): AuditActor {
  return { name: `leak-report:${reporterKeyId}`, clientIp: null };
}
