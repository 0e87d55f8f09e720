#!/usr/bin/env node
import { runTypeScript } from '@wp-edge/core/run-typescript';

await runTypeScript(new URL('../src/cli.ts', import.meta.url));
