/** Tools a sidecar charm on this simulator cannot use: Juju's errors, or the closest honest ones. */
import type { ToolDef } from '../call.js';
import { fail } from '../tool-error.js';

function refuse(message: string): ToolDef {
  return {
    anyArgs: true,
    run() {
      throw fail(message);
    },
  };
}

const podspec = 'podspec charm commands are not supported for sidecar charms';

export const unsupportedTools: Record<string, ToolDef> = {
  'credential-get': {
    format: { allowed: ['smart', 'json', 'yaml'], default: 'smart' },
    run(call) {
      const trusted = call.model.apps[call.ctx.app]?.trust ?? false;
      throw fail(
        trusted
          ? 'cannot access cloud credentials: charm-sim has no Kubernetes API to describe'
          : `cannot access cloud credentials: application "${call.ctx.app}" is not trusted (deploy with --trust)`,
      );
    },
  },
  'pod-spec-set': refuse(podspec),
  'pod-spec-get': refuse(podspec),
  'k8s-spec-set': refuse(podspec),
  'k8s-spec-get': refuse(podspec),
  'k8s-raw-set': refuse(podspec),
  'k8s-raw-get': refuse(podspec),
  'add-metric': refuse('cannot record metric: metrics disabled'),
  'juju-reboot': refuse('juju-reboot is not supported on Kubernetes models'),
  'payload-register': refuse('payloads are not supported on Kubernetes models'),
  'payload-unregister': refuse('payloads are not supported on Kubernetes models'),
  'payload-status-set': refuse('payloads are not supported on Kubernetes models'),
};
