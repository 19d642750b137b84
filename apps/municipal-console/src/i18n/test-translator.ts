import type { Translate } from './index.ts';

/**
 * For unit tests: i18next's lookup in small (dotted keys, _one/_other by count, {{name}}
 * interpolation, defaultValue), over the console's own texts and without i18next's setup.
 */
export function translator(texts: object): Translate {
  const lookup = (key: string): string | undefined => {
    let node: unknown = texts;
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    return typeof node === 'string' ? node : undefined;
  };
  return (key, options = {}) => {
    const count = options.count;
    const template =
      (typeof count === 'number' ? lookup(`${key}_${count === 1 ? 'one' : 'other'}`) : undefined) ??
      lookup(key) ??
      (typeof options.defaultValue === 'string' ? options.defaultValue : undefined);
    if (template === undefined) throw new Error(`missing ${key}`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  };
}
