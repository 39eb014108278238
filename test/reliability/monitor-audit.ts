import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { waitFor } from '../helpers/wait-for.js';

/** One command as MONITOR showed it: arguments (escaped as MONITOR escapes them) and client address. */
export interface MonitoredCommand {
  args: string[];
  source: string;
}

export interface Monitored {
  /** Stop recording once everything sent so far has been seen; every command in order. */
  stop(): Promise<MonitoredCommand[]>;
  /** Client address -> the name it gave itself with CLIENT SETNAME (ioredis's first command). */
  names(): Map<string, string>;
}

/** Record every command the server runs, from now on, with MONITOR. */
export async function recordMonitor(url: string): Promise<Monitored> {
  const watcher = new Redis(url);
  const monitor = await watcher.monitor();
  const commands: MonitoredCommand[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => commands.push({ args, source }));
  return {
    async stop() {
      const marker = randomUUID();
      await watcher.echo(marker).catch(() => watcher.call('ECHO', marker));
      await waitFor(
        () => commands.some((c) => c.args[1] === marker),
        5_000,
        'MONITOR to show the end marker',
      );
      monitor.disconnect();
      watcher.disconnect();
      return commands;
    },
    names() {
      const names = new Map<string, string>();
      for (const { args, source } of commands) {
        if (args[0]?.toLowerCase() === 'client' && args[1]?.toLowerCase() === 'setname')
          names.set(source, args[2]!);
      }
      return names;
    },
  };
}

/** kombu's SEP as MONITOR prints it (escaped) or raw. */
const SEP = '(?:\\\\x06\\\\x16|\\x06\\x16)';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A pidbox reply list and its priority variants (wire doc 7.2). */
const REPLY_LIST = new RegExp(`^(${UUID})\\.reply\\.celery\\.pidbox(?:${SEP}[369])?$`);
const REPLY_MEMBER = new RegExp(`^(${UUID})${SEP}${SEP}(${UUID})\\.reply\\.celery\\.pidbox$`);
const BLOCKING = new Set([
  'blpop',
  'brpop',
  'brpoplpush',
  'blmove',
  'blmpop',
  'bzpopmin',
  'bzpopmax',
  'bzmpop',
  'wait',
]);

/**
 * What qtop's connections (named `qtop…`) did that they may not: any command outside the read-only
 * set, a blocking command anywhere but `qtop-replies`, and pidbox writes that are not its own reply
 * binding member (SADDed and SREMed by it), the broadcast channel, or its own reply lists.
 */
export function qtopViolations(commands: MonitoredCommand[], names: Map<string, string>): string[] {
  const problems: string[] = [];
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const { args, source } of commands) {
    const name = names.get(source);
    if (!name?.startsWith('qtop')) continue;
    const [command = '', ...rest] = args;
    const lower = command.toLowerCase();
    const say = (why: string) => problems.push(`${name} ${args.join(' ').slice(0, 200)}: ${why}`);
    if (BLOCKING.has(lower) && name !== 'qtop-replies') say('blocking command on a shared connection');
    switch (lower) {
      case 'scan':
      case 'smembers':
      case 'llen':
      case 'lrange':
      case 'hlen':
      case 'hscan':
      case 'zscore':
      case 'psubscribe':
      case 'punsubscribe':
      case 'ping':
      case 'info':
      case 'select':
      // RedBeat's schedule and lock (src/sources/beat-source.ts): reads only.
      case 'exists':
      case 'zcard':
      case 'zrange':
      case 'pttl':
      case 'hmget':
        break;
      case 'get':
        if (!/^(redbeat:|celery-task-meta-)/.test(rest[0] ?? ''))
          say('GET of a key that is not a beat lock or a result');
        break;
      case 'pubsub':
        if (!/^(channels|numsub|numpat)$/i.test(rest[0] ?? '')) say('PUBSUB subcommand');
        break;
      case 'client':
        if (!/^(setname|setinfo)$/i.test(rest[0] ?? '')) say('CLIENT subcommand');
        break;
      case 'getrange':
        if (!rest[0]?.startsWith('celery-task-meta-')) say('GETRANGE of a key that is not a result');
        break;
      case 'sadd':
      case 'srem': {
        const member = REPLY_MEMBER.exec(rest[1] ?? '');
        if (
          rest[0] !== '_kombu.binding.reply.celery.pidbox' ||
          rest.length !== 2 ||
          !member ||
          member[1] !== member[2]
        )
          say('set write that is not a reply binding member');
        else (lower === 'sadd' ? added : removed).add(member[1]!);
        break;
      }
      case 'publish':
        if (rest[0] !== '/0.celery.pidbox') say('PUBLISH to another channel than the pidbox broadcast');
        break;
      case 'brpop':
        if (!rest.slice(0, -1).every((key) => REPLY_LIST.test(key)))
          say('BRPOP of a list that is not a reply list');
        break;
      case 'del':
        if (!rest.every((key) => added.has(REPLY_LIST.exec(key)?.[1] ?? '')))
          say('DEL of a key it did not create');
        break;
      default:
        say('not an allowed command');
    }
  }
  for (const oid of added)
    if (!removed.has(oid)) problems.push(`reply binding member ${oid} was never removed`);
  for (const oid of removed)
    if (!added.has(oid)) problems.push(`removed reply binding member ${oid} it never added`);
  return problems;
}
