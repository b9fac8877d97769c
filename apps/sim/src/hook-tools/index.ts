export { startHookToolServer } from './server.js';
export type { HookToolServer, HookToolServerOptions, ToolHandler } from './server.js';
export { ToolRequest, ToolResult } from './protocol.js';
export { runHookTool } from './run.js';
