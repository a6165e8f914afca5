import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GeneratorMetadata } from '@supabase/postgrest-typegen';
import { describeDifference } from '../src/commands/docs.js';
import type { SchemaModel, TableInfo } from '../src/docs/schema-catalogue.js';
import { entityName, matrixRows, mermaidType, renderSchemaMarkdown } from '../src/docs/schema-markdown.js';
import { withVocabularies } from '../src/docs/typegen.js';
import { parseVocabulary } from '../src/docs/vocabulary.js';

test('vocabularies: a check (col in (...)) constraint as pg_get_constraintdef prints it', () => {
  assert.deepEqual(parseVocabulary(`CHECK ((role = ANY (ARRAY['user'::text, 'admin'::text])))`), {
    column: 'role',
    values: ['user', 'admin'],
  });
  assert.deepEqual(parseVocabulary(`CHECK ((note = ANY (ARRAY['it''s'::text, 'a, b'::text])))`), {
    column: 'note',
    values: ["it's", 'a, b'],
  });
  assert.equal(parseVocabulary('CHECK ((setup_minutes >= 0))'), null);
  assert.equal(parseVocabulary(`CHECK (((status <> 'completed'::text) OR (completed_at IS NOT NULL)))`), null);
  assert.equal(parseVocabulary(`CHECK ((n = ANY (ARRAY[1, 2])))`), null);
});

test('vocabularies become enums of the generator metadata, and their columns use them', () => {
  const column = (name: string, format: string) => ({
    table_id: 1,
    schema: 'public',
    table: 'profiles',
    id: `1.${name}`,
    ordinal_position: 1,
    name,
    default_value: null,
    data_type: 'text',
    format,
    type_schema: 'pg_catalog',
    is_identity: false,
    identity_generation: null,
    is_generated: false,
    is_nullable: true,
    is_updatable: true,
    is_unique: false,
    enums: [],
    check: null,
    comment: null,
  });
  const metadata = {
    version: 1,
    schemas: [],
    tables: [],
    foreignTables: [],
    views: [],
    materializedViews: [],
    primaryKeys: [],
    relationships: [],
    functions: [],
    types: [],
    columns: [column('role', 'text'), column('full_name', 'text')],
  } as unknown as GeneratorMetadata;
  const result = withVocabularies(metadata, [{ table: 'profiles', column: 'role', values: ['user', 'admin'] }]);
  assert.equal(result.columns[0]?.format, 'profiles_role');
  assert.equal(result.columns[1]?.format, 'text');
  assert.deepEqual(
    result.types.map((t) => [t.name, t.enums]),
    [['profiles_role', ['user', 'admin']]],
  );
  assert.equal(metadata.columns[0]?.format, 'text', 'the input is not changed');
});

const table = (name: string, extra: Partial<TableInfo>): TableInfo => ({
  name,
  comment: `${name}: why it exists`,
  rls: true,
  columns: [],
  constraints: [],
  indexes: [],
  policies: [],
  triggers: [],
  grants: [{ role: 'anon', privileges: [] }],
  ...extra,
});

const model: SchemaModel = {
  schemas: ['public'],
  tables: [
    table('profiles', {
      columns: [{ name: 'user_id', type: 'uuid', nullable: false, default: null, comment: null, columnGrants: [] }],
      constraints: [
        { name: 'profiles_pkey', kind: 'p', columns: ['user_id'], definition: 'PRIMARY KEY (user_id)', references: null, onDelete: null },
        {
          name: 'profiles_user_id_fkey',
          kind: 'f',
          columns: ['user_id'],
          definition: 'FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE',
          references: { table: 'auth.users', columns: ['id'] },
          onDelete: 'cascade',
        },
      ],
    }),
    table('notes', {
      columns: [
        { name: 'author_id', type: 'uuid', nullable: true, default: null, comment: null, columnGrants: ['update: authenticated'] },
        { name: 'kind', type: 'text', nullable: false, default: `'a'::text`, comment: 'a | b', columnGrants: [] },
        { name: 'tags', type: 'text[]', nullable: false, default: null, comment: null, columnGrants: [] },
      ],
      constraints: [
        {
          name: 'notes_author_id_fkey',
          kind: 'f',
          columns: ['author_id'],
          definition: 'FOREIGN KEY (author_id) REFERENCES profiles(user_id) ON DELETE SET NULL',
          references: { table: 'profiles', columns: ['user_id'] },
          onDelete: 'set null',
        },
        {
          name: 'notes_kind_check',
          kind: 'c',
          columns: ['kind'],
          definition: `CHECK ((kind = ANY (ARRAY['a'::text, 'b'::text])))`,
          references: null,
          onDelete: null,
        },
      ],
      indexes: [
        {
          name: 'notes_author_id_idx',
          definition: 'CREATE INDEX notes_author_id_idx ON public.notes USING btree (author_id)',
          unique: false,
          constraint: null,
          comment: 'Foreign key author_id.',
        },
      ],
    }),
  ],
  functions: [],
};

test('schema page: a Mermaid diagram with cardinalities from nullability and uniqueness', () => {
  const page = renderSchemaMarkdown(model, { regenerate: 'make docs', migrations: ['1_a.sql'], rlsMatrix: null });
  assert.match(page, /^<!-- Generated by `make docs`/);
  assert.match(page, /  auth_users \|\|--o\| profiles : "user_id \(cascade\)"/, 'a unique foreign key is one to one');
  assert.match(page, /  profiles \|o--o\{ notes : "author_id \(set null\)"/, 'a nullable foreign key is optional');
  assert.match(page, /    uuid user_id PK, FK\n/);
  assert.match(page, /    text_array tags\n/);
  assert.match(page, /\| `kind` \| `text` \| no \| `'a'::text` \| one of `a`, `b`; a \| b \|/);
  assert.match(page, /\| `notes_author_id_idx` \| `public.notes USING btree \(author_id\)` \| Foreign key author_id. \|/);
  assert.match(page, /column privilege update: authenticated/);
  assert.match(page, /No test file states an RLS matrix/);
});

test('schema page: each table gets its own lines of the RLS matrix', () => {
  const matrix = [
    '# Row level security',
    '',
    '| table    | actor | select |',
    '|----------|-------|--------|',
    '| profiles | anon  | none   |',
    '| profiles | owner | own    |',
    '| notes    | anon  | none   |',
    '',
  ].join('\n');
  const rows = matrixRows(matrix);
  assert.deepEqual(rows.get('profiles'), [
    '| table    | actor | select |',
    '|----------|-------|--------|',
    '| profiles | anon  | none   |',
    '| profiles | owner | own    |',
  ]);
  const page = renderSchemaMarkdown(model, { regenerate: 'make docs', migrations: [], rlsMatrix: matrix });
  assert.match(page, /\| notes    \| anon  \| none   \|/);
});

test('schema page helpers: Mermaid names and types are single words', () => {
  assert.equal(entityName('auth.users'), 'auth_users');
  assert.equal(entityName('public.notes'), 'notes');
  assert.equal(mermaidType('timestamp with time zone'), 'timestamptz');
  assert.equal(mermaidType('numeric(6,2)'), 'numeric');
  assert.equal(mermaidType('extensions.vector(1536)'), 'vector');
  assert.equal(mermaidType('character varying(255)'), 'varchar');
});

test('stale check names the first differing line, and shows both sides', () => {
  assert.deepEqual(describeDifference('a\nb\n', 'a\nc\n'), ['first at line 2 (- committed, + generated):', '  - 2 | b', '  + 2 | c', '        ^ column 1']);
  assert.deepEqual(describeDifference('a\n', 'a\nb\n'), ['first at line 2 (- committed, + generated):', '  + 2 | b']);
});
