import { accountRevocationPayload, parseAccountRevocation, refusesToken } from './account-revocation';

const rule = { accountId: 'acc-1', issuedBefore: 1_000, exceptUserId: 'owner' };

describe('account-wide revocation rule', () => {
  it('refuses the account’s tokens issued before it, except the excepted user’s', () => {
    expect(refusesToken(rule, { accountId: 'acc-1', userId: 'member', issuedAt: 999 })).toBe(true);
    expect(refusesToken(rule, { accountId: 'acc-1', userId: 'member', issuedAt: 1_000 })).toBe(false); // that second: by id
    expect(refusesToken(rule, { accountId: 'acc-1', userId: 'owner', issuedAt: 999 })).toBe(false);
    expect(refusesToken(rule, { accountId: 'acc-2', userId: 'member', issuedAt: 999 })).toBe(false); // another tenant
    expect(refusesToken({ ...rule, exceptUserId: null }, { accountId: 'acc-1', userId: 'owner', issuedAt: 999 })).toBe(true);
  });

  it('round-trips through its payload and reads nothing from a hostile one', () => {
    expect(parseAccountRevocation(accountRevocationPayload(rule))).toEqual(rule);
    expect(parseAccountRevocation(accountRevocationPayload({ ...rule, exceptUserId: null }))).toEqual({ ...rule, exceptUserId: null });
    for (const bad of ['', 'not json', '{}', '{"a":"x","b":1.5,"u":null}', '{"a":1,"b":1,"u":null}', '{"a":"x","b":1,"u":7}', 'null']) {
      expect(parseAccountRevocation(bad)).toBeNull();
    }
  });
});
