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
