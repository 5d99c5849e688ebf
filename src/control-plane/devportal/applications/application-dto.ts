import Type from 'typebox';
import type { ApplicationRow } from '../../../store/index.js';

/** WSO2 `ApplicationInfo` (list entries), Developer Portal v3. Wire contract. */
export function applicationInfoDto(row: ApplicationRow, subscriptionCount: number) {
  return {
    applicationId: row.uuid,
    name: row.name,
    throttlingPolicy: row.throttling_policy,
    description: row.description,
    status: row.status,
    groups: row.group_id ? row.group_id.split(',') : [],
    subscriptionCount,
    attributes: JSON.parse(row.attributes) as Record<string, string>,
    owner: row.owner,
    createdTime: String(row.created_at),
    updatedTime: String(row.updated_at),
  };
}

/** WSO2 `Application` (single resource): ApplicationInfo plus tokenType, keys, hashEnabled. Wire contract. */
export function applicationDto(row: ApplicationRow, subscriptionCount: number, keys: unknown[]) {
  const info = applicationInfoDto(row, subscriptionCount);
  return {
    applicationId: info.applicationId,
    name: info.name,
    throttlingPolicy: info.throttlingPolicy,
    description: info.description,
    tokenType: row.token_type,
    status: info.status,
    groups: info.groups,
    subscriptionCount,
    keys,
    attributes: info.attributes,
    subscriptionScopes: [],
    owner: info.owner,
    // Consumer secrets are stored hashed: shown once at generation, never listed again.
    hashEnabled: true,
    createdTime: info.createdTime,
    updatedTime: info.updatedTime,
  };
}

/**
 * Body of POST/PUT `/applications`. Unknown and read-only fields (applicationId, owner, keys, status, ...) are
 * tolerated because WSO2 clients PUT back what they GET; they are ignored.
 */
export const ApplicationBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    throttlingPolicy: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
    // OAUTH: opaque access tokens (ADR 0006); absent on update keeps the current type.
    tokenType: Type.Optional(Type.Union([Type.Literal('JWT'), Type.Literal('OAUTH')])),
    groups: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.String({ maxLength: 1024 }), { maxProperties: 50 }),
    ),
  },
  { additionalProperties: true },
);
export type ApplicationBody = Type.Static<typeof ApplicationBody>;

export const ApplicationListQuery = {
  type: 'object',
  properties: {
    limit: { type: 'string', pattern: '^(?:[1-9][0-9]{0,3})$' },
    offset: { type: 'string', pattern: '^(?:0|[1-9][0-9]{0,8})$' },
    query: { type: 'string', maxLength: 100 },
    groupId: { type: 'string', maxLength: 100 },
    sortBy: { type: 'string', enum: ['name', 'throttlingPolicy', 'status'] },
    sortOrder: { type: 'string', enum: ['asc', 'desc', 'ASC', 'DESC'] },
  },
  additionalProperties: true,
} as const;
export interface ApplicationListQuery {
  limit?: string;
  offset?: string;
  query?: string;
  sortBy?: 'name' | 'throttlingPolicy' | 'status';
  sortOrder?: 'asc' | 'desc' | 'ASC' | 'DESC';
}
