#!/usr/bin/env node
import { runTypeScript } from '@wp-edge/core/run-typescript';

await runTypeScript(new URL('../src/main.ts', import.meta.url));
