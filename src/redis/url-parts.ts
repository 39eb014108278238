/** A URL problem whose message is safe to print: it never quotes the URL (which may hold a password). */
export class UrlError extends Error {
  override name = 'UrlError';
}

/** One `scheme://[user[:password]@]host[:port][/path][?query]` split the way Python's urlsplit does. */
export interface Parts {
  /** Lower-cased. */
  scheme: string;
  /** Percent-decoded; undefined when the URL has no userinfo. */
  username?: string;
  password?: string;
  /** `host[:port]` or `[v6]:port`, raw; empty when absent. */
  host: string;
  /** Percent-decoded path including its leading '/'; empty when absent. */
  path: string;
  /** Percent-decoded query values by lower-cased key; the last repeat wins. */
  query: Map<string, string>;
}

/** Split points between URLs: a ';' followed by another `scheme://`, so a ';' inside a password stays put. */
export const URL_SEPARATOR = /;(?=\s*[A-Za-z][A-Za-z0-9+.-]*:\/\/)/;

const ENCODE_HINT = 'percent-encode special characters in the password (e.g. / as %2F, # as %23, @ as %40)';

/**
 * Split one URL. Like urlsplit (what kombu uses), the host part ends at the first '/' or '?', so a
 * password holding those characters must be percent-encoded; the errors say so.
 */
export function splitUrl(text: string): Parts {
  const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(text);
  if (!match) throw new UrlError('expected scheme://host..., e.g. redis://localhost:6379/0');
  const scheme = match[1]!.toLowerCase();
  let rest = match[2]!;
  if (rest.includes('#')) throw new UrlError(`'#' is not allowed in a broker URL: ${ENCODE_HINT}`);
  if (/\s/.test(rest)) throw new UrlError('the URL contains white space');
  let queryText = '';
  const question = rest.indexOf('?');
  if (question >= 0) {
    queryText = rest.slice(question + 1);
    rest = rest.slice(0, question);
  }
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const path = slash >= 0 ? decode(rest.slice(slash), 'path') : '';
  if (path.includes('@') && scheme !== 'unix' && scheme !== 'socket' && scheme !== 'redis+socket')
    throw new UrlError(`found '@' after the host: ${ENCODE_HINT}`);
  const parts: Parts = { scheme, host: authority, path, query: parseQuery(queryText) };
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    parts.host = authority.slice(at + 1);
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      parts.username = decode(userinfo.slice(0, colon), 'user name');
      parts.password = decode(userinfo.slice(colon + 1), 'password');
    } else {
      parts.username = decode(userinfo, 'user name');
    }
  }
  return parts;
}

function parseQuery(text: string): Map<string, string> {
  const query = new Map<string, string>();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair, 'query').toLowerCase();
    query.set(key, eq >= 0 ? decode(pair.slice(eq + 1), 'query') : '');
  }
  return query;
}

function decode(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new UrlError(`bad percent-encoding in the ${what} (a literal % must be written %25)`);
  }
}
