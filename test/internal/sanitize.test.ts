import type { Attributes } from '@opentelemetry/api';
import { limits } from '../../src/internal/limits';
import { configureRedaction } from '../../src/internal/redaction';
import { boundedJsonCopy, describeError, describeForLog, metadataCopy, metadataToAttributes, safeJson } from '../../src/internal/sanitize';
import { resetForTests } from '../../src/setup/reset-for-tests';

afterEach(() => {
  configureRedaction();
  resetForTests();
});

const NESTED = {
  model: 'gpt',
  request: { headers: { authorization: 'Bearer sk-x-0123456789', accept: 'json' }, url: 'postgres://u:pw-9876@h/db' },
  list: [{ password: 'hunter2' }, 'ok'],
};

describe('metadataToAttributes', () => {
  it('redacts nested keys at any depth and credential-shaped values whatever their key', () => {
    const into: Attributes = {};
    metadataToAttributes(NESTED, into);
    const text = JSON.stringify(into);
    expect(text).not.toContain('sk-x-0123456789');
    expect(text).not.toContain('pw-9876');
    expect(text).not.toContain('hunter2');
    expect(into.model).toBe('gpt');
    expect(JSON.parse(into.request as string)).toEqual({
      headers: { authorization: '[REDACTED]', accept: 'json' },
      url: 'postgres://u:[REDACTED]@h/db',
    });
  });

  it('keeps at most maxMetadataKeys keys and reads a throwing getter as a dropped key', () => {
    const big: Record<string, number> = {};
    for (let i = 0; i < 1000; i++) big[`k${i}`] = i;
    const into: Attributes = {};
    metadataToAttributes(big, into);
    expect(Object.keys(into)).toHaveLength(limits.maxMetadataKeys);
    const hostile = Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get: () => { throw new Error('x'); } });
    const into2: Attributes = {};
    metadataToAttributes(hostile, into2);
    expect(into2).toEqual({ ok: 1 });
  });

  it('never throws on a Proxy whose traps throw', () => {
    const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
    expect(() => metadataToAttributes(proxy, {})).not.toThrow();
  });
});

describe('metadataCopy', () => {
  it('keeps nested data as data, redacted, and bounded in characters', () => {
    const copy = metadataCopy(NESTED)!;
    expect(JSON.parse(JSON.stringify(copy))).toEqual({
      model: 'gpt',
      request: { headers: { authorization: '[REDACTED]', accept: 'json' }, url: 'postgres://u:[REDACTED]@h/db' },
      list: [{ password: '[REDACTED]' }, 'ok'],
    });
    const huge = { a: 'x'.repeat(5_000), b: 'y'.repeat(5_000), c: 'z'.repeat(5_000) };
    expect(JSON.stringify(metadataCopy(huge)).length).toBeLessThan(limits.maxMetadataChars + 200);
  });

  it('copies nested objects at most MAX depth and breadth', () => {
    const deep: Record<string, unknown> = {};
    let at = deep;
    for (let i = 0; i < 100; i++) at = at.next = {};
    expect(JSON.stringify(boundedJsonCopy(deep))).toContain('[Truncated]');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(boundedJsonCopy(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    expect(boundedJsonCopy({ n: 10n, s: Symbol('x'), d: new Date(0) })).toEqual({ n: '10', d: '1970-01-01T00:00:00.000Z' });
  });

  it('returns the same copy when given one of its own copies', () => {
    const copy = metadataCopy({ a: 1 })!;
    expect(metadataCopy(copy)).toBe(copy);
  });
});

describe('diag descriptions', () => {
  it('bound, redact and never call a hostile toString', () => {
    expect(describeForLog('x'.repeat(1_000_000)).length).toBeLessThan(80);
    expect(describeForLog('Bearer abcdefghijklmnop')).toBe('"[REDACTED]"');
    const hostile = { toString: () => { throw new Error('no'); } };
    expect(describeForLog(hostile)).toBe('(object)');
    expect(describeError(Object.create(null))).toBe('(object)');
    const err = new Error('connect postgres://a:secretpw@h failed');
    expect(describeError(err)).toBe('Error: connect postgres://a:[REDACTED]@h failed');
    const getterThrows = Object.defineProperty(new Error('m'), 'message', { get: () => { throw new Error('x'); } });
    expect(describeError(getterThrows)).toBe('(unreadable error)');
    expect(safeJson({ a: { token: 't' } })).toBe('{"a":{"token":"[REDACTED]"}}');
  });
});
