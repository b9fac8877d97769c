import { describe, expect, it } from 'vitest';
import { requestFilePaths } from './protocol.js';

describe('requestFilePaths', () => {
  it('names the files of --file and key#file= args, not stdin and not after --', () => {
    expect(requestFilePaths(['--file', 'a.yaml', 'k#file=/tmp/k', '--file=-', 'x=1'])).toEqual(['a.yaml', '/tmp/k']);
    expect(requestFilePaths(['--file=b', '--', '--file', 'c'])).toEqual(['b']);
  });
});
