/**
 * `docs --types`: TypeScript types in the shape supabase-js expects, made by
 * @supabase/postgrest-typegen (the engine behind `supabase gen types`, which
 * needs Docker) from the catalogue of our own database.
 *
 * One addition: our controlled vocabularies are `check (col in (...))`
 * constraints on text columns, not enum types, so the generator would type them
 * as `string`. Before generating, each such column is given a synthetic enum,
 * named `<table>_<column>`, holding the constraint's values: the column's type
 * becomes a union of literals, listed in `Enums` and `Constants` like an enum.
 * The database still stores text; the check constraint stays the authority.
 */
import type { GeneratorMetadata } from '@supabase/postgrest-typegen';
import { generateTypescript, sortGeneratorMetadata } from '@supabase/postgrest-typegen/generation';
import { introspect } from '@supabase/postgrest-typegen/introspection';
import type { Target } from '../database/target.js';
import { parseVocabulary } from './vocabulary.js';

export interface Vocabulary {
  table: string;
  column: string;
  values: string[];
}

/** Every single-column `in (...)` check constraint of a schema's tables. */
export async function readVocabularies(target: Target, schema = 'public'): Promise<Vocabulary[]> {
  const rows = await target.query<{ table: string; definition: string }>(
    `select c.relname as table, pg_get_constraintdef(co.oid) as definition
       from pg_catalog.pg_constraint co join pg_catalog.pg_class c on c.oid = co.conrelid
      where co.contype = 'c' and c.relnamespace = $1::regnamespace and cardinality(co.conkey) = 1
      order by c.relname, co.conname`,
    [schema],
  );
  return rows.flatMap(({ table, definition }) => {
    const parsed = parseVocabulary(definition);
    return parsed === null ? [] : [{ table, ...parsed }];
  });
}

/**
 * The metadata with a synthetic enum per vocabulary, and each vocabulary's
 * column typed by it. Pure: the input is not changed.
 */
export function withVocabularies(metadata: GeneratorMetadata, vocabularies: Vocabulary[], schema = 'public'): GeneratorMetadata {
  const byColumn = new Map(vocabularies.map((v) => [`${v.table}.${v.column}`, v]));
  let nextId = -1;
  const types = vocabularies.map((v) => ({
    id: nextId--,
    name: `${v.table}_${v.column}`,
    schema,
    format: `${v.table}_${v.column}`,
    enums: v.values,
    attributes: [],
    comment: `check constraint on ${v.table}.${v.column}`,
    type_relation_id: null,
  }));
  const columns = metadata.columns.map((column) => {
    const vocabulary = column.schema === schema ? byColumn.get(`${column.table}.${column.name}`) : undefined;
    if (vocabulary === undefined || !['text', 'varchar'].includes(column.format)) return column;
    const name = `${vocabulary.table}_${vocabulary.column}`;
    return { ...column, data_type: 'USER-DEFINED', format: name, type_schema: schema, enums: vocabulary.values };
  });
  return { ...metadata, columns, types: [...metadata.types, ...types] };
}

/** A pg-like client over a Target, for the introspector. */
function queryable(target: Target) {
  return { query: async (sql: string) => ({ rows: await target.query(sql) }) };
}

export async function generateDatabaseTypes(target: Target, header: string): Promise<string> {
  const metadata = await introspect(queryable(target), { includedSchemas: ['public'] });
  const vocabularies = await readVocabularies(target);
  const types = await generateTypescript(sortGeneratorMetadata(withVocabularies(metadata, vocabularies)), {
    postgrestVersion: '12',
  });
  return `${header}\n${types.endsWith('\n') ? types : `${types}\n`}`;
}
