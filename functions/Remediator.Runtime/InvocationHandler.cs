namespace Remediator.Runtime;

/// <summary>
/// What the runtime host calls for each invocation: the context, the raw event, a token that fires before the
/// deadline; it returns the raw response. Raw bytes keep the host free of any serializer, so each function chooses
/// its own (source-generated) one. Functions hand one to <see cref="LambdaRuntimeHost"/>; tests call it directly.
/// </summary>
public delegate ValueTask<ReadOnlyMemory<byte>> InvocationHandler(InvocationContext context, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
