import { RestError } from '../../core/index.js';

/** Lifecycle states as stored and shown in `lifeCycleStatus` (upper case, WSO2 v4). */
export type LifecycleStatus = 'CREATED' | 'PROTOTYPED' | 'PUBLISHED' | 'BLOCKED' | 'DEPRECATED' | 'RETIRED';

/** WSO2's default APILifeCycle: state → action → target state. */
const TRANSITIONS: Record<LifecycleStatus, Record<string, LifecycleStatus>> = {
  CREATED: { Publish: 'PUBLISHED', 'Deploy as a Prototype': 'PROTOTYPED' },
  PROTOTYPED: { Publish: 'PUBLISHED', 'Demote to Created': 'CREATED' },
  PUBLISHED: {
    Block: 'BLOCKED',
    Deprecate: 'DEPRECATED',
    'Demote to Created': 'CREATED',
    'Deploy as a Prototype': 'PROTOTYPED',
  },
  BLOCKED: { 'Re-Publish': 'PUBLISHED', Deprecate: 'DEPRECATED' },
  DEPRECATED: { Retire: 'RETIRED' },
  RETIRED: {},
};

/** WSO2 shows lifecycle states title-cased in the lifecycle resources (`Published`). */
export const displayState = (s: string): string => s.charAt(0) + s.slice(1).toLowerCase();

/**
 * The target state of `action` from `from`.
 * @throws RestError VALIDATION_FAILED for an action not allowed in that state.
 */
export function nextState(from: string, action: string): LifecycleStatus {
  const allowed = TRANSITIONS[from as LifecycleStatus] ?? {};
  const to = allowed[action];
  if (!to) {
    const options = Object.keys(allowed);
    throw new RestError(
      'VALIDATION_FAILED',
      `Action '${action}' is not allowed in lifecycle state ${displayState(from)}` +
        (options.length ? `; allowed: ${options.join(', ')}` : '; no further transitions'),
    );
  }
  return to;
}

/** The WSO2 `LifecycleState` resource of an API in state `state`. */
export function lifecycleState(state: string) {
  const allowed = TRANSITIONS[state as LifecycleStatus] ?? {};
  return {
    state: displayState(state),
    checkItems: [],
    availableTransitions: Object.entries(allowed).map(([event, target]) => ({
      event,
      targetState: displayState(target),
    })),
  };
}
