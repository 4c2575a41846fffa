using System.Text;
using Remediator.Aws.Ssm;

namespace Remediator.Approvals.Slack;

/// <summary>Where the Slack signing secret comes from.</summary>
public interface ISigningSecretSource
{
    ValueTask<byte[]> GetAsync(CancellationToken cancellationToken);
}

/// <summary>The signing secret from an SSM SecureString (see <see cref="SsmSecureString"/>: cached, never shown).</summary>
public sealed class SsmSigningSecretSource(SsmClient ssm, string parameterName, TimeSpan cacheFor, TimeProvider clock) : ISigningSecretSource
{
    private readonly SsmSecureString _parameter = new(ssm, parameterName, "Slack signing secret", value => value.Length >= 16, cacheFor, clock);
    private (string Text, byte[] Bytes)? _last;

    /// <summary>Starts reading the secret at init (see <see cref="SsmSecureString.Prefetch"/>).</summary>
    public void Prefetch() => _parameter.Prefetch();

    public async ValueTask<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        var text = await _parameter.GetAsync(cancellationToken).ConfigureAwait(false);
        if (_last is { } last && ReferenceEquals(last.Text, text))
        {
            return last.Bytes;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        _last = (text, bytes);
        return bytes;
    }
}
