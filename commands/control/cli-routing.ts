/**
 * `--exchange-type NAME=TYPE`, shared by the writes that route (`retry`, `message move`): kombu keeps
 * an exchange's type in the declaring process only, so qtop infers it from the bindings and the
 * operator can say it when the inference cannot (a direct-looking table of a fanout exchange).
 */
import type { Command } from 'commander';
import { parseExchangeTypes } from '../../src/celery/routing.js';
import type { ExchangeTypeOverrides } from '../../src/control/controls.js';
import { UsageError } from '../shared/usage-error.js';

/** Add the repeatable `--exchange-type NAME=TYPE` option to `cmd`. */
export function exchangeTypeOption(cmd: Command): Command {
  return cmd.option(
    '--exchange-type <name=type>',
    "an exchange's kombu type, direct|topic|fanout, when qtop cannot infer it (repeatable)",
    (value: string, previous: string[] = []) => [...previous, value],
  );
}

/** The option's values as overrides (undefined when none), or a usage error naming the bad value. */
export function exchangeTypesOf(values: string[] | undefined): ExchangeTypeOverrides | undefined {
  if (!values?.length) return undefined;
  const parsed = parseExchangeTypes(values);
  if (!parsed.ok) throw new UsageError(parsed.reason);
  return Object.fromEntries(parsed.types);
}
