import { apiKeyLeaksRepository, type ApiKeyLeakRow, type Queryable } from '../../../store/index.js';

/** A leak report of one key as its owner sees it (never the token: the report named it, the row does not). */
export interface LeakReportInfo {
  reportedAt: number;
  /** Where the key was found. */
  url: string;
  /** What kind of place (`content`, `commit`, `npm`, ...); empty when the reporter did not say. */
  source: string;
  /** The public-key identifier the report was signed with. */
  reportedBy: string;
  /** `revoked` (the report revoked the key) or `marked` (recorded only: the key still works). */
  action: string;
}

/** The leak fields of an API-key list item: `leaked` and every report, oldest first. */
export interface LeakFields {
  leaked: boolean;
  leakReports: LeakReportInfo[];
}

/** Leak reports of the keys of application `applicationId`, by key jti. */
export async function leaksByKey(
  db: Queryable,
  applicationId: number,
): Promise<Map<string, ApiKeyLeakRow[]>> {
  const out = new Map<string, ApiKeyLeakRow[]>();
  for (const row of await apiKeyLeaksRepository(db).listByApplication(applicationId)) {
    const list = out.get(row.key_jti);
    if (list) list.push(row);
    else out.set(row.key_jti, [row]);
  }
  return out;
}

/** {@link LeakFields} of one key from its leak rows (none: not leaked). */
export function leakFields(rows: readonly ApiKeyLeakRow[] | undefined): LeakFields {
  const leakReports = (rows ?? []).map((r) => ({
    reportedAt: r.reported_at,
    url: r.url,
    source: r.source,
    reportedBy: r.reporter_key_id,
    action: r.action,
  }));
  return { leaked: leakReports.length > 0, leakReports };
}
