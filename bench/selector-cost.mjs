// Selector CPU alone at the screen-cost scale: 100,000 held tasks (2 % failed), 2,000 queues.
// Per call, after a model change that touches no task (as a heartbeat frame): the failure
// groups with their recent counts (overview, failures panel) and the 2,000 queue rows; and the
// ingest cost per task event while the failure aggregate is live (PRE=1 makes it before the fill).
// Usage: [PRE=1] [N=40] node bench/selector-cost.mjs [DIST_DIR]  (DIST_DIR: another build to compare)
const dist = process.argv[2] ?? new URL('../dist', import.meta.url).pathname;
const { createStore } = await import(`${dist}/src/store/store.js`);
const { selectFailureGroups } = await import(`${dist}/src/store/select-failures.js`);
const { selectRecentFailures } = await import(`${dist}/src/store/select-recent-failures.js`);
const { selectQueues } = await import(`${dist}/src/store/select-queues.js`);
const t0 = Date.now() / 1000 - 600;
const { systemClock } = await import(`${dist}/src/base/clock.js`);
const store = createStore({ clock: systemClock, config: { maxTasks: 100_000 }, notifyEveryMs: 0 });
const ev = (type, uuid, ts, extra = {}) => ({
  kind: 'task',
  type,
  uuid,
  hostname: `w${uuid.length % 50}@h`,
  timestamp: ts,
  utcoffset: 0,
  pid: 1,
  clock: 1,
  ...extra,
});
if (process.env.PRE) selectFailureGroups(store.getModel(), Date.now());
const fill0 = process.cpuUsage();
let batch = [];
for (let t = 0; t < 100_000; t++) {
  const id = `id-${t}`;
  const ts = t0 + t * 0.005;
  batch.push(ev('task-received', id, ts, { name: `app.t${t % 40}` }), ev('task-started', id, ts + 0.001));
  if (t % 50 === 3)
    batch.push(ev('task-failed', id, ts + 0.05, { exception: "ValueError('bad')", traceback: 'tb' }));
  else batch.push(ev('task-succeeded', id, ts + 0.05, { runtime: 0.05, result: 'None' }));
  if (batch.length >= 24) {
    store.dispatch({ type: 'events/received', at: Date.now(), events: batch, malformed: 0, bytes: 0 });
    batch = [];
  }
}
{
  const c = process.cpuUsage(fill0);
  console.log(`fill: ${((c.user + c.system) / 300_000).toFixed(2)} µs CPU per task event (300k events)`);
}
const queues = Array.from({ length: 2000 }, (_, i) => ({
  name: `q${i}`,
  exchanges: [`q${i}`],
  lengths: { 0: i % 7 },
  peek: [],
}));
store.dispatch({ type: 'queues/sampled', at: Date.now(), undecodableBindings: 0, queues });
const model = store.getModel();
const time = (label, fn) => {
  for (let i = 0; i < 5; i++) fn(Date.now());
  const cpu = process.cpuUsage();
  const n = Number(process.env.N ?? 40);
  for (let i = 0; i < n; i++) {
    model.version += 1;
    fn(Date.now());
  }
  const c = process.cpuUsage(cpu);
  console.log(`${label}: ${((c.user + c.system) / 1000 / n).toFixed(2)} ms CPU per call`);
};
time('failure groups + recent failures', (now) => {
  selectFailureGroups(model, now);
  selectRecentFailures(model, now);
});
time('queue rows (2,000)', (now) => selectQueues(model, now));
