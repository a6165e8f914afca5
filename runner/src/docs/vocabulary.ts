/** Controlled vocabularies, pure: `check (col in (...))` constraints read back from the catalogue. */

/**
 * The column and values of a check constraint of the form `col in ('a', 'b')`,
 * as pg_get_constraintdef prints it:
 * `CHECK ((col = ANY (ARRAY['a'::text, 'b'::text])))`. Anything else: null.
 */
export function parseVocabulary(definition: string): { column: string; values: string[] } | null {
  const match = /^CHECK \(\("?([a-z_][a-z0-9_]*)"? = ANY \(+ARRAY\[(.*)\](?:\)?::text\[\])?\)+$/.exec(definition.trim());
  if (match === null) return null;
  const [, column, list] = match;
  if (column === undefined || list === undefined) return null;
  const values: string[] = [];
  const literal = /\s*'((?:[^']|'')*)'::(?:text|character varying)\s*(,|$)/y;
  let rest = list;
  while (rest.length > 0) {
    literal.lastIndex = 0;
    const item = literal.exec(rest);
    if (item === null) return null;
    values.push((item[1] ?? '').replace(/''/g, "'"));
    rest = rest.slice(item[0].length);
  }
  return values.length > 0 ? { column, values } : null;
}
