export { applySeed } from './seed.ts';
export {
  addNode,
  currentNodeKey,
  removeNode,
  requireNode,
  rotateNodeKey,
  type SigningKey,
  siteSigningKey,
} from './nodes.ts';
export { publishSnapshots, republish } from './publish.ts';
export { readSites } from './read-sites.ts';
export { createSite, type NewSite, removeSite, requireSite } from './sites.ts';
export {
  type ConfigKv,
  type ImageBucket,
  type ProvisionStore,
  ProvisionError,
} from './store.ts';
