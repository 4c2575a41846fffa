using System.Collections.Frozen;
using System.IO.Compression;
using Remediator.Core.Engine;

namespace Remediator.Detectors.Iam;

/// <summary>How far an allowed action reaches, from nothing to every resource of its type in every account.</summary>
internal enum ResourceReach
{
    None = 0,

    /// <summary>Some named resources (or a pattern that leaves part of the type out).</summary>
    Specific = 1,

    /// <summary>Every resource of the action's type in one named account.</summary>
    Account = 2,

    /// <summary>Every resource of the action's type, in every account.</summary>
    Everything = 3,
}

/// <summary>One IAM action as the service authorization reference describes it.</summary>
/// <param name="ResourceFormats">ARN formats of the resource types the action authorizes against, with
/// <see cref="ServiceAuthorizationReference.AccountMarker"/> and <see cref="ServiceAuthorizationReference.VariableMarker"/>
/// where the account and the names go; empty when the action takes only <c>"*"</c>.</param>
internal sealed record ActionDefinition(string Service, string Name, bool IsReadOnly, IReadOnlyList<string> ResourceFormats)
{
    public string FullName => Service + ":" + Name;
}

/// <summary>
/// The IAM service authorization reference (actions, resource types with ARN formats, a derived access level), loaded
/// once from the generated, compressed data file embedded in this assembly (source and date in its header; refresh with
/// tests/tools/iam-data/generate_service_authorization.py). Hand-parsed: no reflection, NativeAOT-safe.
/// </summary>
internal static class ServiceAuthorizationReference
{
    public const string AccountMarker = "{A}";
    public const string VariableMarker = "{V}";

    private static readonly Lazy<Loaded> Data = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The data file's header: what it was generated from and when.</summary>
    public static IReadOnlyList<string> Provenance => Data.Value.Header;

    public static IReadOnlyCollection<string> Services => Data.Value.Services.Keys;

    public static bool IsKnownService(string service) => Data.Value.Services.ContainsKey(service);

    /// <summary>The action (case-insensitive), or null when the reference does not know it.</summary>
    public static ActionDefinition? Find(string service, string action) =>
        Data.Value.Services.TryGetValue(service, out var actions) && actions.TryGetValue(action, out var definition) ? definition : null;

    /// <summary>Every action of the service; empty for an unknown service.</summary>
    public static IEnumerable<ActionDefinition> ActionsOf(string service) =>
        Data.Value.Services.TryGetValue(service, out var actions) ? actions.Values : [];

    /// <summary>True when every action of a known service only reads (<c>pricing:*</c>): its wildcard reaches no write.</summary>
    public static bool IsReadOnlyService(string service) =>
        Data.Value.Services.TryGetValue(service, out var actions) && actions.Count > 0 && actions.Values.All(a => a.IsReadOnly);

    /// <summary>
    /// How far a Resource pattern reaches for the action: a pattern that covers every ARN of one of the action's resource
    /// types is <see cref="ResourceReach.Everything"/> (or <see cref="ResourceReach.Account"/> when it names one
    /// account); a region named in the pattern does not narrow it (every region is a deploy away). An action that takes
    /// only <c>"*"</c>, or one the reference does not know, is reached only by a pattern that matches every ARN.
    /// </summary>
    public static ResourceReach ReachOf(string pattern, string service, ActionDefinition? action)
    {
        if (IsUniversal(pattern))
        {
            return ResourceReach.Everything;
        }

        var fields = pattern.Split(':', 6);
        if (fields.Length < 6 || fields[0] != "arn")
        {
            return ResourceReach.None;
        }

        if (action is null || action.ResourceFormats.Count == 0)
        {
            // Unknown action: a pattern of its own service may name some of its resources. An action that takes only
            // "*" is reached by nothing narrower.
            return action is null && WildcardPattern.IsMatch(fields[2], service, ignoreCase: true) ? ResourceReach.Specific : ResourceReach.None;
        }

        // Resource types may belong to another service (sts:AssumeRole authorizes against iam's role): compare with
        // each format's own service. An action with several types reaches as far as its best-covered type: this
        // over-reports an action whose other types the pattern leaves out (the safe direction for a guard).
        var best = ResourceReach.None;
        foreach (var format in action.ResourceFormats)
        {
            var reach = CoverageOf(fields, pattern, format);
            if (reach > best)
            {
                best = reach;
            }
        }

        return best;
    }

    /// <summary><c>*</c>, <c>arn:*</c>, <c>arn:*:*:*:*:*</c>: a pattern every ARN matches.</summary>
    public static bool IsUniversal(string pattern) =>
        WildcardPattern.IsAllStars(pattern) || WildcardPattern.IsMatch(pattern, UniversalProbe) && WildcardPattern.IsMatch(pattern, UniversalProbeEmptyFields);

    // A run only a '*' (or exactly that many '?') can match: stands for "any value" in a format.
    private const string Any = "\u0001\u0001\u0001";
    private static readonly string UniversalProbe = $"arn:{Any}:{Any}:{Any}:{Any}:{Any}/{Any}";
    private static readonly string UniversalProbeEmptyFields = $"arn:{Any}:{Any}:::{Any}";

    private static ResourceReach CoverageOf(string[] patternFields, string pattern, string format)
    {
        var formatFields = format.Split(':', 6);
        if (formatFields.Length < 6 || !WildcardPattern.IsMatch(patternFields[2], formatFields[2], ignoreCase: true))
        {
            // Not an ARN of this type's service: it reaches none of these resources.
            return ResourceReach.None;
        }

        // Partition and region: take the pattern's own literal value (neither narrows "every resource of the type");
        // account: a literal account in the pattern makes it "every resource in that account".
        var partition = WildcardPattern.HasWildcard(patternFields[1]) ? Any : patternFields[1];
        var region = formatFields[3] == VariableMarker && !WildcardPattern.HasWildcard(patternFields[3]) ? patternFields[3] : formatFields[3];
        var literalAccount = formatFields[4] == AccountMarker && !WildcardPattern.HasWildcard(patternFields[4]) && patternFields[4].Length > 0;
        var account = formatFields[4] == AccountMarker ? (literalAccount ? patternFields[4] : Any) : formatFields[4];
        var probe = string.Join(':', "arn", partition, formatFields[2], region, account, formatFields[5])
            .Replace(VariableMarker, Any, StringComparison.Ordinal)
            .Replace(AccountMarker, Any, StringComparison.Ordinal);
        if (!WildcardPattern.IsMatch(pattern, probe))
        {
            // Of this service but not every resource of the type: a named resource, a path, a prefix.
            return ResourceReach.Specific;
        }

        return literalAccount ? ResourceReach.Account : ResourceReach.Everything;
    }

    private sealed record Loaded(FrozenDictionary<string, FrozenDictionary<string, ActionDefinition>> Services, IReadOnlyList<string> Header);

    private static Loaded Load()
    {
        using var stream = typeof(ServiceAuthorizationReference).Assembly.GetManifestResourceStream("iam/service-authorization.txt.gz")
            ?? throw new InvalidOperationException("The embedded IAM service authorization reference is missing.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var header = new List<string>();
        var services = new Dictionary<string, FrozenDictionary<string, ActionDefinition>>(StringComparer.OrdinalIgnoreCase);
        string? service = null;
        var formatsByType = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var allFormatsByType = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var pending = new List<(string Name, bool ReadOnly, string? Types)>();

        void Flush()
        {
            if (service is null)
            {
                return;
            }

            var actions = new Dictionary<string, ActionDefinition>(pending.Count, StringComparer.OrdinalIgnoreCase);
            foreach (var (name, readOnly, types) in pending)
            {
                var formats = new List<string>();
                foreach (var type in types?.Split(',') ?? [])
                {
                    // A type may be another service's (ssm:SendCommand authorizes against ec2's instance).
                    if (formatsByType.TryGetValue(type, out var own) || allFormatsByType.TryGetValue(type, out own))
                    {
                        formats.AddRange(own);
                    }
                }

                actions[name] = new ActionDefinition(service, name, readOnly, formats);
            }

            services[service] = actions.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
            pending.Clear();
            formatsByType.Clear();
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '#')
            {
                header.Add(line.TrimStart('#', ' '));
                continue;
            }

            var parts = line.Split('\t');
            switch (parts[0])
            {
                case "s":
                    Flush();
                    service = parts[1];
                    break;
                case "r":
                    var formats = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    formatsByType[parts[1]] = formats;
                    allFormatsByType.TryAdd(parts[1], formats);
                    break;
                case "a":
                    pending.Add((parts[1], parts[2] == "r", parts.Length > 3 ? parts[3] : null));
                    break;
                default:
                    throw new InvalidOperationException($"The IAM service authorization reference has an unknown line: '{line}'.");
            }
        }

        Flush();
        return new Loaded(services.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), header);
    }
}
