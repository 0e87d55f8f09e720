// Plain JavaScript on purpose: this runs on whatever Node started a command (Node 20 on most
// nodes), before anything can load TypeScript.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function projectNode() {
  try {
    const nodePackage = createRequire(import.meta.url).resolve('node/package.json');
    return path.join(path.dirname(nodePackage), 'bin/node');
  } catch {
    console.error(
      `${path.basename(process.argv[1] ?? 'wp-edge')}: Node ${process.versions.node} cannot run TypeScript and the project's own Node 24 is not installed: run npm install (or npm ci) in the wp-edge folder`,
    );
    process.exit(1);
  }
}

/**
 * Runs a command's TypeScript entry: in this process when the running Node strips types
 * itself (Node 23.6 and newer), otherwise on the project's own Node 24 (the `node` package),
 * passing on the arguments, standard streams, signals and exit code.
 * @example
 * await runTypeScript(new URL('../src/main.ts', import.meta.url));
 */
export async function runTypeScript(entry) {
  if (process.features.typescript) {
    await import(entry.href);
    return;
  }
  const child = spawn(projectNode(), [fileURLToPath(entry), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  for (const signal of FORWARDED_SIGNALS) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => {
    console.error(`could not start the project's Node: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const forwarded of FORWARDED_SIGNALS) process.removeAllListeners(forwarded);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
}
