import { main } from '@charms/charm-sdk';
import { sentinelCharm } from './definition.js';

void main(sentinelCharm);
