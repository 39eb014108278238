/**
 * Read the mailbox channels workers are subscribed to (PUBSUB CHANNELS), for the fanout prefix
 * check in celery/fanout-detect.ts. One cheap command; pub/sub channels are server-wide.
 */
import type { Redis } from 'ioredis';
import {
  detectFanoutPrefix,
  type FanoutPrefixFinding,
  mailboxChannelPattern,
} from '../celery/fanout-detect.js';
import type { WireOptions } from '../celery/options.js';

export async function probeFanoutPrefix(client: Redis, opts: WireOptions): Promise<FanoutPrefixFinding> {
  const channels = (await client.pubsub('CHANNELS', mailboxChannelPattern(opts))) as string[];
  return detectFanoutPrefix(opts, channels);
}

/**
 * The probe for the inspect tick: null when PUBSUB is not allowed (an ACL without +pubsub) or
 * fails, so a missing check never fails the tick that lists the workers.
 */
export async function tryProbeFanoutPrefix(
  client: Redis,
  opts: WireOptions,
): Promise<FanoutPrefixFinding | null> {
  try {
    return await probeFanoutPrefix(client, opts);
  } catch {
    return null;
  }
}
