import type { HostPort, RedisTarget } from './url.js';
import { URL_SEPARATOR } from './url-parts.js';

const MASK = '***';
const SECRET_QUERY = /([?&](?:password|sentinel_password)=)[^&;\s]*/gi;

/**
 * The URL with every password replaced by `***`, for anything qtop prints or logs. Works on text that
 * does not parse too, since the URL a user mistyped is exactly the one an error message shows: each
 * ';'-separated part has its userinfo password masked (a userinfo without ':' is masked whole, because
 * some tools write `redis://password@host`), `password=` query values are masked, and anything left
 * that looks like `:secret@` is masked as well.
 */
export function maskUrl(url: string): string {
  return url
    .split(URL_SEPARATOR)
    .map((part) => {
      const scheme = part.indexOf('://');
      if (scheme < 0) return part.replace(/:[^\s@]*@/g, `:${MASK}@`);
      const head = part.slice(0, scheme + 3);
      const rest = part.slice(scheme + 3);
      // The last '@' so an unencoded '@' inside the password is masked too; a rest starting with '/'
      // is a unix socket path, which has no userinfo.
      const at = rest.startsWith('/') ? -1 : rest.lastIndexOf('@');
      if (at < 0) return head + rest.replace(SECRET_QUERY, `$1${MASK}`);
      const userinfo = rest.slice(0, at);
      const colon = userinfo.indexOf(':');
      const shown = colon >= 0 ? `${userinfo.slice(0, colon)}:${MASK}` : MASK;
      return `${head}${shown}@${rest.slice(at + 1).replace(SECRET_QUERY, `$1${MASK}`)}`;
    })
    .join(';');
}

/**
 * Scrub known secrets (raw and percent-encoded) and anything URL-password-shaped from arbitrary text,
 * typically an error message from ioredis or Node that may echo the AUTH arguments or the URL.
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const variants = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    variants.add(secret);
    variants.add(encodeURIComponent(secret));
  }
  // Longest first so a secret that contains another is replaced whole.
  for (const variant of [...variants].sort((a, b) => b.length - a.length))
    out = out.split(variant).join(MASK);
  return out.replace(/(\w:\/\/[^\s:@/"']*):[^\s@/"'<>]*@/g, `$1:${MASK}@`).replace(SECRET_QUERY, `$1${MASK}`);
}

/**
 * The target as a URL with the password shown as `password` (default `***`): the label every message
 * uses, and with `'PASSWORD'` the template a NOAUTH message tells the user to write.
 */
export function targetLabel(target: RedisTarget, password = MASK): string {
  const secret = target.password !== undefined ? password : undefined;
  const userinfo =
    target.username || secret !== undefined
      ? `${encodeURIComponent(target.username ?? '')}${secret !== undefined ? `:${secret}` : ''}@`
      : '';
  switch (target.kind) {
    case 'unix':
      return `unix://${userinfo}${target.path ?? ''}?db=${target.db}`;
    case 'sentinel': {
      const hosts = target.sentinels ?? [];
      const first = `sentinel://${userinfo}${address(hosts[0])}/${target.db}`;
      const others = hosts.slice(1).map((host) => `;sentinel://${address(host)}`);
      return `${first}${others.join('')}?master_name=${encodeURIComponent(target.masterName ?? '')}`;
    }
    default:
      return `${target.tls ? 'rediss' : 'redis'}://${userinfo}${address(target)}/${target.db}`;
  }
}

function address(at: Partial<HostPort> | undefined): string {
  const host = at?.host ?? '127.0.0.1';
  return `${host.includes(':') ? `[${host}]` : host}:${at?.port ?? 6379}`;
}

/** A NOAUTH fix template: the target's URL with `PASSWORD` where the password goes. */
export function withPasswordPlaceholder(target: RedisTarget): string {
  return targetLabel({ ...target, password: '' }, 'PASSWORD');
}
