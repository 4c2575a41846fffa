using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Remediator.Notifier.Slack;

/// <summary>
/// Reads the webhook URL from an SSM SecureString (GetParameter with decryption) and keeps it for a few minutes, so
/// that a burst of invocations in one warm runtime makes one SSM call. The value is checked to be an https URL and
/// is never written into a message, log line or exception.
/// </summary>
public sealed class SsmWebhookUrlSource : IWebhookUrlSource, IDisposable
{
    private readonly IAmazonSimpleSystemsManagement _ssm;
    private readonly string _parameterName;
    private readonly TimeSpan _cacheFor;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (Uri Url, DateTimeOffset Until)? _cached;

    /// <param name="ssm">Configured by the caller; not disposed here.</param>
    public SsmWebhookUrlSource(IAmazonSimpleSystemsManagement ssm, string parameterName, TimeSpan cacheFor, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(ssm);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        if (cacheFor < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(cacheFor), cacheFor, "the cache duration cannot be negative");
        }

        _ssm = ssm;
        _parameterName = parameterName;
        _cacheFor = cacheFor;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>How many times SSM was asked (for tests and a debug line).</summary>
    public int Reads { get; private set; }

    public async ValueTask<Uri> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } hit && _clock.GetUtcNow() < hit.Until)
        {
            return hit.Url;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && _clock.GetUtcNow() < again.Until)
            {
                return again.Url;
            }

            var url = await ReadAsync(cancellationToken).ConfigureAwait(false);
            _cached = (url, _clock.GetUtcNow() + _cacheFor);
            return url;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate() => _cached = null;

    public void Dispose() => _refresh.Dispose();

    /// <summary>https, or http to the loopback address only (a local stand-in for Slack in tests).</summary>
    internal static bool IsAcceptable(Uri url) =>
        url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback)) && url.Host.Length > 0;

    private async Task<Uri> ReadAsync(CancellationToken cancellationToken)
    {
        GetParameterResponse response;
        try
        {
            Reads++;
            response = await _ssm.GetParameterAsync(new GetParameterRequest { Name = _parameterName, WithDecryption = true }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AmazonServiceException ex)
        {
            // The service's messages name the parameter, never its value; the error code is what an operator needs.
            throw new SlackDeliveryException(
                $"could not read the Slack webhook from SSM parameter '{_parameterName}': {ex.ErrorCode ?? ex.GetType().Name} ({(int)ex.StatusCode})",
                isTransient: (int)ex.StatusCode >= 500 || ex.ErrorCode is "ThrottlingException");
        }
        catch (AmazonClientException ex)
        {
            throw new SlackDeliveryException($"could not reach SSM to read parameter '{_parameterName}': {ex.GetType().Name}", isTransient: true);
        }

        var value = response.Parameter?.Value;
        if (string.IsNullOrWhiteSpace(value) || !Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url) || !IsAcceptable(url))
        {
            throw new SlackDeliveryException($"SSM parameter '{_parameterName}' does not hold an https URL (its value is not shown).");
        }

        return url;
    }
}
