global using InvocationHandler = System.Func<
    Remediator.Runtime.InvocationContext,
    System.ReadOnlyMemory<byte>,
    System.Threading.CancellationToken,
    System.Threading.Tasks.ValueTask<System.ReadOnlyMemory<byte>>>;
