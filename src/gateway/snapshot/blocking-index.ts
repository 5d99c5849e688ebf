import { ipPosition, type SnapshotBlockingCondition } from '../../core/index.js';

/** WSO2 qualifies super-tenant usernames (`admin@carbon.super`); a condition on `admin` means the same user. */
const SUPER_TENANT = '@carbon.super';

/** Allowed addresses left by inverted IP conditions: one interval (possibly empty), or every address. */
type AllowOnly = { readonly start: bigint; readonly end: bigint } | null;

/**
 * The enabled deny policies (WSO2 blocking conditions) compiled for the request path: API contexts, applications
 * (`owner:name`) and users in sets (O(1)); fixed IPs in a set and IP ranges merged into sorted disjoint
 * intervals (binary search, O(log n)); inverted conditions ("block every address but this") reduced to the
 * intersection of what they allow (O(1)). IPv4 and IPv6 share one ordered space (IPv4 at its IPv4-mapped place),
 * so a range never matches an address of the other family. Changes recompile the sets, which are small.
 */
export class BlockingIndex {
  readonly #conditions = new Map<string, SnapshotBlockingCondition>();
  #apis = new Set<string>();
  #applications = new Set<string>();
  #users = new Set<string>();
  #fixedIps = new Set<bigint>();
  #rangeStarts: bigint[] = [];
  #rangeEnds: bigint[] = [];
  #allowOnly: AllowOnly = null;
  #hasInverted = false;

  constructor(conditions: readonly SnapshotBlockingCondition[] = []) {
    for (const c of conditions) this.#conditions.set(c.id, c);
    this.#compile();
  }

  get size(): number {
    return this.#conditions.size;
  }

  /** True when an IP condition exists (the caller then resolves the client address). */
  get hasIpConditions(): boolean {
    return this.#hasInverted || this.#fixedIps.size > 0 || this.#rangeStarts.length > 0;
  }

  /** Adds, replaces or (null) removes the condition `id`. */
  set(id: string, condition: SnapshotBlockingCondition | null): void {
    if (condition === null) this.#conditions.delete(id);
    else this.#conditions.set(id, condition);
    this.#compile();
  }

  /** `contextVersion` is `/context/version`, as WSO2's API condition names it. */
  blocksApi(contextVersion: string): boolean {
    return this.#apis.size > 0 && this.#apis.has(contextVersion);
  }

  blocksApplication(owner: string, name: string): boolean {
    return this.#applications.size > 0 && this.#applications.has(`${owner}:${name}`);
  }

  blocksUser(username: string): boolean {
    return this.#users.size > 0 && this.#users.has(stripSuperTenant(username));
  }

  /** The client address against IP and IP-range conditions; an unreadable address matches inverted ones only. */
  blocksIp(address: string): boolean {
    if (!this.hasIpConditions) return false;
    const value = ipPosition(address)?.value;
    if (value === undefined) return this.#hasInverted;
    if (this.#hasInverted) {
      const allow = this.#allowOnly;
      if (allow === null || value < allow.start || value > allow.end) return true;
    }
    if (this.#fixedIps.has(value)) return true;
    return this.#inRange(value);
  }

  #inRange(value: bigint): boolean {
    let lo = 0;
    let hi = this.#rangeStarts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (value < this.#rangeStarts[mid]!) hi = mid - 1;
      else if (value > this.#rangeEnds[mid]!) lo = mid + 1;
      else return true;
    }
    return false;
  }

  #compile(): void {
    const apis = new Set<string>();
    const applications = new Set<string>();
    const users = new Set<string>();
    const fixed = new Set<bigint>();
    const ranges: [bigint, bigint][] = [];
    let allowOnly: AllowOnly = null;
    let hasInverted = false;
    const allow = (start: bigint, end: bigint): void => {
      if (!hasInverted) allowOnly = { start, end };
      else if (allowOnly !== null) {
        const s = allowOnly.start > start ? allowOnly.start : start;
        const e = allowOnly.end < end ? allowOnly.end : end;
        allowOnly = s <= e ? { start: s, end: e } : null;
      }
      hasInverted = true;
    };
    for (const c of this.#conditions.values()) {
      if (c.type === 'IP' || c.type === 'IPRANGE') {
        const start = ipPosition(c.type === 'IP' ? c.fixedIp : c.startingIp)?.value;
        const end = ipPosition(c.type === 'IP' ? c.fixedIp : c.endingIp)?.value;
        if (start === undefined || end === undefined || start > end) continue; // the control plane validates
        if (c.invert) allow(start, end);
        else if (c.type === 'IP') fixed.add(start);
        else ranges.push([start, end]);
      } else if (c.type === 'API') apis.add(c.value);
      else if (c.type === 'APPLICATION') applications.add(c.value);
      else users.add(stripSuperTenant(c.value));
    }
    this.#apis = apis;
    this.#applications = applications;
    this.#users = users;
    this.#fixedIps = fixed;
    [this.#rangeStarts, this.#rangeEnds] = mergeRanges(ranges);
    this.#allowOnly = allowOnly;
    this.#hasInverted = hasInverted;
  }
}

/** Sorted, merged, disjoint intervals as parallel start/end arrays. */
function mergeRanges(ranges: [bigint, bigint][]): [bigint[], bigint[]] {
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const starts: bigint[] = [];
  const ends: bigint[] = [];
  for (const [s, e] of ranges) {
    const last = ends.length - 1;
    if (last >= 0 && s <= ends[last]! + 1n) {
      if (e > ends[last]!) ends[last] = e;
    } else {
      starts.push(s);
      ends.push(e);
    }
  }
  return [starts, ends];
}

function stripSuperTenant(username: string): string {
  return username.endsWith(SUPER_TENANT) ? username.slice(0, -SUPER_TENANT.length) : username;
}
