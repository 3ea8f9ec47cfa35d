import { sessionPolicy } from './session-policy';

describe('sessionPolicy', () => {
  it('should work', () => {
    expect(sessionPolicy()).toEqual('session-policy');
  });
});
