import { readFile } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
import { runMutant } from '../runner/src/mutate/run.js';
import { PGlite } from '@electric-sql/pglite';
import { embeddedExtensions } from '../runner/src/database/extensions.js';
import { applyDatabaseSettings } from '../runner/src/database/target.js';
import { SnapshotFS } from '../runner/src/database/snapshot-fs.js';
async function loadTarget(file: string, how: string): Promise<EmbeddedTarget> {
  const tar = new Uint8Array(await readFile(file));
  const params = how.includes('small') ? [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] : PGlite.defaultStartParams;
  const db = how.includes('snapfs')
    ? await PGlite.create({ fs: new SnapshotFS(tar), extensions: await embeddedExtensions(), startParams: params })
    : await PGlite.create({ loadDataDir: new Blob([tar]), extensions: await embeddedExtensions(), startParams: params });
  await applyDatabaseSettings(db);
  return new (EmbeddedTarget as any)(db, 'x');
}
const files = [{ file: 'supabase/tests/420_match_automations.sql', shown: '420' }];
const text = await readFile(files[0]!.file, 'utf8');
const fixtures = text.slice(text.indexOf('-- Fixtures, as postgres'), text.indexOf('-- match_user adopted')).replace(/^-- =+$/gm, '');
for (let attempt = 0; attempt < 6; attempt++) {
  const target = process.env.LOAD ? await loadTarget(process.argv[2]!, process.env.LOAD) : process.env.DIR ? await EmbeddedTarget.open(process.env.DIR + attempt) : await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(process.argv[2]!)));
  if (process.env.DIR) for (const f of ['000_test_helpers.sql', '000_test_rls_probe.sql']) await target.exec(await readFile('supabase/tests/' + f, 'utf8'));
  const first = await runMutant(target, { id: 'control', sql: null, files }, { stopAtFirstFailure: false }); console.log('first run', first.status, first.killedBy?.reason);
  await target.exec('begin');
  if (process.env.NOUPDATE) await target.exec(fixtures.replace('update public.automations set embedding = null;', ''));
  else await target.exec(fixtures + (process.env.REINDEX ? '; reindex index public.automations_embedding_idx;' : ''));
  const q = `(select embedding from pg_temp.probe where name = 'q1')`;
  const out: string[] = [];
  for (const [label, settings] of [
    ['iter relaxed ef300', `set local hnsw.ef_search = 300; set local hnsw.iterative_scan = relaxed_order;`],
    ['iter off ef300', `set local hnsw.ef_search = 300; set local hnsw.iterative_scan = off;`],
    ['iter off ef40', `set local hnsw.ef_search = 40; set local hnsw.iterative_scan = off;`],
    ['strict ef40', `set local hnsw.ef_search = 40; set local hnsw.iterative_scan = strict_order;`],
  ]) {
    await target.exec(`set local enable_seqscan = off; set local enable_sort = off; ${settings}`);
    const rows = await target.query<{ slug: string }>(`select slug from public.automations a where a.embedding is not null order by a.embedding operator(extensions.<=>) ${q} limit 12`);
    out.push(`${label}: ${rows.length} ${rows.slice(0, 3).map((r) => r.slug).join(',')}`);
  }
  const seedq = await target.query<{ slug: string }>(`select slug from public.automations a where a.embedding is not null order by a.embedding operator(extensions.<=>) (select embedding from public.automations where slug = 'overdue-invoice-reminders') limit 5`);
  out.push('seed query: ' + seedq.map((r) => r.slug).join(','));
  await target.exec('rollback');
  await target.exec(`set enable_seqscan = off`);
  const outside = await target.query<{ slug: string }>(`select slug from public.automations a where a.embedding is not null order by a.embedding operator(extensions.<=>) (select embedding from public.automations where slug = 'overdue-invoice-reminders') limit 5`);
  await target.exec(`reset enable_seqscan`);
  out.push('after rollback: ' + outside.map((r) => r.slug).join(','));
  console.log(attempt, out.join(' | '));
  await target.close();
}
process.exit(0);
