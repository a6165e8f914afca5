import { readFile } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
import { runMutant } from '../runner/src/mutate/run.js';
const target = await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(process.argv[2]!)));
const files = [{ file: 'supabase/tests/420_match_automations.sql', shown: '420' }];
for (let i = 0; i < Number(process.argv[4] ?? 3); i++) {
  const r = await runMutant(target, { id: 'control', sql: null, files }, { stopAtFirstFailure: false });
  console.log(i, r.status, JSON.stringify(r.outcomes?.[0]?.summary.failures.map((f) => [f.id, f.name, f.diag ?? ''])).slice(0, 300));
  if (process.argv[3] === 'vacuum') await target.exec('vacuum public.automations');
}
process.exit(0);
