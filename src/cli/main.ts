import { Command } from 'commander';
import { ConfigError } from '../config/index.js';
import { RestError } from '../core/index.js';
import { KeystoreError } from '../crypto/index.js';
import { keystoreExportCert, keystoreImportCert, keystoreList } from './commands/keystore.js';
import { signingCertUsageCommand } from './commands/signing-cert-usage.js';
import { gatewaysCommand } from './commands/gateways.js';
import { gatewayCommand, startCommand } from './commands/start.js';
import { userAdd, userPasswd } from './commands/user.js';
import { packageVersion } from './home.js';

const HOME_HELP = 'home directory (default: $PORTICO_HOME, else ./portico-home)';

/** Builds the `portico` command line. */
export function buildProgram(): Command {
  const program = new Command('portico')
    .description('Portico API manager: developer portal, publisher, OAuth2 key manager and gateway')
    .version(packageVersion());

  program
    .command('start')
    .description(
      'start the all-in-one server (control plane 9443/9763, gateway 8243/8280, plus [server] offset)',
    )
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string }) => startCommand(o));

  program
    .command('control-plane')
    .description(
      'scaled out: start only the control plane (REST, portals, key manager); use PostgreSQL and Redis',
    )
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string }) => startCommand(o, 'control-plane'));

  program
    .command('gateway')
    .description('scaled out: start only a gateway that syncs from [apim.gateway] control_plane_urls')
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string }) => gatewayCommand(o));

  program
    .command('gateways')
    .description('list the gateways of this deployment and the change version each serves')
    .option('--home <dir>', HOME_HELP)
    .option(
      '--min-version <version>',
      'also say whether this change is enforced on every active gateway (exit 3 if not)',
    )
    .option('--json', 'print JSON')
    .action((o: { home?: string; minVersion?: string; json?: boolean }) => gatewaysCommand(o));

  const ks = program.command('keystore').description('inspect the keystore and manage the trust store');
  ks.command('list')
    .description('list the entries of the primary keystore and the trust store')
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string }) => keystoreList(o));
  ks.command('import-cert')
    .description(
      'import a PEM or DER certificate into the trust store of the deployment, live (like keytool -import -alias A -file F)',
    )
    .requiredOption('--alias <alias>', 'alias to store it under (API keys name it in their kid header)')
    .requiredOption('--file <file>', 'certificate file, PEM or DER')
    .option('--replace', 'replace an existing certificate with the same alias')
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string; alias: string; file: string; replace?: boolean }) => keystoreImportCert(o));
  ks.command('export-cert')
    .description('print (or write) the PEM certificate of an alias from the keystore or the trust store')
    .requiredOption('--alias <alias>', 'alias of the entry')
    .option('--file <file>', 'write to this file instead of stdout')
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string; alias: string; file?: string }) => keystoreExportCert(o));
  ks.command('signing-usage')
    .description(
      'per trust-store alias: live JWT API keys signed under it and their latest expiry (safe to remove when 0)',
    )
    .option('--json', 'print JSON')
    .option('--home <dir>', HOME_HELP)
    .action((o: { home?: string; json?: boolean }) => signingCertUsageCommand(o));

  const user = program.command('user').description('manage user accounts in the store');
  user
    .command('add <username>')
    .description('create a user; prints a generated password unless --password-stdin is given')
    .option('--roles <roles>', 'comma-separated roles: admin, creator, publisher, subscriber', 'subscriber')
    .option('--email <email>', 'e-mail address')
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--home <dir>', HOME_HELP)
    .action((name: string, o: { home?: string; roles: string; passwordStdin?: boolean; email?: string }) =>
      userAdd(name, o),
    );
  user
    .command('passwd <username>')
    .description("set a user's password; prints a generated one unless --password-stdin is given")
    .option('--password-stdin', 'read the password from the first line of standard input')
    .option('--home <dir>', HOME_HELP)
    .action((name: string, o: { home?: string; passwordStdin?: boolean }) => userPasswd(name, o));
  return program;
}

/** Runs the CLI; expected failures print one line and exit 1, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (err instanceof ConfigError || err instanceof KeystoreError || err instanceof RestError) {
      console.error(`portico: ${err.message}`);
    } else if (err instanceof Error && (err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      console.error(`portico: ${err.message} (is another Portico running? change [server] offset)`);
    } else if (err instanceof Error && /^unknown role/.test(err.message)) {
      console.error(`portico: ${err.message}`);
    } else {
      console.error('portico: unexpected error', err);
    }
    process.exit(1);
  }
}
