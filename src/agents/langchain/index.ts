// `agent-timing/langchain`: the LangChain.js integration. The only module that imports
// @langchain/core (an optional peer dependency), so the package root never needs it.
export { AgentTimingCallbackHandler } from './callback-handler';
export type { AgentTimingCallbackHandlerOptions } from './callback-handler';
