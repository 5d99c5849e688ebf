import pino from 'pino';
import { createAuditLog, createUserService, ROLES } from '../../control-plane/index.js';
import { systemClock } from '../../core/index.js';
import { generatePassword, initHome, loadHomeConfig, resolveHome } from '../home.js';
import { openConfiguredStore } from '../server/configured-store.js';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

/** Built-in roles grant REST scopes; `[user_store] custom_roles` lists the organisation's own (`gold-partners`). */
function parseRoles(list: string, customRoles: readonly string[]): string[] {
  const roles = list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const known: readonly string[] = [...ROLES, ...customRoles];
  const bad = roles.filter((r) => !known.includes(r));
  if (bad.length)
    throw new Error(
      `unknown role(s): ${bad.join(', ')}; roles are ${known.join(', ')} (add your own in [user_store] custom_roles)`,
    );
  return roles;
}

async function withUsers<T>(
  home: string | undefined,
  fn: (users: ReturnType<typeof createUserService>) => Promise<T>,
): Promise<T> {
  const h = resolveHome(home);
  initHome(h);
  const config = loadHomeConfig(h);
  const store = await openConfiguredStore(h, config);
  try {
    // The audit row is what counts here; the JSON line would only clutter the command's output.
    const audit = createAuditLog({ store, clock: systemClock, logger: pino({ level: 'silent' }) });
    return await fn(
      createUserService(store, systemClock, { customRoles: config.user_store.custom_roles, audit }),
    );
  } finally {
    await store.close();
  }
}

/** `portico user add NAME --roles subscriber [--password-stdin]`: creates a user; without a password one is generated and printed. */
export async function userAdd(
  name: string,
  opts: { home?: string; roles: string; passwordStdin?: boolean; email?: string },
) {
  const h = resolveHome(opts.home);
  initHome(h);
  const roles = parseRoles(opts.roles, loadHomeConfig(h).user_store.custom_roles);
  const password = opts.passwordStdin ? await readStdinLine() : generatePassword();
  await withUsers(opts.home, (users) => users.create(name, password, roles, opts.email ?? null));
  console.log(`User "${name}" created with roles ${roles.join(', ')}.`);
  if (!opts.passwordStdin) console.log(`Generated password: ${password}`);
}

/** `portico user passwd NAME [--password-stdin]`: sets a new password (generated and printed when not given). */
export async function userPasswd(name: string, opts: { home?: string; passwordStdin?: boolean }) {
  const password = opts.passwordStdin ? await readStdinLine() : generatePassword();
  await withUsers(opts.home, (users) => users.setPassword(name, password));
  console.log(`Password of "${name}" changed.`);
  if (!opts.passwordStdin) console.log(`Generated password: ${password}`);
}
