import { readFile } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
import { runMutant } from '../runner/src/mutate/run.js';
const target = await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(process.argv[2]!)));
const files = [{ file: 'supabase/tests/420_match_automations.sql', shown: '420' }];
const text = await readFile(files[0]!.file, 'utf8');
const fixtures = text.slice(text.indexOf('-- Fixtures, as postgres'), text.indexOf('-- anon\n'));
const probe = async (label: string) => {
  await target.exec('begin');
  await target.exec(fixtures.replace(/^-- =+$/gm, ''));
  await target.exec('select tests.authenticate_as_anon()');
  const rows = await target.query<{ slug: string; similarity: number }>(`select slug, round(similarity::numeric, 4) s from public.match_automations((select embedding from probe where name = 'q1'), 6)`);
  await target.exec(`set local hnsw.ef_search = 300; set local hnsw.iterative_scan = relaxed_order; set local enable_seqscan = off; set local enable_sort = off; set local search_path = ''`);
  const asPg = await target.query<{ slug: string }>(`select slug from public.automations a where a.embedding is not null order by a.embedding operator(extensions.<=>) (select embedding from pg_temp.probe where name = 'q1') limit 12`);
  console.log('as anon, all rows, by index:', asPg.map((r) => r.slug).join(','));
  const plan = await target.query(`explain (analyze, costs off, timing off, summary off) select a.slug from public.automations a where a.embedding is not null and a.published order by a.embedding operator(extensions.<=>) (select embedding from pg_temp.probe where name = 'q1') limit 6`);
  await target.exec('rollback');
  console.log(label, rows.map((r) => r.slug).join(','));
  if (process.env.PLAN) console.log(plan.map((p) => Object.values(p)[0]).join('\n'));
};
for (let i = 0; i < Number(process.argv[3] ?? 4); i++) {
  await probe(`before run ${i}:`);
  const r = await runMutant(target, { id: 'control', sql: null, files }, { stopAtFirstFailure: false });
  console.log(i, r.status);
}
process.exit(0);
