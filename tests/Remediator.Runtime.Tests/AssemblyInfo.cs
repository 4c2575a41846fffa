// The host exports the trace id through the process environment (_X_AMZN_TRACE_ID), which every test shares:
// tests run one after another so that one test's invocation cannot show another's trace.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
