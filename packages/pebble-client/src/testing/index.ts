export { findPebbleBin, PebbleDaemon, startPebbleDaemon, type PebbleDaemonOptions } from './pebble-daemon.js';
