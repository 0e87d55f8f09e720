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
export { applySeed } from './seed.ts';
export { createSite, type NewSite, removeSite, requireSite, updateSettings } from './sites.ts';
export {
  bindingStore,
  type ConfigKv,
  type ImageBucket,
  ProvisionError,
  type ProvisionStore,
  type SiteState,
} from './store.ts';
