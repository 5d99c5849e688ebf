/** A deployment.toml problem: names the key, its line and what is allowed. Never includes secret values. */
export class ConfigError extends Error {
  readonly key: string;
  readonly line: number | null;
  readonly file: string;

  constructor(file: string, key: string, line: number | null, problem: string) {
    super(`${file}${line ? `:${line}` : ''}: ${key ? `[${key}] ` : ''}${problem}`);
    this.name = 'ConfigError';
    this.key = key;
    this.line = line;
    this.file = file;
  }
}
