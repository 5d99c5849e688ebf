import { Command } from 'commander';
import { ConfigError } from '../config/index.js';
import { RestError } from '../core/index.js';
import { KeystoreError } from '../crypto/index.js';
import { apiExport, apiImport, appExport, appImport, RemoteCallError } from './commands/project-transfer.js';
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
  addProjectCommands(program);
  return program;
}

/** Runs the CLI; expected failures print one line and exit 1, never a stack trace. */
export async function main(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    if (
      err instanceof ConfigError ||
      err instanceof KeystoreError ||
      err instanceof RestError ||
      err instanceof RemoteCallError
    ) {
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

/** Options every project command shares: where the control plane is and who calls it (apictl's -e/-k). */
function remote(c: Command): Command {
  return c
    .option('--home <dir>', HOME_HELP)
    .option(
      '--url <url>',
      "control plane base URL (default: this home's, http://127.0.0.1:9763 + [server] offset)",
    )
    .option('--user <name>', 'user to call the REST API as', 'admin')
    .option('--password-stdin', "read that user's password from the first line of standard input")
    .option('-k, --insecure', 'accept a self-signed TLS certificate of --url');
}

/** `portico api export|import` and `portico app export|import`: apictl-layout project zips over the REST API. */
function addProjectCommands(program: Command): void {
  const api = program
    .command('api')
    .description("export and import APIs as apictl project zips (WSO2's layout)");
  remote(api.command('export'))
    .description(
      'write an API as <name>_<version>.zip (api.yaml, Definitions/swagger.yaml, deployment_environments.yaml)',
    )
    .requiredOption('-n, --name <name>', 'API name')
    .requiredOption('-v, --version <version>', 'API version')
    .option('-r, --provider <provider>', 'API provider')
    .option('--format <format>', 'YAML or JSON', 'YAML')
    .option('--no-preserve-status', 'export the API as CREATED')
    .option('--file <file>', 'where to write the zip')
    .action((o: Parameters<typeof apiExport>[0]) => apiExport(o));
  remote(api.command('import'))
    .description(
      'create (or with --overwrite update) an API from a project zip, deploying it where the project says',
    )
    .requiredOption('-f, --file <file>', 'the project zip')
    .option('--overwrite', 'update the existing API of that name and version')
    .option('--no-preserve-provider', 'make the calling user the provider')
    .option('--rotate-revision', 'at the revision limit, delete the oldest revision')
    .action((o: Parameters<typeof apiImport>[0]) => apiImport(o));

  const app = program.command('app').description('export and import applications as apictl project zips');
  remote(app.command('export'))
    .description('write an application with its subscriptions (and keys) as <owner>_<name>.zip')
    .requiredOption('-n, --name <name>', 'application name')
    .requiredOption('-o, --owner <owner>', 'application owner')
    .option('--with-keys', 'include the consumer keys (secrets as hashes only)')
    .option('--format <format>', 'YAML or JSON', 'YAML')
    .option('--file <file>', 'where to write the zip')
    .action((o: Parameters<typeof appExport>[0]) => appExport(o));
  remote(app.command('import'))
    .description('create (or with --update update) an application from a project zip')
    .requiredOption('-f, --file <file>', 'the project zip')
    .option('--preserve-owner', 'keep the owner named in the project')
    .option('--owner <owner>', 'owner here when the owner is not preserved (default: --user)')
    .option('--skip-subscriptions', 'do not import subscriptions')
    .option('--skip-keys', 'do not import the consumer keys')
    .option('--update', 'update the existing application of that name')
    .action((o: Parameters<typeof appImport>[0]) => appImport(o));
}
