import { readFile } from 'node:fs/promises';
import { EmbeddedTarget } from '../runner/src/database/target.js';
const target = await EmbeddedTarget.fromSnapshot(new Uint8Array(await readFile(process.argv[2]!)));
for (const sql of process.argv.slice(3)) {
  const t0 = Date.now();
  await target.exec(sql);
  console.log(sql, Date.now() - t0, 'ms');
}
