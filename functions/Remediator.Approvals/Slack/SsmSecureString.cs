using Remediator.Aws.Ssm;
using Remediator.Aws.Transport;

namespace Remediator.Approvals.Slack;

/// <summary>
/// One SSM SecureString (GetParameter with decryption), kept for a few minutes so that a warm function makes one SSM
/// call per burst. The value is never logged or put in an exception: errors name the parameter, never its content.
/// </summary>
public sealed class SsmSecureString(SsmClient ssm, string parameterName, string what, Func<string, bool> looksRight, TimeSpan cacheFor, TimeProvider clock)
{
    private (string Value, DateTimeOffset Until)? _cached;
    private Task<string>? _prefetch;

    /// <summary>
    /// Starts the read now, at init, so that the SSM round trip overlaps the rest of the cold start instead of following
    /// it; the first <see cref="GetAsync"/> takes the result (or, if it failed, reads again and reports that failure).
    /// On the thread pool: the first signed request's own start-up (signer, HTTP stack, OpenSSL) then runs beside init
    /// and the Runtime API's /next on the other core instead of before them.
    /// </summary>
    public void Prefetch() => _prefetch ??= Task.Run(() => ReadAsync(CancellationToken.None));

    public async ValueTask<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && clock.GetUtcNow() < hit.Until)
        {
            return hit.Value;
        }

        if (Interlocked.Exchange(ref _prefetch, null) is { } started)
        {
            try
            {
                return await started.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidOperationException)
            {
                // Read again below: a transient SSM failure at init must not fail the first click.
            }
        }

        return await ReadAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> ReadAsync(CancellationToken cancellationToken)
    {
        string? value;
        try
        {
            value = (await ssm.GetParameterAsync(parameterName, withDecryption: true, cancellationToken).ConfigureAwait(false))?.Trim();
        }
        catch (AwsServiceException ex)
        {
            throw new InvalidOperationException($"could not read the {what} from SSM parameter '{parameterName}': {ex.ErrorCode}");
        }

        if (string.IsNullOrEmpty(value) || !looksRight(value))
        {
            throw new InvalidOperationException($"SSM parameter '{parameterName}' does not hold a {what} (its value is not shown).");
        }

        _cached = (value, clock.GetUtcNow() + cacheFor);
        return value;
    }
}
