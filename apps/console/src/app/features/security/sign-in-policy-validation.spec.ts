import { parseDomains } from './sign-in-policy-validation';

describe('parseDomains (accepted email domains)', () => {
  it('reads an empty field as "any domain"', () => {
    expect(parseDomains('')).toEqual({ domains: null, error: null });
    expect(parseDomains(' ,  \n')).toEqual({ domains: null, error: null });
  });

  it('splits on commas, spaces and new lines, lower-cases, drops a leading @ and duplicates', () => {
    expect(parseDomains('Example.com, @example.org\nexample.com  sub.example.co.uk')).toEqual({
      domains: ['example.com', 'example.org', 'sub.example.co.uk'],
      error: null,
    });
  });

  it.each(['example', 'example..com', '-example.com', 'exa_mple.com', 'example.c0m', 'http://example.com', 'a@b.example.com'])(
    'names the first value that is not a domain: %s',
    (value) => {
      expect(parseDomains(`example.com, ${value}`).error).toContain(`"${value.replace(/^@/, '').toLowerCase()}"`);
    },
  );

  it('refuses more than the API takes (50)', () => {
    const many = Array.from({ length: 51 }, (_, i) => `d${i}.example.com`).join(',');
    expect(parseDomains(many)).toEqual({ domains: null, error: 'List at most 50 domains.' });
  });
});
