using System.IO.Compression;
using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam.Corpus;

/// <summary>
/// The corpora the IAM judgement is measured on: the AWS managed policies moto ships (exported by
/// tests/tools/iam-data/export_moto_managed_policies.py) and the escalation catalogue turned into minimal policies.
/// </summary>
internal static class IamCorpus
{
    public static string PathOf(string file) => Path.Combine(AppContext.BaseDirectory, "iam-corpus", file);

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Managed = new(() =>
    {
        using var stream = File.OpenRead(PathOf("aws-managed-policies.tsv.gz"));
        using var reader = new StreamReader(new GZipStream(stream, CompressionMode.Decompress));
        var policies = new SortedDictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                var tab = line.IndexOf('\t', StringComparison.Ordinal);
                policies[line[..tab]] = line[(tab + 1)..];
            }
        }

        return policies;
    });

    /// <summary>AWS managed policy name → document (JSON).</summary>
    public static IReadOnlyDictionary<string, string> ManagedPolicies => Managed.Value;

    /// <summary>
    /// A verdict list as one comparable line: each check once, with "-" when lowered, ":severity" when capped and "?" when
    /// not confident (reported, never reverted); "clean" when nothing is found.
    /// </summary>
    public static string Summary(IEnumerable<PolicyVerdict> verdicts)
    {
        var tokens = verdicts
            .Select(v => v.Check + (v.Lowered ? "-" : "") + (v.SeverityCap is { } cap ? ":" + cap.ToString().ToLowerInvariant() : "") + (v.Confident ? "" : "?"))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        return tokens.Count == 0 ? "clean" : string.Join(' ', tokens);
    }

    public static List<PolicyVerdict> Judge(string document)
    {
        var verdicts = new List<PolicyVerdict>();
        PermissionsPolicyJudge.Judge(PolicyDocument.FromText(document), IamBroadPolicyOptions.Default, verdicts);
        return verdicts;
    }

    /// <summary>A resource pattern that covers every resource of the action's first resource type, written as an ARN
    /// pattern (not "*"): in <paramref name="account"/> when given, else in every account.</summary>
    public static string ArnPatternFor(string service, string action, string? account)
    {
        var definition = ServiceAuthorizationReference.Find(service, action);
        if (definition is null || definition.ResourceFormats.Count == 0)
        {
            return "*";
        }

        return definition.ResourceFormats[0]
            .Replace(ServiceAuthorizationReference.AccountMarker, account ?? "*", StringComparison.Ordinal)
            .Replace(ServiceAuthorizationReference.VariableMarker, "*", StringComparison.Ordinal);
    }
}
