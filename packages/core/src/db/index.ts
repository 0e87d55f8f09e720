export { findNodeKey, type NodeKey, requireNodeSignature } from './node-keys.ts';
export { D1ReplayGuard } from './replay-guard.ts';
export * from './schema.ts';
