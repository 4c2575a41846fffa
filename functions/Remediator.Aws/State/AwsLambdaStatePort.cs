using Remediator.Aws.Lambda;
using Remediator.Core.Ports;

namespace Remediator.Aws.State;

/// <summary>A function's timeout from GetFunctionConfiguration.</summary>
public sealed class AwsLambdaStatePort : ILambdaStatePort
{
    private readonly LambdaClient _lambda;

    public AwsLambdaStatePort(LambdaClient lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        _lambda = lambda;
    }

    public ValueTask<int?> GetFunctionTimeoutAsync(string functionNameOrArn, CancellationToken cancellationToken) =>
        Missing.AsNullAsync(async () => (int?)(await _lambda.GetFunctionConfigurationAsync(functionNameOrArn, cancellationToken: cancellationToken).ConfigureAwait(false)).Timeout);
}
