import { configureRedaction, redactValue } from '../../src/internal/redaction';

afterEach(() => configureRedaction());

describe('redactValue', () => {
  it('replaces the values of secret-looking keys and keeps the rest', () => {
    expect(redactValue('api_key', 'sk-1')).toBe('[REDACTED]');
    expect(redactValue('Authorization', 'Bearer x')).toBe('[REDACTED]');
    expect(redactValue('session-id', 's')).toBe('[REDACTED]');
    expect(redactValue('model', 'gpt')).toBe('gpt');
    expect(redactValue('author', 'ann')).toBe('ann'); // "auth" only as a whole word
  });

  it('answers the same for a key seen many times (the verdict is cached)', () => {
    for (let i = 0; i < 3; i++) {
      expect(redactValue('password', i)).toBe('[REDACTED]');
      expect(redactValue('query', i)).toBe(i);
    }
  });

  it('applies a new rule to keys already seen under the old one', () => {
    expect(redactValue('query', 'select')).toBe('select');
    expect(redactValue('password', 'pw')).toBe('[REDACTED]');
    configureRedaction({ keys: /query/i, replacement: '***' });
    expect(redactValue('query', 'select')).toBe('***');
    expect(redactValue('password', 'pw')).toBe('pw');
  });

  it('uses a global-flag pattern correctly on every call', () => {
    configureRedaction({ keys: /secret/gi });
    expect([1, 2, 3].map((v) => redactValue('my_secret', v))).toEqual(['[REDACTED]', '[REDACTED]', '[REDACTED]']);
    expect([1, 2, 3].map((v) => redactValue('other', v))).toEqual([1, 2, 3]);
  });

  it('lets a hook decide every key, and drops a key whose hook throws', () => {
    configureRedaction({
      redact: (key, value) => {
        if (key === 'boom') throw new Error('hook failed');
        return key === 'drop' ? undefined : `${String(value)}!`;
      },
    });
    expect(redactValue('password', 'pw')).toBe('pw!');
    expect(redactValue('drop', 1)).toBeUndefined();
    expect(redactValue('boom', 1)).toBeUndefined();
  });
});

describe('credential-shaped values', () => {
  it.each([
    ['Bearer sk-live-0123456789', '[REDACTED]'],
    ['authorization: Bearer abcdefgh.ijk', 'authorization: [REDACTED]'],
    ['Basic dXNlcjpwYXNz', '[REDACTED]'],
    ['key sk-proj-AbCdEf012345 in text', 'key [REDACTED] in text'],
    ['postgres://app:hunter2@db:5432/orders', 'postgres://app:[REDACTED]@db:5432/orders'],
    ['https://user:p%40ss@example.com/x', 'https://user:[REDACTED]@example.com/x'],
    ['token ghp_0123456789abcdefghijABCDEFGHIJ', 'token [REDACTED]'],
    ['AKIAABCDEFGHIJKLMNOP', '[REDACTED]'],
    ['eyJhbGciOiJIUzI1.eyJzdWIiOiIxMjM0.SflKxwRJSMeKKF2Q', '[REDACTED]'],
  ])('redacts %j whatever its key', (value, expected) => {
    expect(redactValue('note', value)).toBe(expected);
  });

  it.each(['Basic authentication is off', 'a risky-business task', 'https://example.com:8443/path', 'user@example.com', 'gpt-4o-mini'])(
    'keeps the ordinary text %j',
    (value) => {
      expect(redactValue('note', value)).toBe(value);
    },
  );

  it('applies to values a hook kept, and can be turned off', () => {
    configureRedaction({ redact: (_k, v) => v });
    expect(redactValue('x', 'Bearer abcdefghijk')).toBe('[REDACTED]');
    configureRedaction({ values: [] });
    expect(redactValue('x', 'Bearer abcdefghijk')).toBe('Bearer abcdefghijk');
    configureRedaction({ values: [/order-\d+/g, /ORDER-\d+/gi] });
    expect(redactValue('x', 'see order-42 and Order-7')).toBe('see [REDACTED] and [REDACTED]');
  });

  it('rejects a bad rule at set-up, naming the option', () => {
    expect(() => configureRedaction({ values: ['sk-' as unknown as RegExp] })).toThrow(/redaction\.values/);
    expect(() => configureRedaction({ replacement: 5 as unknown as string })).toThrow(/redaction\.replacement/);
  });
});
