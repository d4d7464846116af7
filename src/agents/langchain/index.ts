// `agent-timing/langchain`: the LangChain.js integration. The only module that imports
// @langchain/core (an optional peer dependency), so the package root never needs it.
// The histograms subscribe to the collector's completion hook when their module loads (src/api/completion.ts).
import '../../metrics/instruments';
export { AgentTimingCallbackHandler } from './callback-handler';
export type { AgentTimingCallbackHandlerOptions } from './callback-handler';
