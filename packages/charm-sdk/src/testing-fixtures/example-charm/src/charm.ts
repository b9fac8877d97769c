// The example imports the kit by package name, as a charm in its own package would.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { main } from '@charms/charm-sdk';
import { exampleCharm } from './definition.js';

void main(exampleCharm);
