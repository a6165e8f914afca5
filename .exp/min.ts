import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
const efc = Number(process.env.EFC ?? 800);
for (let attempt = 0; attempt < 6; attempt++) {
  const db = await PGlite.create({ extensions: { vector } });
  await db.exec(`create extension vector;
    create table items (id serial primary key, embedding vector(1536));
    create index on items using hnsw (embedding vector_cosine_ops) with (m = 16, ef_construction = ${efc});
    insert into items (embedding) select (select array_agg(random()::real - 0.5) from generate_series(1, 1536) d where n > 0)::vector from generate_series(1, 43) n;
    create function fe(i integer, j integer, angle double precision) returns vector language plpgsql immutable as $$
    declare x real[] := array_fill(0::real, array[1536]);
    begin x[10] := 1 / sqrt(2); x[i] := cos(radians(angle)) / sqrt(2); x[j] := sin(radians(angle)) / sqrt(2); return x::vector; end $$;`);
  const fix = `insert into items (embedding) select fe(1, 2, a) from unnest(array[10,20,30,40,50,60,5,25]) a;`;
  const counts: number[] = [];
  for (let run = 0; run < 3; run++) {
    await db.exec('begin');
    await db.exec(fix);
    await db.exec('set local enable_seqscan = off');
    const r = await db.query(`select id from items order by embedding <=> fe(1, 2, 0) limit 12`);
    counts.push(r.rows.length);
    await db.exec('rollback');
  }
  console.log(attempt, counts.join(' '));
  await db.close();
}
