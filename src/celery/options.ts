/**
 * The kombu transport options and Celery settings that change names on the wire
 * (wire doc section 2). One value of this type travels from the CLI/config to every
 * module that builds a key or channel name, so no module hard-codes `celery` or `\x06\x16`.
 */
export interface WireOptions {
  /** Broker database number: appears in fanout channel names as `/{db}.`. */
  db: number;
  /** kombu `global_keyprefix`: prepended to every broker key and channel (not to binding members). */
  globalKeyprefix: string;
  /** kombu `sep`: inside binding members and between a queue name and its priority suffix. */
  sep: string;
  /** kombu `priority_steps`: the list suffixes that exist; step 0 has none. */
  prioritySteps: number[];
  /** kombu `fanout_prefix`: true gives `/{db}.`, false none, a string replaces it (`{db}` substituted). */
  fanoutPrefix: boolean | string;
  /** kombu `fanout_patterns`: when true the routing key is appended to fanout channels. */
  fanoutPatterns: boolean;
  /** kombu `visibility_timeout`, seconds. */
  visibilityTimeout: number;
  unackedKey: string;
  unackedIndexKey: string;
  /** Celery `control_exchange`: mailbox `{name}.pidbox`, replies `reply.{name}.pidbox`. */
  controlExchange: string;
  /** Celery `event_exchange`. */
  eventExchange: string;
  /** Celery `task_default_queue`. */
  defaultQueue: string;
  /**
   * Celery >= 5.3 `result_backend_transport_options.global_keyprefix`, as given; names.ts applies
   * Celery's rule (a `_` is appended unless it ends in `:_-.`). Result keys only; '' for none.
   */
  backendKeyprefix: string;
  /**
   * kombu < 5.4 with Sentinel never formats `{db}` into the fanout prefix (its SentinelChannel
   * `_get_pool` skips the `.format(db=...)`), so workers use the literal channel `/{db}.celeryev/…`.
   */
  fanoutPrefixLiteral: boolean;
}

/** Celery 5.2 / kombu 5.2 defaults. */
export const defaultWireOptions: Readonly<WireOptions> = Object.freeze({
  db: 0,
  globalKeyprefix: '',
  sep: '\x06\x16',
  prioritySteps: [0, 3, 6, 9],
  fanoutPrefix: true,
  fanoutPatterns: true,
  visibilityTimeout: 3600,
  unackedKey: 'unacked',
  unackedIndexKey: 'unacked_index',
  controlExchange: 'celery',
  eventExchange: 'celeryev',
  defaultQueue: 'celery',
  backendKeyprefix: '',
  fanoutPrefixLiteral: false,
});

/** Defaults overridden by whatever the caller knows. */
export function wireOptions(overrides: Partial<WireOptions> = {}): WireOptions {
  return { ...defaultWireOptions, prioritySteps: [...defaultWireOptions.prioritySteps], ...overrides };
}
