/** Packing a TypeScript charm into a `.charm` archive (also the `charm-pack` CLI). */
export {
  packCharm,
  charmFileName,
  findWorkspaceRoot,
  dispatchScript,
  type PackOptions,
  type PackResult,
} from './pack.js';
export {
  ensureNodeRuntime,
  runtimeTarballUrl,
  NODE_RUNTIME,
  type NodeRuntimePin,
  type NodeRuntimeOptions,
} from './node-runtime.js';
export { readCharmDocs, type CharmDocs } from './charm-files.js';
export { bundleCharm, fastStartPlugin, REQUIRE_BANNER, type BundleOptions } from './bundle.js';
export { writeZip, FIXED_MTIME, type ZipEntry } from './zip.js';
export { runPackCli } from './cli.js';
