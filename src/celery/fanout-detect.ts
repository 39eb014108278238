/**
 * Which fanout prefix the workers really use, from the channels they are subscribed to. Workers
 * SUBSCRIBE to their mailbox channel (`{fanout prefix}{control}.pidbox`, a fanout queue) for as
 * long as they run, so `PUBSUB CHANNELS` shows the prefix they built. kombu < 5.4 with Sentinel
 * never formats `{db}` (SentinelChannel `_get_pool`), so its workers sit on `/{db}.celery.pidbox`
 * literally, and qtop's `/0.` channels would hear nothing and reach nobody. Pure.
 */
import { mailboxExchange } from './names.js';
import type { WireOptions } from './options.js';

export interface FanoutPrefixFinding {
  /** What the channels show: 'literal' (`/{db}.`), 'formatted' (`/N.`), or null when no mailbox channel. */
  seen: 'literal' | 'formatted' | null;
  /** One line when the channels contradict `opts`; null when they agree or tell nothing. */
  mismatch: string | null;
}

/** The PUBSUB CHANNELS pattern that finds every mailbox channel, literal or formatted. */
export function mailboxChannelPattern(opts: WireOptions): string {
  return `${opts.globalKeyprefix.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}*${mailboxExchange(opts)}`;
}

/** Compare the mailbox channels workers listen on with the configured fanout prefix. */
export function detectFanoutPrefix(opts: WireOptions, channels: readonly string[]): FanoutPrefixFinding {
  const suffix = mailboxExchange(opts);
  const heads = channels
    .filter((c) => c.startsWith(opts.globalKeyprefix) && c.endsWith(suffix))
    .map((c) => c.slice(opts.globalKeyprefix.length, c.length - suffix.length));
  const literal = heads.includes('/{db}.');
  const formatted = heads.some((h) => /^\/\d+\.$/.test(h));
  const seen = literal ? 'literal' : formatted ? 'formatted' : null;
  if (opts.fanoutPrefix !== true) return { seen, mismatch: null }; // a custom prefix: the user chose
  if (literal && !opts.fanoutPrefixLiteral) {
    return {
      seen,
      mismatch:
        "workers listen on the literal '/{db}.' fanout prefix (kombu < 5.4 with Sentinel): start qtop with --fanout-prefix-literal",
    };
  }
  if (!literal && formatted && opts.fanoutPrefixLiteral) {
    return {
      seen,
      mismatch: `workers listen on '/N.' channels, not the literal '/{db}.': drop --fanout-prefix-literal`,
    };
  }
  return { seen, mismatch: null };
}
