import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qtopBin } from '../helpers/qtop-cli.js';

// `qtop --help` and `--version` start fast because every subcommand imports its heavy modules only
// when it runs (commands/cli.ts). A Node module hook records every module the built qtop resolves;
// none of Ink, React, ioredis, prom-client, the MCP SDK or zod may be among them.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qtop-imports-'));
const hook = path.join(dir, 'hook.mjs');
const record = path.join(dir, 'resolved.txt');
const resolveHook = `
import fs from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  fs.appendFileSync(process.env.QTOP_IMPORTS_FILE, result.url + '\\n');
  return result;
}`;
fs.writeFileSync(
  hook,
  `import { register } from 'node:module';\nregister(${JSON.stringify(`data:text/javascript,${encodeURIComponent(resolveHook)}`)});\n`,
);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function resolvedBy(args: string[]): Promise<string[]> {
  fs.rmSync(record, { force: true });
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', hook, qtopBin, ...args],
      { env: { PATH: process.env.PATH ?? '', QTOP_IMPORTS_FILE: record }, timeout: 20_000 },
      (error) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean));
      },
    );
  });
}

const heavy = /node_modules\/(ink|react|ioredis|prom-client|@modelcontextprotocol\/sdk|zod)\//;

describe('what --help and --version load', () => {
  for (const args of [['--help'], ['--version'], ['mcp', '--help'], ['serve', '--help']]) {
    it(`qtop ${args.join(' ')} loads neither Ink, ioredis, prom-client nor the MCP SDK`, async () => {
      const urls = await resolvedBy(args);
      // The hook works: commander is what parses the arguments.
      expect(urls.some((url) => url.includes('node_modules/commander/'))).toBe(true);
      expect(urls.filter((url) => heavy.test(url))).toEqual([]);
    });
  }

  it('qtop mcp itself does load the SDK (so the check above can fail)', async () => {
    const urls = await resolvedBy(['mcp', '-b', 'redis://127.0.0.1:1/0', '--timeout', '0.2']);
    expect(urls.some((url) => url.includes('node_modules/@modelcontextprotocol/sdk/'))).toBe(true);
    expect(urls.some((url) => url.includes('node_modules/ioredis/'))).toBe(true);
  });
});
