import { readFile, readdir } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
import { runMutant } from '../runner/src/mutate/run.js';
const target = await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(process.argv[2]!)));
const files = (await readdir('supabase/tests')).filter((f) => !f.startsWith('000') && new RegExp(process.env.ONLY ?? '.').test(f)).sort().map((f) => ({ file: `supabase/tests/${f}`, shown: f }));
const mode = process.argv[3] ?? 'none';
for (let i = 0; i < Number(process.argv[4] ?? 12); i++) {
  const t0 = Date.now();
  const r = await runMutant(target, { id: 'c' + i, sql: null, files }, { stopAtFirstFailure: false });
  const t1 = Date.now();
  await target.exec('select pg_stat_force_next_flush()');
  const dead = await target.query<{ relname: string; n_dead_tup: string }>(`select relname, n_dead_tup from pg_stat_user_tables where n_dead_tup > 0 order by n_dead_tup desc limit 4`);
  if (mode === 'all') await target.exec('vacuum');
  if (mode === 'dead') for (const d of await target.query<{ t: string }>(`select format('%I.%I', schemaname, relname) t from pg_stat_user_tables where n_dead_tup > 0`)) await target.exec(`vacuum ${d.t}`);
  if (mode === 'user') await target.exec('vacuum ' + (await target.query<{ t: string }>(`select string_agg(format('%I.%I', schemaname, relname), ', ') t from pg_stat_user_tables`))[0]!.t);
  const t2 = Date.now();
  console.log(i, r.status, r.killedBy?.reason, r.files.filter((f) => !f.passed).map((f) => f.file).join(' '), `run ${t1 - t0} ms, vacuum ${t2 - t1} ms`, JSON.stringify(dead));
}
