import { da } from '../../../apps/municipal-console/src/i18n/da.ts';

/**
 * The console's own Danish texts, so the steps find buttons and fields the way a person
 * does (by their visible label) and keep working when a text is reworded.
 */
export function text(key: string, values: Record<string, string | number> = {}): string {
  let node: unknown = da;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no console text ${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}
