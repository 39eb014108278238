import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkPrereqs,
  demoAppDir,
  demoFiles,
  INSTALL_HINT,
  missingFileMessage,
  missingMessage,
  onPath,
  simulatorPath,
} from '../../commands/demo/env.js';

describe('qtop demo prerequisites', () => {
  it('finds the test app and the simulator from the package root', () => {
    expect(fs.existsSync(path.join(demoAppDir(), 'qtop_test_app.py'))).toBe(true);
    expect(fs.existsSync(simulatorPath())).toBe(true);
    for (const simulated of [false, true]) expect(missingFileMessage(demoFiles(simulated))).toBeNull();
  });

  it('names the missing package file and how to get it back', () => {
    const files = demoFiles(false, '/opt/qtop');
    const message = missingFileMessage(files, (file) => !String(file).endsWith('send_tasks.py'));
    expect(message).toContain('/opt/qtop/demo/celery_app/send_tasks.py');
    expect(message).toContain('reinstall qtop');
    expect(demoFiles(true, '/opt/qtop')).toContain('/opt/qtop/sim/simulator.mjs');
  });

  it('looks redis-server up on the given PATH only', () => {
    expect(onPath('redis-server', '/nonexistent')).toBe(false);
    expect(onPath('sh', `/nonexistent${path.delimiter}/bin`)).toBe(true);
  });

  it('reports Celery missing when the interpreter cannot import it', () => {
    expect(checkPrereqs('/nonexistent', '/nonexistent/python3')).toEqual({
      redisServer: false,
      celery: false,
    });
  });

  it('names the exact packages, and --simulated when only Celery is missing', () => {
    expect(missingMessage({ redisServer: true, celery: true }, false)).toBeNull();
    expect(missingMessage({ redisServer: true, celery: false }, true)).toBeNull();
    const noCelery = missingMessage({ redisServer: true, celery: false }, false);
    expect(noCelery).toContain(INSTALL_HINT);
    expect(noCelery).toContain('qtop demo --simulated');
    expect(missingMessage({ redisServer: false, celery: true }, false)).toContain(INSTALL_HINT);
    expect(missingMessage({ redisServer: false, celery: false }, true)).toContain(
      'apt-get install redis-server',
    );
  });
});
