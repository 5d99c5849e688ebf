import { createUserService, ROLES, type Role } from '../../control-plane/index.js';
import { systemClock } from '../../core/index.js';
import { generatePassword, initHome, loadHomeConfig, resolveHome } from '../home.js';
import { openConfiguredStore } from '../server/configured-store.js';

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function parseRoles(list: string): Role[] {
  const roles = list
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length) throw new Error(`unknown role(s): ${bad.join(', ')}; roles are ${ROLES.join(', ')}`);
  return roles as Role[];
}

async function withUsers<T>(
  home: string | undefined,
  fn: (users: ReturnType<typeof createUserService>) => Promise<T>,
): Promise<T> {
  const h = resolveHome(home);
  initHome(h);
  const store = await openConfiguredStore(h, loadHomeConfig(h));
  try {
    return await fn(createUserService(store, systemClock));
  } finally {
    await store.close();
  }
}

/** `portico user add NAME --roles subscriber [--password-stdin]`: creates a user; without a password one is generated and printed. */
export async function userAdd(
  name: string,
  opts: { home?: string; roles: string; passwordStdin?: boolean; email?: string },
) {
  const roles = parseRoles(opts.roles);
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
