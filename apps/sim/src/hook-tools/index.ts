export { startHookToolServer } from './server.js';
export type { HookToolServer, HookToolServerOptions, ToolHandler } from './server.js';
export { ToolRequest, ToolResult, runHookTool } from '@charms/juju-model';
