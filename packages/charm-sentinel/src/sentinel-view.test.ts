import { describe, expect, it } from 'vitest';
import { parseQuorumReply } from './sentinel-view.js';

describe('parseQuorumReply', () => {
  it("reads sentinel's OK and NOQUORUM texts", () => {
    expect(parseQuorumReply('OK 3 usable Sentinels. Quorum and failover authorization can be reached')).toMatchObject({
      ok: true,
      usable: 3,
    });
    const no =
      'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover';
    expect(parseQuorumReply(no)).toEqual({ ok: false, usable: 1, message: no });
  });

  it('refuses anything else with the reply quoted', () => {
    expect(() => parseQuorumReply('ERR No such master with that name')).toThrow(
      'cannot read the reply to SENTINEL CKQUORUM: expected "OK|NOQUORUM <n> usable Sentinels", got "ERR No such master with that name"',
    );
  });
});
