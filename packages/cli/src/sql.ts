import { CliError } from './errors.ts';

export type SqlValue = string | number | null;

/** A value as an SQLite literal. Strings are quoted with '' doubling, which is all SQLite needs. */
export function sqlValue(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new CliError(`cannot store the number ${value}`);
    return String(value);
  }
  if (value.includes('\0')) throw new CliError('values may not contain NUL characters');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Builds one SQL statement with every interpolated value as a literal.
 * @example
 * sql`SELECT * FROM sites WHERE id = ${siteId}`
 */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | SqlValue[])[]): string {
  return strings.reduce((out, text, i) => {
    if (i >= values.length) return out + text;
    const value = values[i] as SqlValue | SqlValue[];
    return out + text + (Array.isArray(value) ? value.map(sqlValue).join(', ') : sqlValue(value));
  }, '');
}
