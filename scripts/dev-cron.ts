// Cron work under `npm run dev`: workerd never fires Cron Triggers by itself, so the dev
// script fires the router's configured crons through wrangler's `--test-scheduled` route.
// Only the router is reachable from outside a `wrangler dev` session: the other Workers' crons
// (the comments Worker's lag alerts and log pruning) do not run locally (README: Development).
import { unstable_readConfig } from 'wrangler';

/** How often each of the router's crons fires under `npm run dev` (every minute by default). */
export function devCronIntervalMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.WP_EDGE_DEV_CRON_SECONDS ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(
      `WP_EDGE_DEV_CRON_SECONDS must be a positive number of seconds, not ${seconds}`,
    );
  return seconds * 1_000;
}

/** The crons of a Worker's wrangler config. */
export function configuredCrons(configPath: string): string[] {
  return unstable_readConfig({ config: configPath }).triggers.crons ?? [];
}

/**
 * Fires each cron at `edgeUrl`'s `/__scheduled` every `intervalMs`, starting once the edge
 * answers its health check; returns a function that stops it.
 */
export function startDevCron(edgeUrl: string, crons: string[], intervalMs: number): () => void {
  const fire = async () => {
    for (const cron of crons) {
      const answer = await fetch(`${edgeUrl}/__scheduled?cron=${encodeURIComponent(cron)}`).catch(
        (error: Error) => error,
      );
      if (answer instanceof Error || !answer.ok)
        console.error(
          `dev cron ${cron}: ${answer instanceof Error ? answer.message : answer.status}`,
        );
    }
  };
  const timer = setInterval(() => void fire(), intervalMs);
  return () => clearInterval(timer);
}
