// URLs as they may be written to a log: a wall token (a credential) and a search term (an
// address, an IP) are replaced by `REDACTED`, whatever their case or encoding.
const SECRET_PARAMS = new Set(['token', 'q']);

export function redactUrl(url: string): string {
  const i = url.indexOf('?');
  if (i < 0) return url;
  const hash = url.indexOf('#', i);
  const query = url.slice(i + 1, hash < 0 ? undefined : hash);
  const parts = query.split('&').map((part) => {
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    let name = rawName;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
    } catch {
      // a malformed escape is logged as it came, unless it is one of ours
    }
    return SECRET_PARAMS.has(name.trim().toLowerCase()) ? `${rawName}=REDACTED` : part;
  });
  return `${url.slice(0, i)}?${parts.join('&')}`;
}
