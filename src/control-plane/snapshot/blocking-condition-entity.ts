import type { SnapshotBlockingCondition } from '../../core/index.js';
import type { BlockingConditionRow } from '../../store/index.js';

/**
 * What a gateway enforces for a stored deny policy: null when it is disabled (`conditionStatus` false), so a
 * disabled condition leaves the gateway's index like a deleted one. IP values are stored canonical (see
 * `admin/deny-policies`), so they are copied as they are.
 */
export function snapshotBlockingCondition(row: BlockingConditionRow): SnapshotBlockingCondition | null {
  if (row.enabled !== 1) return null;
  const id = row.uuid;
  switch (row.condition_type) {
    case 'API':
    case 'APPLICATION':
    case 'USER':
      return { id, type: row.condition_type, value: row.condition_value };
    case 'IP': {
      const v = JSON.parse(row.condition_value) as { fixedIp: string; invert: boolean };
      return { id, type: 'IP', fixedIp: v.fixedIp, invert: v.invert };
    }
    case 'IPRANGE': {
      const v = JSON.parse(row.condition_value) as { startingIp: string; endingIp: string; invert: boolean };
      return { id, type: 'IPRANGE', startingIp: v.startingIp, endingIp: v.endingIp, invert: v.invert };
    }
    default:
      return null;
  }
}
