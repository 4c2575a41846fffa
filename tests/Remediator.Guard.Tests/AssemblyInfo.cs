// The Runtime host exports the trace id through the process environment, and the moto tests share one server:
// tests run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
