/** Help of the secret tools. */
import { relationOption, yamlOutput, type HelpOption, type ToolHelp } from './types.js';

const upsertOptions: HelpOption[] = [
  {
    names: ['expire'],
    usage: 'when the secret expires: a duration (24h) or a time (RFC 3339)',
    kind: 'string',
    default: '',
  },
  {
    names: ['rotate'],
    usage: 'the rotation policy (never, hourly, daily, weekly, monthly, quarterly, yearly)',
    kind: 'string',
    default: '',
  },
  { names: ['description'], usage: 'a description of the secret', kind: 'string', default: '' },
  { names: ['label'], usage: 'a label this unit can find the secret by in hooks', kind: 'string', default: '' },
  { names: ['file'], usage: "a YAML file of the secret's key values", kind: 'string', default: '' },
  { names: ['owner'], usage: 'who owns the secret: application or unit', kind: 'string', default: 'application' },
];

const keyRules = `A key ending in #base64 takes a value already base64-encoded; one ending in #file takes
the path of a file to read the value from.`;

export const secretHelp: Record<string, ToolHelp> = {
  'secret-add': {
    args: '[key[#base64|#file]=value...]',
    summary: 'Create a secret.',
    details: `Creates a secret from key=value pairs (and --file) and prints its URI. ${keyRules}
Application-owned secrets (the default) are managed by the leader; --owner unit creates
one owned by this unit.`,
    options: upsertOptions,
  },
  'secret-set': {
    args: '<ID> [key[#base64]=value...]',
    summary: 'Update the content or metadata of a secret.',
    details: `New content makes a new revision. Without content only the given metadata changes. ${keyRules}`,
    options: upsertOptions,
  },
  'secret-remove': {
    args: '<ID>',
    summary: 'Remove a secret or one of its revisions.',
    options: [{ names: ['revision'], usage: 'remove only this revision', kind: 'int', default: '0' }],
  },
  'secret-get': {
    args: '<ID> [key[#base64]]',
    summary: 'Print the content of a secret.',
    details: `The first read pins the latest revision; later reads return that revision until --refresh
(read the latest and pin it) or --peek (read the latest once). The secret is named by its
URI or by --label.`,
    options: [
      ...yamlOutput,
      { names: ['label'], usage: 'a label this unit can find the secret by in hooks', kind: 'string', default: '' },
      { names: ['peek'], usage: 'read the latest revision this time only', kind: 'bool' },
      { names: ['refresh'], usage: 'read the latest revision and keep it for later reads', kind: 'bool' },
    ],
  },
  'secret-info-get': {
    args: '<ID>',
    summary: 'Print the metadata of a secret this unit owns.',
    details: 'The secret is named by its URI or by --label.',
    options: [...yamlOutput, { names: ['label'], usage: 'the label of the secret', kind: 'string', default: '' }],
  },
  'secret-ids': {
    summary: 'List the URIs of the secrets this unit owns.',
    options: [...yamlOutput],
  },
  'secret-grant': {
    args: '<ID>',
    summary: 'Let a related application or unit read a secret.',
    details: `The grant belongs to a relation (-r, or the hook's own) and ends with it. Every unit of the
remote application is granted unless --unit names one.`,
    options: [
      { names: ['unit'], usage: 'grant only this unit', kind: 'string', default: '' },
      relationOption('the relation the grant belongs to'),
    ],
  },
  'secret-revoke': {
    args: '<ID>',
    summary: 'Take back read access to a secret.',
    details: `Revokes the grant of an application (--app, or the remote side of -r / the hook's relation)
or of one unit (--unit).`,
    options: [
      { names: ['app', 'application'], usage: 'the application to revoke', kind: 'string', default: '' },
      { names: ['unit'], usage: 'the unit to revoke', kind: 'string', default: '' },
      relationOption('the relation whose grant to revoke'),
    ],
  },
};
