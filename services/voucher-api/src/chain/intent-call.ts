import { ekroneAbi, voucherHubAbi } from '@voucher/contracts';
import {
  type Abi,
  type AbiFunction,
  type AbiParameter,
  type Address,
  encodeFunctionData,
  getAddress,
  type Hex,
  isAddress,
  isHex,
  size,
} from 'viem';

export const CONTRACT_ABIS = { hub: voucherHubAbi, ekrone: ekroneAbi } as const satisfies Record<string, Abi>;
export type ContractName = keyof typeof CONTRACT_ABIS;

export interface ContractAddresses {
  hub: Address;
  ekrone: Address;
}

/** The bits of an outbox row that say what to call. */
export interface OutboxIntent {
  contract: string;
  functionName: string;
  args: unknown;
}

export interface PreparedCall {
  contract: ContractName;
  abi: Abi;
  to: Address;
  functionName: string;
  args: unknown[];
  data: Hex;
}

/**
 * An intent's arguments are JSON and may not carry anything but ids, addresses and amounts:
 * free text has no ABI type to go into. Thrown for a row that can never be sent as it is.
 */
export class IntentInvalidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IntentInvalidError';
  }
}

/** The addresses an intent's placeholders stand for; see ChainWriteIntent.args. */
export interface CallPlaceholders {
  operator: Address;
  /** Only on a local development chain. */
  developmentAdmin: Address | undefined;
}

export function prepareCall(
  intent: OutboxIntent,
  addresses: ContractAddresses,
  placeholders: CallPlaceholders,
): PreparedCall {
  if (!(intent.contract in CONTRACT_ABIS))
    throw new IntentInvalidError(`unknown contract "${intent.contract}"`);
  const contract = intent.contract as ContractName;
  const abi = CONTRACT_ABIS[contract] as Abi;
  const fn = findWriteFunction(abi, intent.functionName);
  if (!Array.isArray(intent.args) || intent.args.length !== fn.inputs.length) {
    throw new IntentInvalidError(`${fn.name} takes ${fn.inputs.length} argument(s) as a JSON array`);
  }
  const resolve = (placeholder: string) => resolvePlaceholder(placeholder, addresses, placeholders);
  const args = fn.inputs.map((input, index) =>
    toAbiValue(input, (intent.args as unknown[])[index], `${fn.name}.${input.name || index}`, resolve),
  );
  const data = encodeFunctionData({ abi, functionName: fn.name, args } as never);
  return { contract, abi, to: addresses[contract], functionName: fn.name, args, data };
}

function findWriteFunction(abi: Abi, name: string): AbiFunction {
  const matches = abi.filter((item): item is AbiFunction => item.type === 'function' && item.name === name);
  const [fn] = matches;
  if (!fn || matches.length > 1) throw new IntentInvalidError(`no single function "${name}"`);
  if (fn.stateMutability === 'view' || fn.stateMutability === 'pure') {
    throw new IntentInvalidError(`"${name}" does not write; it needs no transaction`);
  }
  return fn;
}

function resolvePlaceholder(
  placeholder: string,
  addresses: ContractAddresses,
  placeholders: CallPlaceholders,
): Address {
  if (placeholder === '@operator') return placeholders.operator;
  if (placeholder === '@development-admin') {
    if (placeholders.developmentAdmin) return placeholders.developmentAdmin;
    throw new IntentInvalidError('"@development-admin": there is no development admin on this chain');
  }
  const contract = placeholder.match(/^@contract:(\w+)$/)?.[1];
  if (contract && contract in addresses) return addresses[contract as ContractName];
  throw new IntentInvalidError(`unknown placeholder "${placeholder}"`);
}

/** Converts one JSON argument to what viem encodes, guided by its ABI type. */
function toAbiValue(
  param: AbiParameter,
  value: unknown,
  path: string,
  resolve: (p: string) => Address,
): unknown {
  const type = param.type;
  const array = type.match(/^(.*)\[(\d*)\]$/);
  if (array) {
    if (!Array.isArray(value)) throw new IntentInvalidError(`${path}: expected an array`);
    const inner = { ...param, type: array[1] } as AbiParameter;
    return value.map((item, index) => toAbiValue(inner, item, `${path}[${index}]`, resolve));
  }
  if (type === 'tuple') return toTuple(param, value, path, resolve);
  if (/^u?int\d*$/.test(type)) return toInteger(type, value, path);
  if (type === 'bool') {
    if (typeof value !== 'boolean') throw new IntentInvalidError(`${path}: expected true or false`);
    return value;
  }
  if (type === 'address') return toAddress(value, path, resolve);
  if (/^bytes\d+$/.test(type)) return toFixedBytes(type, value, path);
  if (type === 'bytes') return toSignatureBytes(value, path);
  // `string` would let arbitrary text reach calldata; no intent needs it.
  throw new IntentInvalidError(`${path}: ABI type ${type} is not allowed in outbox intents`);
}

function toTuple(param: AbiParameter, value: unknown, path: string, resolve: (p: string) => Address) {
  const components = 'components' in param ? param.components : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IntentInvalidError(`${path}: expected an object`);
  }
  const record = value as Record<string, unknown>;
  const known = new Set(components.map((component) => component.name));
  const unknown = Object.keys(record).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new IntentInvalidError(`${path}: unknown field(s) ${unknown.join(', ')}`);
  return Object.fromEntries(
    components.map((component) => [
      component.name,
      toAbiValue(component, record[component.name ?? ''], `${path}.${component.name}`, resolve),
    ]),
  );
}

/**
 * Dynamic bytes carry one thing in our intents: an officer's WebAuthn assertion, already
 * checked by the service and checked again by the contract. Lower-case hex, whole bytes, and
 * bounded (an assertion is well under a kilobyte).
 */
const MAX_DYNAMIC_BYTES = 4096;

function toSignatureBytes(value: unknown, path: string): `0x${string}` {
  if (typeof value !== 'string' || !/^0x(?:[0-9a-f]{2})*$/.test(value)) {
    throw new IntentInvalidError(`${path}: expected lower-case hex bytes`);
  }
  if ((value.length - 2) / 2 > MAX_DYNAMIC_BYTES) {
    throw new IntentInvalidError(`${path}: more than ${MAX_DYNAMIC_BYTES} bytes`);
  }
  return value as `0x${string}`;
}

function toInteger(type: string, value: unknown, path: string): bigint {
  const signed = type.startsWith('int');
  const pattern = signed ? /^-?\d+$/ : /^\d+$/;
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new IntentInvalidError(`${path}: expected a decimal string for ${type}`);
  }
  return BigInt(value);
}

function toAddress(value: unknown, path: string, resolve: (p: string) => Address): Address {
  if (typeof value === 'string' && value.startsWith('@')) return resolve(value);
  if (typeof value !== 'string' || !isAddress(value, { strict: false })) {
    throw new IntentInvalidError(`${path}: expected an address`);
  }
  return getAddress(value);
}

function toFixedBytes(type: string, value: unknown, path: string): Hex {
  const bytes = Number(type.slice('bytes'.length));
  if (typeof value !== 'string' || !isHex(value, { strict: true }) || size(value) !== bytes) {
    throw new IntentInvalidError(`${path}: expected ${bytes} bytes as 0x-prefixed hex`);
  }
  return value;
}
