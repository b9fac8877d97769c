import { main } from '@charms/charm-sdk';
import { exampleCharm } from './definition.js';

await main(exampleCharm);
