/** Quoting for SQL the runner writes itself, pure: as PostgreSQL's quote_ident and quote_literal do. */

/** An identifier, always double-quoted: `"my ""table"""`. */
export function quoteIdent(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A string literal: `'it''s'` (standard_conforming_strings, as every supported server has it). */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
