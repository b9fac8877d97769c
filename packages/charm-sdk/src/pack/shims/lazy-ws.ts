type WsModule = typeof import('ws');
// a free `require`: the bundler turns it into a lazy call of the bundled ws (only in packed charms)
declare const require: (id: 'ws') => WsModule;
let ws: WsModule | undefined;
const load = (): WsModule => (ws ??= require('ws'));

/**
 * `ws` loaded on first use, for `@charms/pebble-client` in packed charms: only exec needs
 * websockets, and loading ws (http, https, tls, zlib) at startup costs every dispatch.
 */
const WebSocket = new Proxy(
  function LazyWebSocket() {
    // only the proxy's target: construct, get and apply go to the real ws
  } as unknown as WsModule,
  {
    construct: (_t, args: unknown[]) => new (load() as unknown as new (...a: unknown[]) => object)(...args),
    get: (_t, key) => (load() as unknown as Record<PropertyKey, unknown>)[key],
    apply: (_t, self, args: unknown[]) => (load() as unknown as (...a: unknown[]) => unknown).apply(self, args),
  },
);
export default WebSocket;
