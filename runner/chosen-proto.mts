import { buildDatabase } from './src/lib/snapshot.js';
import { EmbeddedTarget } from './src/lib/target.js';
import { loadConfig } from './src/config.js';
import { memoryOutput } from './src/lib/output.js';
import path from 'node:path';
const dir = path.resolve('runner/test/fixtures/index-statistics');
for (const analyze of [true, false]) {
  const config = loadConfig({ 'supabase-dir': path.join(dir, 'supabase'), analyze }, {}, dir);
  const t = await EmbeddedTarget.open(null);
  await buildDatabase(t, config, [path.join(dir, 'supabase/tests/000_helpers.sql')], memoryOutput());
  const q = `select id from public.adoptions where user_id = md5('user 7')::uuid and status = 'in_progress'`;
  console.log(analyze, await t.query(`select tests.chosen_index($1) as c, tests.plan_uses_index($1, 'adoptions_user_id_status_idx') as u`, [q]));
  await t.close();
}
