/** Query parameters whose value is a credential, by name: `access_token`, `refresh_token`, `token`, `id_token`, `code`, `password`, `secret`, `api_key`… */
const SECRET_PARAM = /token|^code$|password|secret|api[-_]?key|^key$|^auth|session|jwt|signature|^sig$/i;

/**
 * The request URL as it may be logged: the value of any credential-like query parameter
 * becomes `[redacted]`. Clients should never put a token in a URL, but when one does,
 * the log must not become a copy of it.
 */
export function redactUrl(url: string): string {
  const query = url.indexOf('?');
  if (query < 0) return url;
  const parts = url
    .slice(query + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const rawName = equals < 0 ? pair : pair.slice(0, equals);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // A name that does not decode is logged as sent; its value is still checked below.
      }
      if (equals < 0 || !SECRET_PARAM.test(name)) return pair;
      return `${rawName}=[redacted]`;
    });
  return `${url.slice(0, query)}?${parts.join('&')}`;
}
