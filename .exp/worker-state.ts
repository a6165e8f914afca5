import { readFile, readdir } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
import { runMutant } from '../runner/src/mutate/run.js';
const dir = '.data/snapshots';
const snap = (await readdir(dir)).filter((f) => f.endsWith('.tar.gz') || f.endsWith('.tar') || f.includes('snapshot')).sort();
console.log(snap);
const file = process.argv[2] ?? `${dir}/${snap[snap.length - 1]}`;
const target = await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(file)));
const files = (await readdir('supabase/tests')).filter((f) => !f.startsWith('000')).sort().map((f) => ({ file: `supabase/tests/${f}`, shown: f }));
const only = files.filter((f) => /400|420|900/.test(f.shown));
for (let i = 0; i < Number(process.argv[3] ?? 60); i++) {
  const r = await runMutant(target, { id: 'c' + i, sql: null, files: i % 10 === 9 ? files : only }, { stopAtFirstFailure: false });
  const bad = r.files.filter((f) => !f.passed).map((f) => f.file);
  const m = await target.query<{ s: string }>(`select string_agg(slug, ',') s from public.match_automations((select embedding from public.automations where slug='overdue-invoice-reminders'), 3)`);
  console.log(i, r.status, bad.join(' '), m[0]?.s);
}
