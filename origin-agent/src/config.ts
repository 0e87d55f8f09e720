import { readFile } from 'node:fs/promises';
import { AgentConfig, fieldErrors } from '@wp-edge/core';

/** Environment variables that override the config file, for secrets kept out of it (systemd EnvironmentFile). */
export const ENV_OVERRIDES = {
  WP_EDGE_EDGE_URL: ['edgeUrl'],
  WP_EDGE_KEY_ID: ['keyId'],
  WP_EDGE_SECRET: ['secret'],
  WP_EDGE_DB_HOST: ['database', 'host'],
  WP_EDGE_DB_PORT: ['database', 'port'],
  WP_EDGE_DB_USER: ['database', 'user'],
  WP_EDGE_DB_PASSWORD: ['database', 'password'],
  WP_EDGE_DB_NAME: ['database', 'name'],
  WP_EDGE_TABLE_PREFIX: ['database', 'tablePrefix'],
  WP_EDGE_METRICS_PORT: ['metrics', 'port'],
} as const;

/** A config problem, naming the setting and where its value came from. */
export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

async function readJson(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new AgentConfigError(
      `cannot read config file ${file}: ${(error as NodeJS.ErrnoException).code}`,
    );
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new AgentConfigError(
      `config file ${file} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    target[head] = value;
    return;
  }
  if (typeof target[head] !== 'object' || target[head] === null) target[head] = {};
  setPath(target[head] as Record<string, unknown>, rest, value);
}

/**
 * The agent's configuration: the JSON file `wp-edge nodes agent-config` printed, with
 * `WP_EDGE_*` environment variables taking precedence. Errors name each bad setting and
 * whether it came from the file or the environment.
 */
export async function loadAgentConfig(
  file: string,
  env: Record<string, string | undefined> = process.env,
): Promise<AgentConfig> {
  const raw = await readJson(file);
  const fromEnv = new Map<string, string>();
  for (const [variable, path] of Object.entries(ENV_OVERRIDES)) {
    const value = env[variable];
    if (value === undefined) continue;
    setPath(raw, path, path.at(-1) === 'port' ? Number(value) : value);
    fromEnv.set(path.join('.'), variable);
  }
  const parsed = AgentConfig.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = fieldErrors(parsed.error).map((error) => {
    const variable = fromEnv.get(error.path);
    const source = variable ? `environment variable ${variable}` : `${file}`;
    return `${error.path} (from ${source}): ${error.message}`;
  });
  throw new AgentConfigError(`invalid agent config: ${problems.join('; ')}`);
}
