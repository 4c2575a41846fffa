using Remediator.Core.Ports;

namespace Remediator.Detectors.Iam;

/// <summary>A principal's other policies, read from current state, and what that cost or could not be read.</summary>
internal sealed record PrincipalPolicies(IReadOnlyList<PolicySource> Others, IReadOnlyList<string> Notes, int AwsCalls);

/// <summary>
/// Reads the other inline and attached policies of a role, user or group (and a user's groups' policies) through
/// <see cref="IIamStatePort"/>, so that escalation is judged on the principal's whole permission set. AWS calls:
/// 1 to list (inline names, attached ARNs and, for a user, groups, as the adapter batches them: see its count), then 1 per
/// inline policy and 2 per attached managed policy (GetPolicy + GetPolicyVersion), and the same for each of a user's groups.
/// </summary>
internal static class PrincipalPolicyReader
{
    /// <summary>At most this many documents are read for one judgement: a bound on latency and calls for odd principals.</summary>
    private const int MaxDocuments = 40;

    public static async ValueTask<PrincipalPolicies> ReadOthersAsync(
        IIamStatePort port, IamPrincipalKind kind, string name, string? changedInline, string? changedAttached, CancellationToken cancellationToken)
    {
        var others = new List<PolicySource>();
        var notes = new List<string>();
        var calls = 0;
        var unread = new List<string>();
        await ReadAsync(kind, name, isGroupOfUser: false).ConfigureAwait(false);
        if (notes.Count == 0 && unread.Count == 0)
        {
            notes.Add(others.Count == 0
                ? $"per principal: {Noun(kind)} '{name}' has no other policies ({calls} IAM read(s))"
                : $"per principal: judged with {others.Count} other document(s) of {Noun(kind)} '{name}' ({calls} IAM read(s))");
        }
        else if (unread.Count > 0)
        {
            notes.Add($"per principal: could not read {string.Join("; ", unread)}; judged what could be read ({others.Count} other document(s), {calls} IAM read(s))");
        }

        if (kind == IamPrincipalKind.Group)
        {
            notes.Add($"per principal: every member of group '{name}' inherits these permissions");
        }

        return new PrincipalPolicies(others, notes, calls);

        async ValueTask ReadAsync(IamPrincipalKind k, string n, bool isGroupOfUser)
        {
            calls++;
            var listing = await port.GetPrincipalPoliciesAsync(k, n, cancellationToken).ConfigureAwait(false);
            if (listing is null)
            {
                unread.Add($"the other policies of {Noun(k)} '{n}'");
                return;
            }

            foreach (var policyName in listing.InlinePolicyNames)
            {
                if ((!isGroupOfUser && k == kind && policyName == changedInline) || others.Count >= MaxDocuments)
                {
                    continue;
                }

                calls++;
                var text = await port.GetInlinePolicyAsync(k, n, policyName, cancellationToken).ConfigureAwait(false);
                if (text is null)
                {
                    unread.Add($"inline policy '{policyName}' of {Noun(k)} '{n}'");
                    continue;
                }

                others.Add(new PolicySource($"inline policy '{policyName}' of {Noun(k)} '{n}'", PolicyDocument.FromText(text)));
            }

            foreach (var arn in listing.AttachedPolicyArns)
            {
                if ((!isGroupOfUser && arn == changedAttached) || others.Count >= MaxDocuments)
                {
                    continue;
                }

                calls += 2;
                var version = await port.GetPolicyDefaultVersionAsync(arn, cancellationToken).ConfigureAwait(false);
                if (version is null)
                {
                    unread.Add($"managed policy {arn}");
                    continue;
                }

                others.Add(new PolicySource($"managed policy {arn} ({version.VersionId}) attached to {Noun(k)} '{n}'", PolicyDocument.FromText(version.Document)));
            }

            if (k == IamPrincipalKind.User && !isGroupOfUser)
            {
                foreach (var group in listing.Groups)
                {
                    await ReadAsync(IamPrincipalKind.Group, group, isGroupOfUser: true).ConfigureAwait(false);
                }
            }
        }
    }

    private static string Noun(IamPrincipalKind kind) => kind.ToString().ToLowerInvariant();
}
