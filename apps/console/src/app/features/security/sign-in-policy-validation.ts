/** The API's rule for an email domain (UpdateSignInPolicyDto): labels of letters, digits and hyphens, a TLD of letters. */
const DOMAIN = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

export interface DomainsParse {
  /** Lower-cased, without duplicates; `null` when the field is empty (any domain). */
  domains: string[] | null;
  /** A sentence about the first value that is not a domain, or null. */
  error: string | null;
}

/** Reads the "allowed email domains" field: values separated by commas, spaces or new lines; empty means any. */
export function parseDomains(text: string): DomainsParse {
  const values = text
    .split(/[\s,;]+/)
    .map((value) => value.trim().replace(/^@/, '').toLowerCase())
    .filter(Boolean);
  if (values.length === 0) return { domains: null, error: null };
  const wrong = values.find((value) => !DOMAIN.test(value));
  if (wrong !== undefined) return { domains: null, error: `"${wrong}" is not a domain name such as example.com.` };
  if (values.length > 50) return { domains: null, error: 'List at most 50 domains.' };
  return { domains: [...new Set(values)], error: null };
}

/** The API's field names as the form labels them, for its field errors. */
export const FIELD_LABELS: Record<string, string> = {
  require_external_sign_in: 'Require sign-in with a provider',
  allowed_providers: 'Accepted providers',
  allowed_email_domains: 'Accepted email domains',
};
