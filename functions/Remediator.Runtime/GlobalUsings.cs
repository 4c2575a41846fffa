// The handler shape the host calls: the context, the raw event, a token that fires before the deadline; it returns the
// raw response. Raw bytes keep the host free of any serializer, so each function chooses its own (source-generated) one.
global using InvocationHandler = System.Func<
    Remediator.Runtime.InvocationContext,
    System.ReadOnlyMemory<byte>,
    System.Threading.CancellationToken,
    System.Threading.Tasks.ValueTask<System.ReadOnlyMemory<byte>>>;
