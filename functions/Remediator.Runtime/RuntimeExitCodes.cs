namespace Remediator.Runtime;

/// <summary>
/// Exit codes of the runtime process. Lambda restarts a runtime that exits; anything but <see cref="Stopped"/> shows
/// in the function's logs as "Runtime exited with error", which is what an operator should see.
/// </summary>
public static class RuntimeExitCodes
{
    /// <summary>The caller asked the host to stop (its cancellation token, or SIGTERM).</summary>
    public const int Stopped = 0;

    /// <summary>The Runtime API answered 500, refused /next, or could not be reached.</summary>
    public const int RuntimeApiFailure = 1;

    /// <summary>The handler factory threw; the failure was posted to /runtime/init/error.</summary>
    public const int InitFailure = 2;

    /// <summary>The environment does not describe a usable runtime (e.g. no AWS_LAMBDA_RUNTIME_API).</summary>
    public const int ConfigurationError = 3;
}
