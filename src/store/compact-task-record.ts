/**
 * The task record as the store holds it: a fixed-shape class read through the `TaskRecord`
 * interface. Memory per held task is the store's limit (issue 15: 1 KB per task at 100,000), and
 * on x64 Node (no pointer compression) every field is an 8-byte slot and every non-integer number
 * a separate 16-byte box. So:
 * - the fields most tasks set are own fields (one slot each);
 * - the fields few tasks set (exception, traceback, eta, retry links, stamps, exact args, …)
 *   live in one side object made on the first non-default write;
 * - the eight times and the timeline share one array of doubles, stored unboxed: `nums[0..7]`
 *   are the times (NaN for null) and each timeline entry is two more doubles, its timestamp and
 *   the code of its (type, hostname) pair in a shared table.
 * Writers use the same property names (setters); only `addTimeline` / `timelineKey` in
 * task-records.ts touch the packed array.
 */
import type { Json, JsonObject } from '../celery/types.js';
import type { TaskOrigin, TaskRecord, TimelineEntry } from './model.js';

const stateAtSlot = 0;
const runtimeSlot = 1;
const sentSlot = 2;
const receivedSlot = 3;
const startedSlot = 4;
const finishedSlot = 5;
const firstSeenSlot = 6;
const updatedSlot = 7;
/** Where the timeline's (timestamp, pair code) doubles start in `nums`. */
export const timelineStart = 8;

const noChildren: string[] = Object.freeze([]) as unknown as string[];
const noOrigins: TaskOrigin[] = Object.freeze([]) as unknown as TaskOrigin[];

/**
 * (event type, hostname) pairs of timeline entries, by code. A handful of types times the
 * workers seen: thousands at most, held for the process's life so codes stay valid.
 */
const pairTypes: string[] = [];
const pairHosts: (string | null)[] = [];
const pairCodes = new Map<string, Map<string | null, number>>();

export function pairCode(type: string, hostname: string | null): number {
  let byHost = pairCodes.get(type);
  if (byHost === undefined) {
    byHost = new Map();
    pairCodes.set(type, byHost);
  }
  let code = byHost.get(hostname);
  if (code === undefined) {
    code = pairTypes.length;
    pairTypes.push(type);
    pairHosts.push(hostname);
    byHost.set(hostname, code);
  }
  return code;
}

export function pairType(code: number): string {
  return pairTypes[code]!;
}

/** The rarely set fields, all present so the object keeps one shape. */
class TaskExtras {
  args: Json[] | null = null;
  kwargs: JsonObject | null = null;
  exception: string | null = null;
  traceback: string | null = null;
  eta: string | null = null;
  expires: string | null = null;
  groupId: string | null = null;
  chordId: string | null = null;
  children: string[] = noChildren;
  terminated = false;
  signum: number | null = null;
  expired = false;
  retryOf: string | null = null;
  retriedAs: string | null = null;
  note: string | null = null;
  stamps: JsonObject | null = null;
}

function num(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

export class CompactTaskRecord implements TaskRecord {
  id: string;
  name: string | null = null;
  state = 'PENDING';
  worker: string | null = null;
  queue: string | null = null;
  argsRepr: string | null = null;
  kwargsRepr: string | null = null;
  result: string | null = null;
  retries = 0;
  rootId: string | null = null;
  parentId: string | null = null;
  origins: TaskOrigin[] = noOrigins;
  /** Times then timeline (see the file comment); replaced, never grown, when the timeline changes. */
  nums: number[];
  extras: TaskExtras | null = null;

  constructor(id: string, at: number) {
    this.id = id;
    this.nums = [Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, Number.NaN, at, at];
  }

  private more(): TaskExtras {
    this.extras ??= new TaskExtras();
    return this.extras;
  }

  get stateAt(): number | null {
    return num(this.nums[stateAtSlot]!);
  }
  set stateAt(v: number | null) {
    this.nums[stateAtSlot] = v ?? Number.NaN;
  }
  get runtime(): number | null {
    return num(this.nums[runtimeSlot]!);
  }
  set runtime(v: number | null) {
    this.nums[runtimeSlot] = v ?? Number.NaN;
  }
  get sentAt(): number | null {
    return num(this.nums[sentSlot]!);
  }
  set sentAt(v: number | null) {
    this.nums[sentSlot] = v ?? Number.NaN;
  }
  get receivedAt(): number | null {
    return num(this.nums[receivedSlot]!);
  }
  set receivedAt(v: number | null) {
    this.nums[receivedSlot] = v ?? Number.NaN;
  }
  get startedAt(): number | null {
    return num(this.nums[startedSlot]!);
  }
  set startedAt(v: number | null) {
    this.nums[startedSlot] = v ?? Number.NaN;
  }
  get finishedAt(): number | null {
    return num(this.nums[finishedSlot]!);
  }
  set finishedAt(v: number | null) {
    this.nums[finishedSlot] = v ?? Number.NaN;
  }
  get firstSeenAt(): number {
    return this.nums[firstSeenSlot]!;
  }
  set firstSeenAt(v: number) {
    this.nums[firstSeenSlot] = v;
  }
  get updatedAt(): number {
    return this.nums[updatedSlot]!;
  }
  set updatedAt(v: number) {
    this.nums[updatedSlot] = v;
  }

  /** A fresh copy of the entries, oldest first; frozen, so code that pushes to it fails loudly. */
  get timeline(): TimelineEntry[] {
    const nums = this.nums;
    const out: TimelineEntry[] = new Array((nums.length - timelineStart) / 2);
    for (let i = timelineStart, k = 0; i < nums.length; i += 2, k++) {
      const code = nums[i + 1]!;
      out[k] = { type: pairTypes[code]!, timestamp: nums[i]!, hostname: pairHosts[code]! };
    }
    return Object.freeze(out) as TimelineEntry[];
  }
  set timeline(entries: TimelineEntry[]) {
    const next = this.nums.slice(0, timelineStart);
    for (const e of entries) next.push(e.timestamp, pairCode(e.type, e.hostname));
    this.nums = next;
  }

  get args(): Json[] | null {
    return this.extras?.args ?? null;
  }
  set args(v: Json[] | null) {
    if (v !== null || this.extras !== null) this.more().args = v;
  }
  get kwargs(): JsonObject | null {
    return this.extras?.kwargs ?? null;
  }
  set kwargs(v: JsonObject | null) {
    if (v !== null || this.extras !== null) this.more().kwargs = v;
  }
  get exception(): string | null {
    return this.extras?.exception ?? null;
  }
  set exception(v: string | null) {
    if (v !== null || this.extras !== null) this.more().exception = v;
  }
  get traceback(): string | null {
    return this.extras?.traceback ?? null;
  }
  set traceback(v: string | null) {
    if (v !== null || this.extras !== null) this.more().traceback = v;
  }
  get eta(): string | null {
    return this.extras?.eta ?? null;
  }
  set eta(v: string | null) {
    if (v !== null || this.extras !== null) this.more().eta = v;
  }
  get expires(): string | null {
    return this.extras?.expires ?? null;
  }
  set expires(v: string | null) {
    if (v !== null || this.extras !== null) this.more().expires = v;
  }
  get groupId(): string | null {
    return this.extras?.groupId ?? null;
  }
  set groupId(v: string | null) {
    if (v !== null || this.extras !== null) this.more().groupId = v;
  }
  get chordId(): string | null {
    return this.extras?.chordId ?? null;
  }
  set chordId(v: string | null) {
    if (v !== null || this.extras !== null) this.more().chordId = v;
  }
  /** Shared and frozen while empty: add a child by assigning a new array. */
  get children(): string[] {
    return this.extras?.children ?? noChildren;
  }
  set children(v: string[]) {
    if (v.length > 0 || this.extras !== null) this.more().children = v;
  }
  get terminated(): boolean {
    return this.extras?.terminated ?? false;
  }
  set terminated(v: boolean) {
    if (v || this.extras !== null) this.more().terminated = v;
  }
  get signum(): number | null {
    return this.extras?.signum ?? null;
  }
  set signum(v: number | null) {
    if (v !== null || this.extras !== null) this.more().signum = v;
  }
  get expired(): boolean {
    return this.extras?.expired ?? false;
  }
  set expired(v: boolean) {
    if (v || this.extras !== null) this.more().expired = v;
  }
  get retryOf(): string | null {
    return this.extras?.retryOf ?? null;
  }
  set retryOf(v: string | null) {
    if (v !== null || this.extras !== null) this.more().retryOf = v;
  }
  get retriedAs(): string | null {
    return this.extras?.retriedAs ?? null;
  }
  set retriedAs(v: string | null) {
    if (v !== null || this.extras !== null) this.more().retriedAs = v;
  }
  get note(): string | null {
    return this.extras?.note ?? null;
  }
  set note(v: string | null) {
    if (v !== null || this.extras !== null) this.more().note = v;
  }
  get stamps(): JsonObject | null {
    return this.extras?.stamps ?? null;
  }
  set stamps(v: JsonObject | null) {
    if (v !== null || this.extras !== null) this.more().stamps = v;
  }
}
