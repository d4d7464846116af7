import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SpanKind, type Attributes } from '@opentelemetry/api';
import { BreakdownSpanProcessor } from '../../src/processor/breakdown-span-processor';
import { DEFAULT_CLASSIFICATION_RULES, SpanClassifier, defaultClassifier } from '../../src/processor/classification';
import { startAgentTelemetry } from '../../src/setup/telemetry';
import { renderClassificationTable } from './classification-table';

const c = (attributes: Attributes, kind = SpanKind.INTERNAL, name = 'span') => defaultClassifier.classify(name, kind, attributes);

describe('the built-in classification table', () => {
  it('classifies GenAI spans by operation, and LLM calls that only name their provider', () => {
    expect(c({ 'gen_ai.operation.name': 'chat', 'http.request.method': 'POST' }, SpanKind.CLIENT)).toBe('llm_processing');
    expect(c({ 'gen_ai.operation.name': 'embeddings' })).toBe('llm_processing');
    expect(c({ 'gen_ai.operation.name': 'execute_tool' })).toBe('tool_execution');
    expect(c({ 'gen_ai.operation.name': 'retrieval' })).toBe('database_query');
    expect(c({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.provider.name': 'openai' })).toBeUndefined();
    expect(c({ 'gen_ai.operation.name': 'invoke_workflow' })).toBeUndefined();
    expect(c({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'm' })).toBe('llm_processing');
    expect(c({ 'gen_ai.provider.name': 'anthropic' })).toBe('llm_processing');
  });

  it('classifies the AI SDK 6 spans by ai.operationId and leaves its wrappers transparent', () => {
    expect(c({ 'ai.operationId': 'ai.streamText.doStream', 'gen_ai.system': 'mock' })).toBe('llm_processing');
    expect(c({ 'ai.operationId': 'ai.generateText.doGenerate' })).toBe('llm_processing');
    expect(c({ 'ai.operationId': 'ai.embedMany' })).toBe('llm_processing');
    expect(c({ 'ai.operationId': 'ai.embed.doEmbed' })).toBe('llm_processing');
    expect(c({ 'ai.operationId': 'ai.toolCall' })).toBe('tool_execution');
    expect(c({ 'ai.operationId': 'ai.streamText', 'ai.model.provider': 'mock' })).toBeUndefined();
    expect(c({ 'ai.operationId': 'ai.generateText', 'gen_ai.system': 'mock' })).toBeUndefined();
  });

  it('classifies OpenInference, Traceloop and MCP spans', () => {
    for (const k of ['LLM', 'EMBEDDING', 'RERANKER']) expect(c({ 'openinference.span.kind': k })).toBe('llm_processing');
    expect(c({ 'openinference.span.kind': 'TOOL' })).toBe('tool_execution');
    expect(c({ 'openinference.span.kind': 'RETRIEVER' })).toBe('database_query');
    expect(c({ 'openinference.span.kind': 'CHAIN', 'http.request.method': 'GET' }, SpanKind.CLIENT)).toBeUndefined();
    expect(c({ 'openinference.span.kind': 'AGENT' })).toBeUndefined();
    expect(c({ 'traceloop.span.kind': 'tool' })).toBe('tool_execution');
    expect(c({ 'traceloop.span.kind': 'workflow' })).toBeUndefined();
    expect(c({ 'mcp.method.name': 'tools/call' })).toBe('tool_execution');
    expect(c({}, SpanKind.CLIENT, 'tools/call get_weather')).toBe('tool_execution');
  });

  it('classifies pool waits as queue wait, before their database attributes', () => {
    expect(c({ 'db.system': 'postgresql' }, SpanKind.CLIENT, 'pg-pool.connect')).toBe('queue_wait');
    expect(c({ 'db.system': 'postgresql' }, SpanKind.CLIENT, 'pg.query:SELECT')).toBe('database_query');
    expect(c({ 'db.system.name': 'postgresql' })).toBe('database_query');
    expect(c({}, SpanKind.INTERNAL, 'generic-pool.acquire')).toBe('queue_wait');
  });

  it('classifies messaging, RPC and HTTP clients; server spans and bare spans are transparent', () => {
    expect(c({ 'messaging.system': 'kafka' }, SpanKind.PRODUCER)).toBe('queue_wait');
    expect(c({ 'rpc.system': 'grpc' }, SpanKind.CLIENT)).toBe('external_api');
    expect(c({ 'rpc.system.name': 'grpc' }, SpanKind.CLIENT)).toBe('external_api');
    expect(c({ 'rpc.system': 'grpc' }, SpanKind.SERVER)).toBeUndefined();
    expect(c({ 'http.request.method': 'GET' }, SpanKind.CLIENT)).toBe('external_api');
    expect(c({ 'http.method': 'GET' }, SpanKind.CLIENT)).toBe('external_api');
    expect(c({ 'http.request.method': 'GET' }, SpanKind.SERVER)).toBeUndefined();
    expect(c({ 'some.framework': 'x' })).toBeUndefined();
    expect(c({ 'gen_ai.operation.name': 42 } as unknown as Attributes)).toBeUndefined();
  });
});

describe('user rows', () => {
  it('are tried first: they add rows and override built-in ones', () => {
    const classifier = new SpanClassifier([
      { attribute: 'my.framework.kind', equals: 'model', category: 'llm_processing' },
      { spanName: true, prefix: 'cache.', category: 'database_query' },
      { attribute: 'gen_ai.operation.name', equals: 'invoke_agent', category: 'tool_execution', source: 'sub-agents are tools here' },
      { attribute: 'db.system', equals: 'redis', category: 'transparent' },
    ]);
    expect(classifier.classify('x', SpanKind.INTERNAL, { 'my.framework.kind': 'model' })).toBe('llm_processing');
    expect(classifier.classify('cache.get', SpanKind.INTERNAL, {})).toBe('database_query');
    expect(classifier.classify('x', SpanKind.INTERNAL, { 'gen_ai.operation.name': 'invoke_agent' })).toBe('tool_execution');
    expect(classifier.classify('x', SpanKind.CLIENT, { 'db.system': 'redis' })).toBeUndefined();
    expect(classifier.classify('x', SpanKind.CLIENT, { 'db.system': 'postgresql' })).toBe('database_query');
  });

  it('keep the order of rows on one attribute whatever their match type', () => {
    const classifier = new SpanClassifier(
      [
        { attribute: 'k', prefix: 'a', category: 'tool_execution' },
        { attribute: 'k', equals: 'ab', category: 'llm_processing' },
        { attribute: 'k', category: 'queue_wait' },
        { attribute: 'k', equals: 'z', category: 'llm_processing' },
      ],
      false,
    );
    expect(classifier.classify('x', SpanKind.INTERNAL, { k: 'ab' })).toBe('tool_execution');
    expect(classifier.classify('x', SpanKind.INTERNAL, { k: 'z' })).toBe('queue_wait');
    expect(classifier.classify('x', SpanKind.INTERNAL, { k: 1 })).toBe('queue_wait');
  });

  it('are validated at set-up with a message naming the row', () => {
    const bad: unknown[] = [
      { equals: 'x', category: 'llm_processing' },
      { attribute: 'a', spanName: true, category: 'llm_processing' },
      { attribute: 'a', category: 'llm' },
      { attribute: 'a', equals: [], category: 'llm_processing' },
      { attribute: 'a', equals: 'x', prefix: 'y', category: 'llm_processing' },
      { attribute: 'a', prefix: '', category: 'llm_processing' },
      { spanName: true, category: 'llm_processing' },
      { attribute: 'a', spanKind: 99, category: 'llm_processing' },
      null,
    ];
    for (const row of bad) {
      expect(() => new SpanClassifier([row as never])).toThrow(/classificationRules\[0\]/);
    }
    expect(() => new SpanClassifier('x' as never)).toThrow(/array/);
  });

  it('are checked by startAgentTelemetry and BreakdownSpanProcessor before anything starts', () => {
    const bad = [{ attribute: 'a', category: 'llm' }] as never;
    expect(() => new BreakdownSpanProcessor({ classificationRules: bad })).toThrow(/classificationRules\[0\]\.category/);
    expect(() => startAgentTelemetry({ prometheus: false, registerGlobal: false, classificationRules: bad })).toThrow(/classificationRules\[0\]/);
  });
});

describe('docs/frameworks.md', () => {
  it('shows the built-in table exactly as the code has it', () => {
    const doc = readFileSync(join(__dirname, '../../docs/frameworks.md'), 'utf8');
    expect(doc).toContain(renderClassificationTable(DEFAULT_CLASSIFICATION_RULES));
  });
});
