// The workflow sandbox's stack depth. Preloaded once per workflow thread (worker/bundle.ts), while
// the V8 context's globals may still be set; the SDK freezes them before the first workflow.
//
// The SDK captures a stack for every promise workflow code creates (its promise hook feeds the
// `__stack_trace` query, the Temporal UI's stack trace of a waiting workflow) and maps each frame
// through the bundle's source map: at V8's default depth of 10 frames that was a fifth of the
// workflow thread's time. Production bounds it (config/env.ts WORKER_WORKFLOW_STACK_FRAMES, 4): a
// failure's stack and the UI's stack trace then name the innermost frames only. To see deeper
// stacks of a waiting workflow, run a worker with a larger value: the workflow replays there and
// the query answers with the deeper stacks. Commands do not depend on it (replay is unaffected).

declare const __WORKFLOW_STACK_FRAMES__: number;

Error.stackTraceLimit = typeof __WORKFLOW_STACK_FRAMES__ === 'number' ? __WORKFLOW_STACK_FRAMES__ : 10;
