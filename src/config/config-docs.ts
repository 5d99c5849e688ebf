import { ConfigSchema } from './schema.js';

interface SchemaNode {
  type?: string;
  description?: string;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  anyOf?: SchemaNode[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
}

export interface ConfigKeyDoc {
  table: string;
  key: string;
  description: string;
  default: unknown;
  allowed: string;
}

/** Every leaf key of the schema with its table, description, default and allowed values. */
export function describeConfigKeys(): ConfigKeyDoc[] {
  const out: ConfigKeyDoc[] = [];
  walk(ConfigSchema as unknown as SchemaNode, [], out);
  return out;
}

function walk(node: SchemaNode, path: string[], out: ConfigKeyDoc[]): void {
  if (node.properties) {
    for (const [k, child] of Object.entries(node.properties)) {
      if (child.properties || child.patternProperties) walk(child, [...path, k], out);
      else
        out.push({
          table: path.join('.'),
          key: k,
          description: child.description ?? '',
          default: child.default,
          allowed: allowedOf(child),
        });
    }
  } else if (node.patternProperties) {
    const inner = Object.values(node.patternProperties)[0];
    if (inner) walk(inner, [...path, 'NAME'], out);
  }
}

function allowedOf(n: SchemaNode): string {
  if (n.anyOf) {
    const consts = n.anyOf.map((a) => a.const).filter((c) => c !== undefined);
    return consts.length
      ? consts.map((c) => JSON.stringify(c)).join(' \\| ')
      : n.anyOf.map((a) => a.type).join(' or ');
  }
  const range = [
    n.minimum !== undefined ? `≥ ${n.minimum}` : '',
    n.maximum !== undefined ? `≤ ${n.maximum}` : '',
  ].filter(Boolean);
  return `${n.type ?? ''}${range.length ? ` (${range.join(', ')})` : ''}`;
}

/** Markdown reference of deployment.toml, generated from the schema. */
export function renderConfigDocs(): string {
  const lines = [
    '# Configuration reference: `deployment.toml`',
    '',
    '<!-- Generated from src/config/schema.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'Portico reads one file, `<home>/conf/deployment.toml`. Key names follow WSO2 API Manager where WSO2 has one.',
    'An unknown key or a bad value stops the start with a message naming the key, its line and what is allowed.',
    'Any string value may contain `$env{NAME}` (or `${NAME}`) to read a secret from the environment.',
    '',
  ];
  let table: string | null = null;
  for (const d of describeConfigKeys()) {
    if (d.table !== table) {
      table = d.table;
      lines.push(
        '',
        `## \`[${table}]\``,
        '',
        '| key | default | allowed | description |',
        '|---|---|---|---|',
      );
    }
    lines.push(
      `| \`${d.key}\` | \`${JSON.stringify(d.default)}\` | ${d.allowed} | ${d.description.replace(/\|/g, '\\|')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The commented deployment.toml written on the first start: every key shown commented out with its default,
 * `values` (generated secrets, for instance) written for real.
 */
export function renderConfigTemplate(
  values: Record<string, Record<string, string | number | boolean>>,
): string {
  const lines = [
    '# Portico configuration. Every key is listed with its default, commented out; uncomment to change.',
    '# Reference: docs/configuration.md. Secrets may be read from the environment: password = "$env{NAME}".',
    '',
  ];
  let table: string | null = null;
  const written = new Set<string>();
  for (const d of describeConfigKeys()) {
    if (d.table.includes('NAME')) continue;
    if (d.table !== table) {
      table = d.table;
      lines.push('', `[${table}]`);
    }
    lines.push(`# ${d.description}`);
    const v = values[d.table]?.[d.key];
    if (v !== undefined) {
      lines.push(`${d.key} = ${JSON.stringify(v)}`);
      written.add(`${d.table}.${d.key}`);
    } else lines.push(`# ${d.key} = ${JSON.stringify(d.default)}`);
  }
  for (const [t, kv] of Object.entries(values)) {
    for (const [k, v] of Object.entries(kv)) {
      if (!written.has(`${t}.${k}`)) throw new Error(`renderConfigTemplate: unknown key ${t}.${k}`);
      void v;
    }
  }
  lines.push(
    '',
    '# Named keystores, e.g. one to sign API keys:',
    '# [custom_keystore.APIKeyKeyStore]',
    '# file_name = "apikeysigner.jks"',
    '# type = "JKS"',
    '# password = "$env{APIKEY_KEYSTORE_PASSWORD}"',
    '# alias = "apikeysigner"',
    '# key_password = "$env{APIKEY_KEYSTORE_PASSWORD}"',
    '',
  );
  return lines.join('\n');
}
