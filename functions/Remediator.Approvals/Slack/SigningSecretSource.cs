using System.Text;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Remediator.Approvals.Slack;

/// <summary>Where the Slack signing secret comes from.</summary>
public interface ISigningSecretSource
{
    ValueTask<byte[]> GetAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The signing secret from an SSM SecureString (GetParameter with decryption), kept for a few minutes so that a warm
/// function makes one SSM call per burst. The value is never logged or put in an exception.
/// </summary>
public sealed class SsmSigningSecretSource(IAmazonSimpleSystemsManagement ssm, string parameterName, TimeSpan cacheFor, TimeProvider clock) : ISigningSecretSource
{
    private (byte[] Secret, DateTimeOffset Until)? _cached;

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && clock.GetUtcNow() < hit.Until)
        {
            return hit.Secret;
        }

        GetParameterResponse response;
        try
        {
            response = await ssm.GetParameterAsync(new GetParameterRequest { Name = parameterName, WithDecryption = true }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            throw new InvalidOperationException($"could not read the Slack signing secret from SSM parameter '{parameterName}': {ex.ErrorCode ?? ex.GetType().Name}");
        }

        var value = response.Parameter?.Value?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length < 16)
        {
            throw new InvalidOperationException($"SSM parameter '{parameterName}' does not hold a Slack signing secret (its value is not shown).");
        }

        var secret = Encoding.UTF8.GetBytes(value);
        _cached = (secret, clock.GetUtcNow() + cacheFor);
        return secret;
    }
}
