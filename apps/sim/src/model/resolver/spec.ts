/** Building a HookSpec: the hook's name, dispatch path and Juju's environment (reference 1.3). */
import { type HookInfo, type HookSpec, type Model, appOf, charmDir } from '@charms/juju-model';

/** The hook name Juju gives an event (the action name for actions). */
export function hookName(m: Model, info: HookInfo): string {
  switch (info.kind) {
    case 'relation-created':
    case 'relation-joined':
    case 'relation-changed':
    case 'relation-departed':
    case 'relation-broken':
      return `${info.endpoint}-${info.kind}`;
    case 'pebble-ready':
    case 'pebble-custom-notice':
    case 'pebble-check-failed':
    case 'pebble-check-recovered':
      return `${info.container}-${info.kind}`;
    case 'storage-attached':
    case 'storage-detaching':
      return `${m.storage[info.storageId]?.name ?? info.storageId.split('/')[0]}-${info.kind}`;
    case 'action':
      return info.name;
    default:
      return info.kind;
  }
}

/** Variables every hook gets; Juju exports empty values rather than omitting them. */
function commonEnv(
  m: Model,
  unit: string,
  name: string,
  dispatchPath: string,
  isAction: boolean,
): Record<string, string> {
  const dir = charmDir(unit);
  return {
    CHARM_DIR: dir,
    JUJU_CHARM_DIR: dir,
    JUJU_HOOK_NAME: isAction ? '' : name,
    JUJU_DISPATCH_PATH: dispatchPath,
    JUJU_UNIT_NAME: unit,
    JUJU_MODEL_NAME: m.name,
    JUJU_MODEL_UUID: m.uuid,
    JUJU_VERSION: m.jujuVersion,
    JUJU_API_ADDRESSES: '127.0.0.1:17070',
    JUJU_MACHINE_ID: '',
    JUJU_PRINCIPAL_UNIT: '',
    JUJU_AVAILABILITY_ZONE: '',
    CLOUD_API_VERSION: '1.31.0',
    JUJU_CHARM_HTTP_PROXY: '',
    JUJU_CHARM_HTTPS_PROXY: '',
    JUJU_CHARM_FTP_PROXY: '',
    JUJU_CHARM_NO_PROXY: '127.0.0.1,localhost,::1',
    LANG: 'C.UTF-8',
    DEBIAN_FRONTEND: 'noninteractive',
    APT_LISTCHANGES_FRONTEND: 'none',
  };
}

function kindEnv(m: Model, unit: string, info: HookInfo): Record<string, string> {
  switch (info.kind) {
    case 'relation-created':
    case 'relation-joined':
    case 'relation-changed':
    case 'relation-departed':
    case 'relation-broken': {
      const env: Record<string, string> = {
        JUJU_RELATION: info.endpoint,
        JUJU_RELATION_ID: `${info.endpoint}:${info.relationId}`,
        JUJU_REMOTE_APP: info.remoteApp,
        JUJU_REMOTE_UNIT: info.remoteUnit,
      };
      if (info.kind === 'relation-departed') env.JUJU_DEPARTING_UNIT = info.departingUnit;
      return env;
    }
    case 'pebble-ready':
      return { JUJU_WORKLOAD_NAME: info.container };
    case 'pebble-custom-notice':
      return {
        JUJU_WORKLOAD_NAME: info.container,
        JUJU_NOTICE_ID: info.noticeId,
        JUJU_NOTICE_TYPE: info.noticeType,
        JUJU_NOTICE_KEY: info.noticeKey,
      };
    case 'pebble-check-failed':
    case 'pebble-check-recovered':
      return { JUJU_WORKLOAD_NAME: info.container, JUJU_PEBBLE_CHECK_NAME: info.check };
    case 'storage-attached':
    case 'storage-detaching': {
      const s = m.storage[info.storageId];
      return {
        JUJU_STORAGE_ID: info.storageId,
        JUJU_STORAGE_LOCATION: s?.location ?? '',
        JUJU_STORAGE_KIND: s?.kind ?? 'filesystem',
      };
    }
    case 'secret-changed':
    case 'secret-remove':
    case 'secret-rotate':
    case 'secret-expired': {
      const s = m.secrets[info.secretId];
      const app = appOf(unit);
      const owned =
        s &&
        ((s.owner.kind === 'application' && s.owner.name === app) ||
          (s.owner.kind === 'unit' && s.owner.name === unit));
      const label = (owned ? s?.label : s?.consumers[unit]?.label) ?? '';
      const env: Record<string, string> = { JUJU_SECRET_ID: info.secretId, JUJU_SECRET_LABEL: label };
      if ((info.kind === 'secret-remove' || info.kind === 'secret-expired') && info.revision > 0)
        env.JUJU_SECRET_REVISION = String(info.revision);
      return env;
    }
    case 'action':
      return {
        JUJU_ACTION_NAME: info.name,
        JUJU_ACTION_UUID: info.actionId,
        JUJU_ACTION_TAG: `action-${info.actionId}`,
      };
    default:
      return {};
  }
}

/** The spec of a hook for `unit`: name, dispatch path and every model-derived env var. */
export function buildSpec(m: Model, unit: string, info: HookInfo): HookSpec {
  const name = hookName(m, info);
  const isAction = info.kind === 'action';
  const dispatchPath = `${isAction ? 'actions' : 'hooks'}/${name}`;
  return {
    unit,
    name,
    dispatchPath,
    info,
    env: { ...commonEnv(m, unit, name, dispatchPath, isAction), ...kindEnv(m, unit, info) },
  };
}
