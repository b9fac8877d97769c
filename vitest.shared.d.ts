/** Settings every project's vitest config merges: tests run against sources, never dist. */
declare const _default: import('vite').UserConfig;
export default _default;
//# sourceMappingURL=vitest.shared.d.ts.map
