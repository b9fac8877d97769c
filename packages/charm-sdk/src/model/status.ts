import type { SettableStatus } from '../hook-tools/status.js';

/** A workload status a charm sets. */
export interface StatusValue {
  status: SettableStatus;
  message: string;
}

export const active = (message = ''): StatusValue => ({ status: 'active', message });
export const blocked = (message: string): StatusValue => ({ status: 'blocked', message });
export const waiting = (message: string): StatusValue => ({ status: 'waiting', message });
export const maintenance = (message: string): StatusValue => ({ status: 'maintenance', message });
