// Loaded into the server by the streams bench (`node --import`): times each delivery claim, the
// statement prepared as 'claim_deliveries', as the server's connection sees it (send to answer),
// and on SIGUSR2 writes the figures since the previous signal, with the statement's text and
// last parameters, to CLAIM_TIMER_FILE. Works on any
// version whose claim has that name, so the same bench measures before and after a change.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import pg from 'pg';

const file = process.env.CLAIM_TIMER_FILE;
let durations = [];
let claimed = 0;
let dumps = 0;
/** The claim's text and its last parameters, for the bench to EXPLAIN. */
let statement = null;

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function timedQuery(config, values, callback) {
  if (config?.name !== 'claim_deliveries') return query.call(this, config, values, callback);
  statement = { text: config.text, values: config.values ?? values };
  const started = performance.now();
  const record = (answer) => {
    durations.push(performance.now() - started);
    claimed += answer.rows.filter((row) => row.id !== null).length;
  };
  // The pool calls query(config, values, callback); a client of its own gets a promise.
  const done = typeof values === 'function' ? values : callback;
  if (done) {
    const timed = (error, answer) => {
      if (!error) record(answer);
      done(error, answer);
    };
    return typeof values === 'function'
      ? query.call(this, config, timed)
      : query.call(this, config, values, timed);
  }
  const result = query.call(this, config, values);
  result.then(record, () => undefined);
  return result;
};

process.on('SIGUSR2', () => {
  dumps += 1;
  writeFileSync(file, JSON.stringify({ dump: dumps, durations, claimed, statement }));
  durations = [];
  claimed = 0;
});
