using System.Text.Json;
using Remediator.Core.Events;

namespace Remediator.Detectors.Iam;

/// <summary>
/// The policy document an IAM event carries, read once per event rather than once per rule: several rules are built on
/// <c>iam-broad-policy</c> (admin, broad, escalation, trust), and each would parse, decode and (for a sanitised document
/// that is not JSON) throw for the same text. One slot, keyed on the event object and the member: the engine judges an
/// event's rules one after another, and a <see cref="CloudTrailEvent"/> never changes, so its document cannot either.
/// A <see cref="PolicyDocument"/> is immutable (its lazy parts are the same whoever computes them), so rules may share it.
/// </summary>
internal static class EventPolicyDocuments
{
    private static Entry? _last;

    /// <summary>The document in the request parameter <paramref name="member"/> (null when absent or null).</summary>
    public static PolicyDocument? FromRequest(CloudTrailEvent e, string member) =>
        Read(e, member, JsonText.Member(e.RequestParameters, member));

    /// <summary>The document in <paramref name="value"/>, which must be what <paramref name="key"/> always names in
    /// <paramref name="e"/>: the key, not the value, tells a second call for this event that it may reuse the first.</summary>
    public static PolicyDocument? Read(CloudTrailEvent e, string key, JsonElement value)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Event, e) && string.Equals(last.Key, key, StringComparison.Ordinal))
        {
            return last.Document;
        }

        var document = PolicyDocument.FromMember(value);
        Volatile.Write(ref _last, new Entry(e, key, document));
        return document;
    }

    private sealed record Entry(CloudTrailEvent Event, string Key, PolicyDocument? Document);
}
