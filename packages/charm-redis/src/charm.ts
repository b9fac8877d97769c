// Entry of the packed charm: dispatch runs this bundle for every hook and action.
import { main } from '@charms/charm-sdk';
import { redisCharm } from './definition.js';

void main(redisCharm);
