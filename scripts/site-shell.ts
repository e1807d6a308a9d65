/**
 * Turns the WAF body templates of maintenance-site/ into the strings WAF serves, and those into the
 * generated module. Shared by `npm run build:site` and the unit test that keeps the generated module in sync.
 */

export const SHELL_MODULE_PATH = 'src/domain/maintenance-shell.ts';

/** Each template and the constant the generated module holds it in. */
export const TEMPLATES = [
  { path: 'maintenance-site/shell.html', constant: 'MAINTENANCE_SHELL' },
  { path: 'maintenance-site/inline.html', constant: 'MAINTENANCE_INLINE_PAGE' },
] as const;

/**
 * Drops comments and the formatting whitespace of the template: whitespace containing a line break is
 * removed between two tags (or a tag and a `{{placeholder}}`) and becomes one space anywhere else, so
 * wrapped text keeps its spaces. Whitespace without a line break is left exactly as written.
 *
 * @example
 * shellFromTemplate('<p>\n  Back in\n  about <b>5</b> minutes.\n</p>\n<p>Bye</p>')
 * // '<p> Back in about <b>5</b> minutes. </p><p>Bye</p>' (a block's edge spaces do not render)
 */
export function shellFromTemplate(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/(?<=>|\}\})[^\S\n]*\n\s*(?=<|\{\{)/g, '')
    .replace(/[^\S\n]*\n\s*/g, ' ')
    .trim();
}

/** The generated TypeScript module, formatted the way Biome would format it. */
export function shellModule(bodies: Record<(typeof TEMPLATES)[number]['constant'], string>): string {
  const literal = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return [
    `// generated from ${TEMPLATES.map((t) => t.path).join(' and ')} by npm run build:site; do not edit`,
    ...TEMPLATES.flatMap(({ constant }) => [
      `export const ${constant}: string =`,
      `  ${literal(bodies[constant])};`,
    ]),
    '',
  ].join('\n');
}
