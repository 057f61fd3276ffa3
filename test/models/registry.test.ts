import { describe, expect, it } from 'vitest';
import { RunToolsError } from '../../src/api/errors.js';
import { emptyUsage } from '../../src/api/messages.js';
import { customTarget } from '../../src/models/custom.js';
import { ModelError } from '../../src/models/errors.js';
import { priceUsage } from '../../src/models/pricing.js';
import { createModelAdapter, resolveModel } from '../../src/models/registry.js';
import { retryDelay } from '../../src/models/retry.js';
import { deps } from './helpers.js';

describe('resolveModel', () => {
  it('picks the provider by name prefix', () => {
    expect(resolveModel('claude-opus-4-5')).toEqual({ provider: 'anthropic', model: 'claude-opus-4-5' });
    expect(resolveModel('gpt-5-mini')).toEqual({ provider: 'openai', model: 'gpt-5-mini' });
    expect(resolveModel('o3')).toEqual({ provider: 'openai', model: 'o3' });
    expect(resolveModel('gemini-2.5-pro')).toEqual({ provider: 'google', model: 'gemini-2.5-pro' });
    expect(resolveModel({ provider: 'custom', format: 'openai', endpoint: 'http://x/v1' })).toEqual({
      provider: 'custom',
      model: 'default',
    });
  });

  it('rejects an unknown prefix with an invalid_request that lists the prefixes', () => {
    const error = (() => {
      try {
        resolveModel('llama-3');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(RunToolsError);
    expect(error).toMatchObject({
      type: 'invalid_request',
      message: expect.stringMatching(/claude-.*gpt-.*gemini-/),
    });
  });
});

describe('keys', () => {
  it.each([
    [
      'claude-opus-4-5',
      'set ANTHROPIC_API_KEY to use claude-opus-4-5, or switch the runtime to a scripted model',
    ],
    ['gpt-5', 'set OPENAI_API_KEY to use gpt-5, or switch the runtime to a scripted model'],
    [
      'gemini-3-pro',
      'set GOOGLE_API_KEY or GEMINI_API_KEY to use gemini-3-pro, or switch the runtime to a scripted model',
    ],
  ])('a missing key for %s fails at once, naming the variable', (model, message) => {
    const saved = process.env.ANTHROPIC_API_KEY;
    // Keys come only from the env record: one in process.env must not be picked up.
    process.env.ANTHROPIC_API_KEY = 'from-process-env';
    try {
      let thrown: unknown;
      try {
        createModelAdapter(model, deps({ ANTHROPIC_API_KEY: '' }));
      } catch (caught) {
        thrown = caught;
      }
      expect(thrown).toBeInstanceOf(ModelError);
      expect(thrown).toMatchObject({ kind: 'auth', retryable: false, message });
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('checks the Anthropic thinking budget against max tokens', () => {
    const env = deps({ ANTHROPIC_API_KEY: 'k' });
    expect(() =>
      createModelAdapter(
        { provider: 'anthropic', model: 'claude-opus-4-5', thinkingBudget: 4000, maxTokens: 2000 },
        env,
      ),
    ).toThrow(/maxTokens \(2000\) must be larger than thinkingBudget \(4000\)/);
    expect(() =>
      createModelAdapter({ provider: 'anthropic', model: 'claude-opus-4-5', thinkingBudget: 100 }, env),
    ).toThrow(/at least 1024/);
  });
});

describe('custom endpoints', () => {
  it.each([
    ['openai', 'http://localhost:11434/v1', 'http://localhost:11434/v1', undefined],
    ['openai', 'http://localhost:8000/v1/chat/completions', 'http://localhost:8000/v1', undefined],
    ['openai', 'http://localhost:8000/v1/', 'http://localhost:8000/v1', undefined],
    ['anthropic', 'http://localhost:8080', 'http://localhost:8080', undefined],
    ['anthropic', 'http://localhost:8080/v1', 'http://localhost:8080', undefined],
    ['anthropic', 'http://localhost:8080/v1/messages', 'http://localhost:8080', undefined],
    ['anthropic', 'http://gw.local/api/messages', 'http://gw.local/api', 'http://gw.local/api/messages'],
  ] as const)('%s %s -> base %s', (format, endpoint, baseURL, exactUrl) => {
    expect(customTarget({ format, endpoint })).toEqual(
      exactUrl === undefined ? { baseURL } : { baseURL, exactUrl },
    );
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(() => customTarget({ format: 'openai', endpoint: 'localhost:11434' })).not.toThrow();
    expect(() => customTarget({ format: 'openai', endpoint: 'not a url' })).toThrow(/is not a URL/);
  });
});

describe('pricing', () => {
  const usage = {
    ...emptyUsage(),
    inputTokens: 1_000_000,
    outputTokens: 1_000_000,
    cacheReadTokens: 1_000_000,
    cacheWriteTokens: 1_000_000,
  };

  it('prices each kind of token at its rate, including dated snapshots', () => {
    expect(priceUsage('claude-sonnet-4-5', usage)).toBeCloseTo(3 + 15 + 0.3 + 3.75);
    expect(priceUsage('claude-sonnet-4-5-20250929', usage)).toBeCloseTo(3 + 15 + 0.3 + 3.75);
    expect(priceUsage('gpt-5-mini', { ...emptyUsage(), outputTokens: 500_000 })).toBeCloseTo(1);
  });

  it('is null, never 0, when the price is unknown', () => {
    expect(priceUsage('o3-mini', usage)).toBeNull();
    expect(priceUsage('llama3', usage)).toBeNull();
    expect(priceUsage('gpt-5', usage, 'custom')).toBeNull();
    expect(priceUsage('scripted', usage, 'scripted')).toBeNull();
  });

  it('prices a configured price, a scripted stand-in by its model, and no tokens at 0 on any model', () => {
    const custom = createModelAdapter(
      {
        provider: 'custom',
        format: 'openai',
        endpoint: 'http://127.0.0.1:9/v1',
        price: { input: 1, output: 2 },
      },
      deps({}),
    );
    // Cache rates default to the input rate.
    expect(custom.price).toEqual({ input: 1, output: 2, cacheRead: 1, cacheWrite: 1 });
    expect(priceUsage(custom.model, usage, custom.provider, custom.price)).toBeCloseTo(1 + 2 + 1 + 1);
    expect(priceUsage('claude-sonnet-4-5', usage, 'scripted')).toBeCloseTo(3 + 15 + 0.3 + 3.75);
    expect(priceUsage('llama3', emptyUsage(), 'custom')).toBe(0);
  });
});

describe('retry policy', () => {
  const options = { baseMs: 100, maxRetries: 3, random: () => 0.5 };
  const overloaded = new ModelError('overloaded', 'x');

  it('backs off exponentially with jitter and honours retry-after', () => {
    expect(retryDelay(overloaded, 0, false, options)).toBe(75);
    expect(retryDelay(overloaded, 2, false, options)).toBe(300);
    expect(retryDelay(new ModelError('rate_limit', 'x', { retryAfterMs: 1234 }), 0, false, options)).toBe(
      1234,
    );
  });

  it('does not retry once output was yielded, past maxRetries, non-retryable kinds or too long a retry-after', () => {
    expect(retryDelay(overloaded, 0, true, options)).toBeUndefined();
    expect(retryDelay(overloaded, 3, false, options)).toBeUndefined();
    expect(retryDelay(new ModelError('bad_request', 'x'), 0, false, options)).toBeUndefined();
    expect(
      retryDelay(new ModelError('rate_limit', 'x', { retryAfterMs: 3_600_000 }), 0, false, options),
    ).toBeUndefined();
    expect(retryDelay(new Error('plain'), 0, false, options)).toBeUndefined();
  });
});
