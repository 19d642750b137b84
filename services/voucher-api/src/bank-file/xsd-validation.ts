import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The official pain.001.001.03 schema, used from the shared folder beside the repository
 * (never copied into the project). Tests skip schema validation when it is absent.
 */
export const PAIN_001_XSD = fileURLToPath(
  new URL('../../../../../shared/iso20022/pain.001.001.03.xsd', import.meta.url),
);

export function painSchemaAvailable(): boolean {
  return existsSync(PAIN_001_XSD);
}

/** Validates with libxml2 compiled to WebAssembly (no native module, works offline). */
export async function validateAgainstPainSchema(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const { validateXML } = await import('xmllint-wasm');
  const result = await validateXML({
    xml: [{ fileName: 'bank-file.xml', contents: xml }],
    schema: [{ fileName: 'pain.001.001.03.xsd', contents: readFileSync(PAIN_001_XSD, 'utf8') }],
  });
  return { valid: result.valid, errors: result.errors.map((error) => error.message) };
}
