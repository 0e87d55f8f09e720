export { D1ReplayGuard } from './replay-guard.ts';
export * from './schema.ts';
