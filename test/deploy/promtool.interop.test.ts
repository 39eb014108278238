import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesFile, rulesTestFile } from './dashboard-model.js';

// The shipped alert rules pass Debian's promtool 2.42: syntax and expressions (`check rules`)
// and the unit tests of each alert on synthetic series (`test rules`); the example config too.
function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile('promtool', args, { cwd: path.dirname(rulesFile), timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

describe('promtool on deploy/prometheus', () => {
  it('check rules: every rule parses', async () => {
    const run = await promtool(['check', 'rules', rulesFile]);
    expect(run.output).toContain('SUCCESS: 8 rules found');
    expect(run.code, run.output).toBe(0);
  });

  it('test rules: each alert fires on its synthetic series and stays silent on the near misses', async () => {
    const run = await promtool(['test', 'rules', rulesTestFile]);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('SUCCESS');
  });

  it('check config: the example prometheus.yml and the rules it loads', async () => {
    const run = await promtool(['check', 'config', 'prometheus.example.yml']);
    expect(run.code, run.output).toBe(0);
  });
});
