export {
  type FigureCounter,
  figureCounter,
  flushFigures,
  pruneFigures,
  readFigures,
} from './edge-figures.ts';
export {
  findNodeKey,
  NODE_KEY_CACHE_MS,
  type NodeKey,
  requireNodeSignature,
} from './node-keys.ts';
export {
  type PlaceholderValues,
  type PreparedItem,
  preparedQuery,
  runPrepared,
} from './prepared-query.ts';
export { D1ReplayGuard } from './replay-guard.ts';
export * from './schema.ts';
