import { z } from 'zod';
import { ContextError } from '../errors.js';
import { parseDispatchPath, type JujuEventName } from './event-name.js';

const present = (hint: string) =>
  z.string({ error: (iss) => (iss.input === undefined ? `is not set (${hint})` : 'must be a string') });
const optional = z.string().optional();
const UNIT = /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\/(\d+)$/;

/** Variables Juju sets for every hook, parsed at the boundary. */
export const JujuEnv = z.object({
  JUJU_DISPATCH_PATH: present('Juju sets it for every hook; ./dispatch defaults it to $0').min(1, 'is empty'),
  JUJU_HOOK_NAME: present('Juju sets it for every hook, empty for actions'),
  JUJU_CONTEXT_ID: present('hook tools need it; run the charm under Juju or charm-sim'),
  JUJU_CHARM_DIR: present('Juju sets it to the unpacked charm directory').min(1, 'is empty'),
  JUJU_UNIT_NAME: present('Juju sets it for every hook').regex(UNIT, 'must look like "<app>/<number>"'),
  JUJU_MODEL_NAME: present('Juju sets it for every hook'),
  JUJU_MODEL_UUID: present('Juju sets it for every hook'),
  JUJU_VERSION: present('Juju sets it for every hook').regex(
    /^\d+\.\d+(\.\d+)?([.-].*)?$/,
    'must be a Juju version like "3.6.8"',
  ),
  JUJU_AGENT_SOCKET_ADDRESS: optional,
  JUJU_AGENT_SOCKET_NETWORK: optional,
  JUJU_API_ADDRESSES: optional,
  JUJU_MACHINE_ID: optional,
  JUJU_PRINCIPAL_UNIT: optional,
  JUJU_AVAILABILITY_ZONE: optional,
  CLOUD_API_VERSION: optional,
  JUJU_CHARM_HTTP_PROXY: optional,
  JUJU_CHARM_HTTPS_PROXY: optional,
  JUJU_CHARM_FTP_PROXY: optional,
  JUJU_CHARM_NO_PROXY: optional,
  JUJU_TRACE_ID: optional,
  JUJU_SPAN_ID: optional,
  JUJU_TRACE_FLAGS: optional,
  JUJU_METER_STATUS: optional,
  JUJU_METER_INFO: optional,
  JUJU_SLA: optional,
  JUJU_DEBUG: optional,
  JUJU_DEBUG_AT: optional,
  JUJU_RELATION: optional,
  JUJU_RELATION_ID: optional,
  JUJU_REMOTE_APP: optional,
  JUJU_REMOTE_UNIT: optional,
  JUJU_DEPARTING_UNIT: optional,
  JUJU_ACTION_NAME: optional,
  JUJU_ACTION_UUID: optional,
  JUJU_ACTION_TAG: optional,
  JUJU_WORKLOAD_NAME: optional,
  JUJU_NOTICE_ID: optional,
  JUJU_NOTICE_TYPE: optional,
  JUJU_NOTICE_KEY: optional,
  JUJU_PEBBLE_CHECK_NAME: optional,
  JUJU_SECRET_ID: optional,
  JUJU_SECRET_LABEL: optional,
  JUJU_SECRET_REVISION: optional,
  JUJU_STORAGE_ID: optional,
  JUJU_STORAGE_LOCATION: optional,
  JUJU_STORAGE_KIND: optional,
});
export type JujuEnv = z.infer<typeof JujuEnv>;

/** The relation a relation hook is about. */
export interface RelationContext {
  endpoint: string;
  id: number;
  /** `<endpoint>:<id>`, the form hook tools take for `-r`. */
  ref: string;
  remoteApp: string;
  /** Empty for created, broken and app-level changed. */
  remoteUnit: string | undefined;
  departingUnit: string | undefined;
}

/** Everything Juju tells a dispatch through its environment, parsed once. */
export interface JujuContext {
  event: JujuEventName;
  dispatchPath: string;
  hookName: string;
  contextId: string;
  charmDir: string;
  unitName: string;
  appName: string;
  unitNumber: number;
  modelName: string;
  modelUuid: string;
  jujuVersion: string;
  agentSocket: { address: string; network: string };
  apiAddresses: string[];
  machineId: string;
  principalUnit: string;
  availabilityZone: string;
  cloudApiVersion: string;
  proxy: { http: string; https: string; ftp: string; noProxy: string };
  trace: { traceId: string; spanId: string; flags: string } | undefined;
  meter: { status: string; info: string; sla: string };
  debug: boolean;
  debugAt: string[];
  relation: RelationContext | undefined;
  action: { name: string; id: string; tag: string } | undefined;
  workload: { container: string } | undefined;
  notice: { id: string; type: string; key: string } | undefined;
  check: { name: string } | undefined;
  secret: { id: string; label: string | undefined; revision: number | undefined } | undefined;
  storage: { id: string; name: string; index: number; location: string; kind: string } | undefined;
}

/**
 * Parses the Juju hook environment.
 * @throws {ContextError} naming the missing or invalid variable and how to fix it.
 */
export function parseJujuContext(env: Record<string, string | undefined> = process.env): JujuContext {
  const withCharmDir = { ...env, JUJU_CHARM_DIR: env['JUJU_CHARM_DIR'] ?? env['CHARM_DIR'] };
  const parsed = JujuEnv.safeParse(withCharmDir);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue?.path[0] ?? 'environment');
    const code =
      withCharmDir[variable as keyof typeof withCharmDir] === undefined
        ? 'context-missing-variable'
        : 'context-invalid-variable';
    throw new ContextError(
      code,
      `cannot read the Juju context: ${variable} ${issue?.message ?? 'is invalid'}`,
      variable,
    );
  }
  const e = parsed.data;
  const event = parseDispatchPath(e.JUJU_DISPATCH_PATH);
  const unit = UNIT.exec(e.JUJU_UNIT_NAME) as RegExpExecArray;
  return {
    event,
    dispatchPath: e.JUJU_DISPATCH_PATH,
    hookName: e.JUJU_HOOK_NAME,
    contextId: e.JUJU_CONTEXT_ID,
    charmDir: e.JUJU_CHARM_DIR,
    unitName: e.JUJU_UNIT_NAME,
    appName: unit[1] as string,
    unitNumber: Number(unit[2]),
    modelName: e.JUJU_MODEL_NAME,
    modelUuid: e.JUJU_MODEL_UUID,
    jujuVersion: e.JUJU_VERSION,
    agentSocket: { address: e.JUJU_AGENT_SOCKET_ADDRESS ?? '', network: e.JUJU_AGENT_SOCKET_NETWORK ?? '' },
    apiAddresses: (e.JUJU_API_ADDRESSES ?? '').split(' ').filter(Boolean),
    machineId: e.JUJU_MACHINE_ID ?? '',
    principalUnit: e.JUJU_PRINCIPAL_UNIT ?? '',
    availabilityZone: e.JUJU_AVAILABILITY_ZONE ?? '',
    cloudApiVersion: e.CLOUD_API_VERSION ?? '',
    proxy: {
      http: e.JUJU_CHARM_HTTP_PROXY ?? '',
      https: e.JUJU_CHARM_HTTPS_PROXY ?? '',
      ftp: e.JUJU_CHARM_FTP_PROXY ?? '',
      noProxy: e.JUJU_CHARM_NO_PROXY ?? '',
    },
    trace: e.JUJU_TRACE_ID
      ? { traceId: e.JUJU_TRACE_ID, spanId: e.JUJU_SPAN_ID ?? '', flags: e.JUJU_TRACE_FLAGS ?? '' }
      : undefined,
    meter: { status: e.JUJU_METER_STATUS ?? '', info: e.JUJU_METER_INFO ?? '', sla: e.JUJU_SLA ?? '' },
    debug: e.JUJU_DEBUG !== undefined && e.JUJU_DEBUG !== '',
    debugAt: (e.JUJU_DEBUG_AT ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    relation: event.family === 'relation' ? relationOf(e, event.kind) : undefined,
    action: event.family === 'action' ? actionOf(e, event.action) : undefined,
    workload: event.family === 'workload' ? { container: need(e, 'JUJU_WORKLOAD_NAME', event.name) } : undefined,
    notice:
      event.kind === 'pebble-custom-notice'
        ? {
            id: need(e, 'JUJU_NOTICE_ID', event.name),
            type: need(e, 'JUJU_NOTICE_TYPE', event.name),
            key: need(e, 'JUJU_NOTICE_KEY', event.name),
          }
        : undefined,
    check:
      event.kind === 'pebble-check-failed' || event.kind === 'pebble-check-recovered'
        ? { name: need(e, 'JUJU_PEBBLE_CHECK_NAME', event.name) }
        : undefined,
    secret: event.family === 'secret' ? secretOf(e, event.name) : undefined,
    storage: event.family === 'storage' ? storageOf(e, event.name) : undefined,
  };
}

function need(e: JujuEnv, variable: keyof JujuEnv, hook: string): string {
  const v = e[variable];
  if (v === undefined || v === '') {
    throw new ContextError(
      'context-missing-variable',
      `cannot read the Juju context: ${variable} is not set, but Juju sets it for "${hook}"`,
      variable,
    );
  }
  return v;
}

function relationOf(e: JujuEnv, kind: string): RelationContext {
  const hook = e.JUJU_DISPATCH_PATH;
  const endpoint = need(e, 'JUJU_RELATION', hook);
  const ref = need(e, 'JUJU_RELATION_ID', hook);
  const m = /^(?:(.+):)?(\d+)$/.exec(ref);
  if (!m) {
    throw new ContextError(
      'context-invalid-variable',
      `cannot read the Juju context: JUJU_RELATION_ID "${ref}" must look like "<endpoint>:<id>"`,
      'JUJU_RELATION_ID',
    );
  }
  const remoteApp = need(e, 'JUJU_REMOTE_APP', hook);
  const needsUnit = kind === 'relation-joined' || kind === 'relation-departed';
  if (kind === 'relation-joined' || kind === 'relation-changed' || kind === 'relation-departed') {
    if (e.JUJU_REMOTE_UNIT === undefined || (needsUnit && e.JUJU_REMOTE_UNIT === '')) need(e, 'JUJU_REMOTE_UNIT', hook);
  }
  return {
    endpoint,
    id: Number(m[2]),
    ref: `${endpoint}:${m[2]}`,
    remoteApp,
    remoteUnit: e.JUJU_REMOTE_UNIT || undefined,
    departingUnit: kind === 'relation-departed' ? need(e, 'JUJU_DEPARTING_UNIT', hook) : undefined,
  };
}

function actionOf(e: JujuEnv, name: string): { name: string; id: string; tag: string } {
  const hook = `actions/${name}`;
  const id = need(e, 'JUJU_ACTION_UUID', hook);
  return { name: e.JUJU_ACTION_NAME || name, id, tag: e.JUJU_ACTION_TAG || `action-${id}` };
}

function secretOf(e: JujuEnv, hook: string): NonNullable<JujuContext['secret']> {
  const id = need(e, 'JUJU_SECRET_ID', hook);
  const rev = e.JUJU_SECRET_REVISION;
  if (rev !== undefined && rev !== '' && !/^\d+$/.test(rev)) {
    throw new ContextError(
      'context-invalid-variable',
      `cannot read the Juju context: JUJU_SECRET_REVISION "${rev}" must be a number`,
      'JUJU_SECRET_REVISION',
    );
  }
  return { id, label: e.JUJU_SECRET_LABEL || undefined, revision: rev ? Number(rev) : undefined };
}

function storageOf(e: JujuEnv, hook: string): NonNullable<JujuContext['storage']> {
  const id = need(e, 'JUJU_STORAGE_ID', hook);
  const m = /^(.+)\/(\d+)$/.exec(id);
  if (!m) {
    throw new ContextError(
      'context-invalid-variable',
      `cannot read the Juju context: JUJU_STORAGE_ID "${id}" must look like "<name>/<n>"`,
      'JUJU_STORAGE_ID',
    );
  }
  return {
    id,
    name: m[1] as string,
    index: Number(m[2]),
    location: e.JUJU_STORAGE_LOCATION ?? '',
    kind: e.JUJU_STORAGE_KIND ?? '',
  };
}
