/** Help of the relation tools and network-get. */
import { relationOption, smartOutput, deprecatedFormat, type ToolHelp } from './types.js';

const notInRelation = (c: { relation: unknown }): string =>
  c.relation ? '' : 'Outside a relation hook, name the relation with -r.';

export const relationHelp: Record<string, ToolHelp> = {
  'relation-get': {
    args: (c) => (c.remoteUnit ? '[<key> [<unit id>]]' : '<key> <unit id>'),
    summary: 'Print relation data of a unit or application.',
    details: (c) =>
      `Prints one setting of a unit or application in a relation, or all of them when <key> is
omitted or "-". The relation is -r, or the hook's own relation; the unit is the second
argument, or the hook's remote unit. Values are plain strings. --app reads the
application data bag instead of a unit's.
${c.remoteUnit ? `In this hook the unit defaults to ${JSON.stringify(c.remoteUnit)}.` : ''}`,
    options: [
      ...smartOutput,
      relationOption('the relation, by id or <endpoint>:<id>'),
      { names: ['app'], usage: "read the application data bag instead of a unit's", kind: 'bool' },
    ],
  },
  'relation-set': {
    args: 'key=value [key=value ...]',
    summary: 'Write relation data of this unit or application.',
    details: `Writes settings of the local unit (or, with --app on the leader, of its application) in
a relation: -r, or the hook's own relation. Values are stored as strings; an empty value
removes the key. --file reads a YAML map of settings ("-" is stdin); key=value arguments
override it. Writes take effect when the hook exits successfully.`,
    options: [
      relationOption('the relation, by id or <endpoint>:<id>'),
      { names: ['file'], usage: 'a YAML file of key-value pairs ("-" for stdin)', kind: 'value', default: '' },
      { names: ['app'], usage: "write the application data bag (leader only) instead of the unit's", kind: 'bool' },
      deprecatedFormat,
    ],
  },
  'relation-list': {
    summary: 'List the remote units of a relation.',
    details: notInRelation,
    options: [
      ...smartOutput,
      relationOption('the relation, by id or <endpoint>:<id>'),
      { names: ['app'], usage: 'print the remote application instead of its units', kind: 'bool' },
    ],
  },
  'relation-ids': {
    args: (c) => (c.relation ? '[<name>]' : '<name>'),
    summary: 'List the relation ids of an endpoint.',
    details: (c) =>
      `${c.relation ? `In this hook the endpoint defaults to ${JSON.stringify(c.relation.endpoint)}.\n` : ''}Lists the ids (<endpoint>:<id>) of the relations of an endpoint that are not broken;
in a relation hook the endpoint defaults to the hook's own.`,
    options: [...smartOutput],
  },
  'relation-model-get': {
    summary: 'Print the model of the remote side of a relation.',
    details: (c) =>
      c.relation
        ? ''
        : `Outside a relation hook, name the relation with -r.

Prints the uuid of the model of the application on the other side of a relation.`,
    options: [...smartOutput, relationOption('the relation, by id or <endpoint>:<id>')],
  },
  'network-get': {
    args: '<binding-name> [--ingress-address] [--bind-address] [--egress-subnets]',
    summary: 'Print the network config of a binding.',
    details: `Prints the network config of a binding (an endpoint or extra-binding name): its
interfaces and addresses, ingress addresses and egress subnets. With one of
--bind-address, --ingress-address or --egress-subnets only that value is printed; with
several, a map of them.`,
    options: [
      ...smartOutput,
      { names: ['primary-address'], usage: '(deprecated) print only the first address of the binding', kind: 'bool' },
      { names: ['bind-address'], usage: 'print the address the unit should listen on', kind: 'bool' },
      { names: ['ingress-address'], usage: 'print the address other units should connect to', kind: 'bool' },
      { names: ['egress-subnets'], usage: 'print the subnets outgoing traffic comes from', kind: 'bool' },
      relationOption('the relation, by id or <endpoint>:<id>'),
    ],
  },
};
