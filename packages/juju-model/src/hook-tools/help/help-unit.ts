/** Help of the unit-level tools: config, leadership, status, logging, ports, state, storage, actions. */
import { deprecatedFormat, smartOutput, yamlOutput, type ToolHelp } from './types.js';

const storageOption = {
  names: ['s'],
  usage: 'the storage instance, by id (<name>/<n>)',
  kind: 'value' as const,
  default: (c: { storageId: string | null }) => c.storageId ?? '',
};

const portArgs = '<port>[/<protocol>] or <from>-<to>[/<protocol>] or icmp';
const endpointsOption = {
  names: ['endpoints'],
  usage: 'comma-separated application endpoints the change applies to (default: all)',
  kind: 'string' as const,
  default: '',
};

export const unitHelp: Record<string, ToolHelp> = {
  'config-get': {
    args: '[<key>]',
    summary: "Print the application's configuration.",
    details: `Without arguments, prints every option that is set or has a non-null default; with
--all, every option including nulls; with <key>, that option's value (null when unknown).
<key> and --all cannot be combined.`,
    options: [...smartOutput, { names: ['a', 'all'], usage: 'include options without a value', kind: 'bool' }],
  },
  'is-leader': {
    summary: 'Print whether this unit is the leader.',
    details: 'Prints True or False (true or false with --format json or yaml).',
    options: [...smartOutput],
  },
  'leader-get': {
    args: '[<key>]',
    summary: "Print the application's leader settings.",
    details: 'Prints one leader setting, or all of them when <key> is omitted or "-".',
    options: [...smartOutput],
  },
  'leader-set': {
    args: 'key=value [key=value ...]',
    summary: "Write the application's leader settings (leader only).",
    details: 'An empty value removes the key. Other units see the change in leader-settings-changed.',
    options: [],
  },
  'juju-log': {
    args: '<message>',
    summary: "Write a message to the unit's log.",
    options: [
      { names: ['debug'], usage: 'log at DEBUG level', kind: 'bool' },
      {
        names: ['l', 'log-level'],
        usage: 'the level to log at (TRACE, DEBUG, INFO, WARNING, ERROR)',
        kind: 'string',
        default: 'INFO',
      },
      deprecatedFormat,
    ],
  },
  'unit-get': {
    args: '<setting>',
    summary: "Print this unit's private-address or public-address.",
    options: [...smartOutput],
  },
  'status-set': {
    args: '<maintenance | blocked | waiting | active> [message]',
    summary: 'Set the workload status of this unit or its application.',
    details: 'The message is optional. The status time is updated even when nothing else changes.',
    options: [{ names: ['application'], usage: "set the application's status instead (leader only)", kind: 'bool' }],
  },
  'status-get': {
    args: '[--include-data] [--application]',
    summary: 'Print the workload status of this unit or its application.',
    details: `Prints the status value alone; with --include-data, the value, message and data as YAML.
--application prints the application's status and its units' (leader only).`,
    options: [
      ...smartOutput,
      { names: ['include-data'], usage: 'include the message and status data', kind: 'bool' },
      { names: ['application'], usage: "print the application's status and its units' (leader only)", kind: 'bool' },
    ],
  },
  'application-version-set': {
    args: '<new-version>',
    summary: 'Set the workload version shown by juju status.',
    options: [],
  },
  'open-port': {
    args: portArgs,
    summary: 'Ask for a port or port range to be opened.',
    details: `The port is opened for every endpoint unless --endpoints names some. The change takes
effect when the hook exits successfully.`,
    options: [deprecatedFormat, endpointsOption],
  },
  'close-port': {
    args: portArgs,
    summary: 'Ask for a port or port range to be closed.',
    details: `The port is closed for every endpoint unless --endpoints names some. The change takes
effect when the hook exits successfully.`,
    options: [deprecatedFormat, endpointsOption],
  },
  'opened-ports': {
    summary: 'List the ports and port ranges this unit has opened.',
    details: `Entries look like 80/tcp or 8080-8088/udp; --endpoints adds the endpoints each applies to
("*" for all). Ports opened in the running hook are not listed until it has exited.`,
    options: [...smartOutput, { names: ['endpoints'], usage: 'show the endpoints of each port range', kind: 'bool' }],
  },
  'goal-state': {
    summary: "Print the units and relations this unit's application is heading for.",
    details: 'Lists the peer units and the related units per relation, each with its status.',
    options: [...yamlOutput],
  },
  'credential-get': {
    summary: "Print the cloud credential of this unit's model (trusted applications only).",
    options: [...smartOutput],
  },
  'resource-get': {
    args: '<resource name>',
    summary: "Print the local path of one of the charm's resources.",
    details: 'Fetches the resource the application currently uses if needed, then prints its path.',
    options: [],
  },
  'state-get': {
    args: '[<key>]',
    summary: 'Print charm state kept by the controller for this unit.',
    details: 'Prints one value, or all of them when <key> is omitted or "-".',
    options: [...smartOutput, { names: ['strict'], usage: 'fail when the key does not exist', kind: 'bool' }],
  },
  'state-set': {
    args: 'key=value [key=value ...]',
    summary: 'Write charm state kept by the controller for this unit.',
    details: `--file reads a YAML map of values ("-" is stdin); key=value arguments override it. An empty
value removes the key. Writes take effect when the hook exits successfully.`,
    options: [{ names: ['file'], usage: 'a YAML file of key-value pairs ("-" for stdin)', kind: 'value', default: '' }],
  },
  'state-delete': {
    args: '<key>',
    summary: 'Delete a charm state value kept by the controller for this unit.',
    options: [],
  },
  'storage-list': {
    args: '[<storage-name>]',
    summary: "List this unit's storage instances.",
    details: 'Prints the ids of every attached instance, or of those of one storage name.',
    options: [...smartOutput],
  },
  'storage-get': {
    args: '[<key>]',
    summary: 'Print the attributes of a storage instance.',
    details: `Prints kind and location, or the value of <key>. In a storage hook the instance defaults to
the hook's own (the default of -s); elsewhere -s is required.`,
    options: [...smartOutput, storageOption],
  },
  'storage-add': {
    args: '<charm storage name>[=count] ...',
    summary: 'Add storage instances to this unit.',
    details: 'Each directive names a storage of the charm and how many instances to add (default 1).',
    options: [],
  },
  'action-get': {
    args: '[<key>[.<key>.<key>...]]',
    summary: "Print the running action's parameters.",
    details: 'Prints all parameters, or the one a dotted key path leads to.',
    options: [...smartOutput],
  },
  'action-set': {
    args: '<key>=<value> [<key>=<value> ...]',
    summary: 'Set results of the running action.',
    details: 'Dotted keys build nested results. Keys are lowercase letters, digits and hyphens.',
    options: [],
  },
  'action-log': {
    args: '<message>',
    summary: 'Record a progress message of the running action.',
    options: [],
  },
  'action-fail': {
    args: '["<failure message>"]',
    summary: 'Mark the running action as failed, with a message.',
    options: [],
  },
};
