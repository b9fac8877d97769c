/** Help of the tools a sidecar charm cannot use here (podspec, payloads, metrics, reboot). */
import type { ToolHelp } from './types.js';

const specFile = (usage: string, def: string) => ({ names: ['file'], usage, kind: 'value' as const, default: def });
const podspec = 'Podspec charms only; sidecar charms get an error.';
const payloads = 'Machine charms only; Kubernetes models get an error.';

export const refusedHelp: Record<string, ToolHelp> = {
  'pod-spec-set': {
    args: '--file <core spec file> [--k8s-resources <k8s spec file>]',
    summary: 'Set the pod spec of a podspec charm.',
    details: podspec,
    options: [
      specFile('the pod spec file ("-" for stdin)', '-'),
      { names: ['k8s-resources'], usage: 'a file of extra Kubernetes resources', kind: 'value', default: '' },
    ],
  },
  'pod-spec-get': { summary: 'Print the pod spec of a podspec charm.', details: podspec, options: [] },
  'k8s-spec-set': {
    args: '--file <core spec file> [--k8s-resources <k8s spec file>]',
    summary: 'Set the Kubernetes spec of a podspec charm.',
    details: podspec,
    options: [
      specFile('the spec file ("-" for stdin)', '-'),
      { names: ['k8s-resources'], usage: 'a file of extra Kubernetes resources', kind: 'value', default: '' },
    ],
  },
  'k8s-spec-get': { summary: 'Print the Kubernetes spec of a podspec charm.', details: podspec, options: [] },
  'k8s-raw-set': {
    args: '--file <core spec file>',
    summary: 'Set the raw Kubernetes spec of a podspec charm.',
    details: podspec,
    options: [specFile('the raw spec file ("-" for stdin)', '-')],
  },
  'k8s-raw-get': { summary: 'Print the raw Kubernetes spec of a podspec charm.', details: podspec, options: [] },
  'add-metric': {
    args: 'key1=value1 [key2=value2 ...]',
    summary: 'Record metrics (collect-metrics hook only).',
    details: 'Metrics are disabled on this controller.',
    options: [
      { names: ['l', 'labels'], usage: 'comma-separated key=value labels of the metrics', kind: 'string', default: '' },
    ],
  },
  'juju-reboot': {
    summary: 'Reboot the machine (machine charms only).',
    details: 'Kubernetes models get an error.',
    options: [{ names: ['now'], usage: 'reboot at once, killing the running hook', kind: 'bool' }],
  },
  'payload-register': {
    args: '<type> <class> <id> [tags...]',
    summary: 'Register a payload the charm started.',
    details: payloads,
    options: [],
  },
  'payload-unregister': {
    args: '<class> <id>',
    summary: 'Unregister a payload.',
    details: payloads,
    options: [],
  },
  'payload-status-set': {
    args: '<class> <id> <status>',
    summary: 'Set the status of a payload.',
    details: payloads,
    options: [],
  },
};
