import fs from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The published schema (schema/qtop-1.schema.json), compiled once per test file. Every JSON
// output a test produces goes through this, so the schema and the code cannot drift apart.
const schema = JSON.parse(fs.readFileSync(path.resolve(process.cwd(), 'schema/qtop-1.schema.json'), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validate = ajv.compile(schema);

/** Schema violations of `value` as readable lines; empty when it is a valid qtop/1 document. */
export function schemaErrors(value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

// qtop-all/1 refers to qtop/1's snapshot by its $id, so both are added to one Ajv.
const allSchema = JSON.parse(
  fs.readFileSync(path.resolve(process.cwd(), 'schema/qtop-all-1.schema.json'), 'utf8'),
);
const ajvAll = new Ajv2020({ allErrors: true, strict: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajvAll);
ajvAll.addSchema(schema);
const validateAll = ajvAll.compile(allSchema);

/** Schema violations of `value` as a `qtop --json --all` document; empty when valid. */
export function allSchemaErrors(value: unknown): string[] {
  if (validateAll(value)) return [];
  return (validateAll.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

// qtop-task/1 (`qtop task ID --json`): its own document, compiled on first use.
let validateTask: ReturnType<Ajv2020['compile']> | null = null;

/** Schema violations of `value` as a `qtop task ID --json` document; empty when valid. */
export function taskSchemaErrors(value: unknown): string[] {
  if (validateTask === null) {
    const taskSchema = JSON.parse(
      fs.readFileSync(path.resolve(process.cwd(), 'schema/qtop-task-1.schema.json'), 'utf8'),
    );
    const ajvTask = new Ajv2020({ allErrors: true, strict: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajvTask);
    validateTask = ajvTask.compile(taskSchema);
  }
  if (validateTask(value)) return [];
  return (validateTask.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}
