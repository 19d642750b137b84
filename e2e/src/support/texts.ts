import { da as citizenDa } from '../../../apps/citizen-pwa/src/locales.ts';
import { da as scannerDa } from '../../../apps/provider-scanner/src/locales.ts';

/**
 * The apps' own Danish texts, so steps find fields and buttons by the label a person reads,
 * and a reworded text does not break them.
 */
function lookup(texts: object, key: string, values: Record<string, string | number>): string {
  let node: unknown = texts;
  for (const part of key.split('.')) node = (node as Record<string, unknown>)[part];
  if (typeof node !== 'string') throw new Error(`no text ${key}`);
  return node.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
}

export const citizenText = (key: string, values: Record<string, string | number> = {}) =>
  lookup(citizenDa, key, values);
export const scannerText = (key: string, values: Record<string, string | number> = {}) =>
  lookup(scannerDa, key, values);
