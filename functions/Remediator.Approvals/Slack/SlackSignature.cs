using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Remediator.Approvals.Slack;

/// <summary>What the signature check found. Every value but <see cref="Valid"/> is answered 401 with the same body.</summary>
public enum SignatureCheck
{
    Valid,
    MissingHeaders,
    StaleTimestamp,
    BadSignature,
}

/// <summary>
/// Slack's request signing: <c>X-Slack-Signature</c> = <c>v0=</c> + hex HMAC-SHA256 of <c>v0:{timestamp}:{raw body}</c>
/// keyed by the app's signing secret. The comparison is constant-time, the timestamp must be within
/// <see cref="MaxClockSkew"/> of now (either way: a replayed request is refused, and so is one from the future).
/// </summary>
public static class SlackSignature
{
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
    private const string Version = "v0";

    public static SignatureCheck Verify(ReadOnlySpan<byte> secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature) || secret.IsEmpty)
        {
            return SignatureCheck.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)MaxClockSkew.TotalSeconds)
        {
            return SignatureCheck.StaleTimestamp;
        }

        var expected = Sign(secret, timestamp, body);
        var given = Encoding.ASCII.GetBytes(signature);
        // FixedTimeEquals returns at once on a length mismatch, which reveals only the (public) length of a signature.
        return CryptographicOperations.FixedTimeEquals(expected, given) ? SignatureCheck.Valid : SignatureCheck.BadSignature;
    }

    /// <summary>The <c>v0=…</c> signature of a request, as ASCII bytes (tests sign their requests with it).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes($"{Version}:{timestamp}:");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(secret, message, mac);
        return Encoding.ASCII.GetBytes(Version + "=" + Convert.ToHexStringLower(mac));
    }
}
