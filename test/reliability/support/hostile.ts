import fc from 'fast-check';
import { MetricType } from '../../../src';

/** A 1 MB string, shared (building it per run would dominate the test's time). */
export const HUGE = 'x'.repeat(1_000_000);

const thrower = (): never => {
  throw new Error('hostile: trap or getter threw');
};

/**
 * Values built fresh each time (some are mutable or self-referencing): cycles, throwing getters,
 * proxies whose every trap throws, revoked proxies, `__proto__` / `constructor` own keys, null
 * prototypes, throwing toString / toPrimitive, symbol keys and values, huge and deep structures.
 */
export const HOSTILE_FACTORIES: Record<string, () => unknown> = {
  cyclic: () => {
    const o: Record<string, unknown> = { a: 1 };
    o.self = o;
    o.list = [o, { back: o }];
    return o;
  },
  throwingGetter: () =>
    Object.defineProperty({ model: 'm' }, 'password', { enumerable: true, get: thrower }),
  throwingProxy: () =>
    new Proxy({}, { get: thrower, has: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower, getPrototypeOf: thrower }),
  revokedProxy: () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  },
  protoKeys: () => JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": 1}') as unknown,
  nullPrototype: () => Object.assign(Object.create(null) as object, { a: 1, category: 'llm_processing' }),
  toStringThrows: () => ({ toString: thrower, valueOf: thrower, [Symbol.toPrimitive]: thrower }),
  symbols: () => ({ [Symbol('key')]: 1, value: Symbol('value'), category: Symbol('category') }),
  huge: () => ({ big: HUGE, [HUGE.slice(0, 5000)]: 'long key', list: [HUGE, HUGE] }),
  hugeArray: () => new Array<string>(100_000).fill('y'),
  manyKeys: () => Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i])),
  deep: () => {
    let o: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20_000; i++) o = { o };
    return o;
  },
  numbers: () => ({ nan: NaN, inf: Infinity, ninf: -Infinity, nzero: -0, max: Number.MAX_VALUE, neg: -5 }),
  odd: () => ({ big: 10n, fn: () => 1, date: new Date(NaN), map: new Map([[1, 2]]), set: new Set([1]), typed: new Float64Array([NaN, Infinity]) }),
  hostileError: () => Object.defineProperty(new Error('x'), 'message', { get: thrower }),
  hugeError: () => Object.assign(new Error(HUGE), { stack: HUGE, code: HUGE }),
  weirdError: () => Object.assign(new Error('weird'), { name: { not: 'a string' } }),
};

/**
 * A hostile object to be built where it is used. fast-check itself probes every generated value
 * (for its clone method), which a proxy whose traps throw would not survive; so generated inputs
 * carry recipes, and materialize() builds them right before the call under test.
 */
export class Hostile {
  constructor(readonly kind: string) {}
  toString(): string {
    return `Hostile(${this.kind})`;
  }
}

export const hostileObject: fc.Arbitrary<unknown> = fc.constantFrom(...Object.keys(HOSTILE_FACTORIES)).map((k) => new Hostile(k));

/**
 * A generated input with its recipes built: fresh hostile objects, at any depth of plain objects
 * (copied with defineProperty, so an own `__proto__` key stays an own key).
 */
export function materialize(v: unknown, depth = 0): unknown {
  if (v instanceof Hostile) return HOSTILE_FACTORIES[v.kind]();
  if (depth > 4 || v === null || typeof v !== 'object') return v;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out = Object.create(proto as object | null) as Record<PropertyKey, unknown>;
  for (const key of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, key)!;
    Object.defineProperty(out, key, { ...d, ...('value' in d ? { value: materialize(d.value, depth + 1) } : {}) });
  }
  return out;
}

const oddNumbers = fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, -1, Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2);

/** Any value: fast-check's anything() with the exotic options on, odd numbers, hostile objects. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true, withBoxedValues: true, withObjectString: true }),
  oddNumbers,
  fc.constant(Symbol('sym')).map(() => Symbol('fresh')),
  fc.constant(HUGE),
  hostileObject,
);

/** Names: a small pool (so stops find starts), category names, awkward strings, and non-strings. */
export const hostileName: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('plan', 'search', 'llm_processing', 'tool_execution', 'database_query', 'initialization') },
  { weight: 2, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', '   ', '\u0000', '\ud800', 'a\nb') },
  { weight: 1, arbitrary: fc.constantFrom('n'.repeat(300), HUGE) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: hostileValue },
);

/** Metadata objects: dictionaries with hostile keys and values, or hostile objects outright. */
export const hostileMetadata: fc.Arbitrary<unknown> = fc.oneof(
  fc.dictionary(
    fc.oneof(fc.constantFrom('__proto__', 'constructor', 'category', 'toolName', 'password', 'api_key', 'user.id', 'k'.repeat(200)), fc.string({ maxLength: 8 })),
    hostileValue,
    { maxKeys: 6 },
  ),
  hostileObject,
  hostileValue,
  fc.constant(undefined),
);

export const hostileMetricType: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...Object.values(MetricType)) },
  { weight: 1, arbitrary: hostileValue },
);

export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(fc.double(), oddNumbers, fc.integer(), hostileValue);
