import { SiteSettings } from './site.ts';

/** One site setting as the README lists it: its path in `settings` and its default, as JSON. */
export interface SettingDefault {
  path: string;
  /** The default as it would be written in a seed file; `undefined` for an optional setting. */
  value: unknown;
}

/** Every site setting, section by section in the schema's order, with its default. */
export function settingDefaults(): SettingDefault[] {
  const defaults: Record<string, Record<string, unknown>> = SiteSettings.parse({});
  return Object.entries(SiteSettings.shape).flatMap(([section, schema]) =>
    Object.keys(schema.unwrap().shape).map((field) => ({
      path: `${section}.${field}`,
      value: defaults[section]?.[field],
    })),
  );
}

/** The README's table of site settings and their defaults, as markdown, made from the schema. */
export function settingsTable(): string {
  const rows = settingDefaults().map(({ path, value }) => [
    `\`${path}\``,
    value === undefined ? 'none (optional)' : `\`${JSON.stringify(value)}\``,
  ]);
  const header = ['setting', 'default'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}
