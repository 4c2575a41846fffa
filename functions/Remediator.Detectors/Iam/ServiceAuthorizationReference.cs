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
/// <param name="Formats">The same formats, parsed once at load for the per-decision reach check.</param>
internal sealed record ActionDefinition(
    string Service, string Name, bool IsReadOnly, IReadOnlyList<string> ResourceFormats, IReadOnlyList<ArnFormat> Formats)
{
    private string? _fullName;

    /// <summary><c>service:action</c>, built once (the decision matches every statement's patterns against it).</summary>
    public string FullName => _fullName ??= Service + ":" + Name;
}

/// <summary>
/// One resource type's ARN format, split at load into what the reach check needs, so that judging a pattern against it
/// allocates nothing: the probe ARN "every resource of this type" is written into a stack buffer per check.
/// </summary>
internal sealed class ArnFormat
{
    private ArnFormat(string service, string region, bool regionIsVariable, string account, bool accountIsVariable, string resource)
    {
        Service = service;
        Region = region;
        RegionIsVariable = regionIsVariable;
        Account = account;
        AccountIsVariable = accountIsVariable;
        Resource = resource;
    }

    /// <summary>The format's service field (may be another service's: ssm:SendCommand authorizes against ec2's instance).</summary>
    public string Service { get; }

    /// <summary>The region field with its markers already turned into "any value" (empty for global types).</summary>
    public string Region { get; }

    public bool RegionIsVariable { get; }

    /// <summary>The account field with its markers already turned into "any value" (empty, or <c>aws</c> for AWS-owned).</summary>
    public string Account { get; }

    public bool AccountIsVariable { get; }

    /// <summary>The resource part (after the fifth colon) with its variables turned into "any value".</summary>
    public string Resource { get; }

    /// <summary>Parses <c>arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE</c> with the reference's markers; null when malformed.</summary>
    public static ArnFormat? Parse(string format)
    {
        var fields = format.Split(':', 6);
        if (fields.Length < 6)
        {
            return null;
        }

        return new ArnFormat(
            fields[2],
            AnyValue(fields[3]),
            fields[3] == ServiceAuthorizationReference.VariableMarker,
            AnyValue(fields[4]),
            fields[4] == ServiceAuthorizationReference.AccountMarker,
            AnyValue(fields[5]));
    }

    private static string AnyValue(string field) =>
        field.Replace(ServiceAuthorizationReference.VariableMarker, ServiceAuthorizationReference.AnyValue, StringComparison.Ordinal)
            .Replace(ServiceAuthorizationReference.AccountMarker, ServiceAuthorizationReference.AnyValue, StringComparison.Ordinal);
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

        // Split without allocating: this runs for every (resource pattern, action) pair of a decision.
        Span<Range> fields = stackalloc Range[6];
        var text = pattern.AsSpan();
        if (text.Split(fields, ':') < 6 || !text[fields[0]].SequenceEqual("arn"))
        {
            return ResourceReach.None;
        }

        if (action is null || action.Formats.Count == 0)
        {
            // Unknown action: a pattern of its own service may name some of its resources. An action that takes only
            // "*" is reached by nothing narrower.
            return action is null && WildcardPattern.IsMatch(text[fields[2]], service, ignoreCase: true) ? ResourceReach.Specific : ResourceReach.None;
        }

        // Resource types may belong to another service (sts:AssumeRole authorizes against iam's role): compare with
        // each format's own service. An action with several types reaches as far as its best-covered type: this
        // over-reports an action whose other types the pattern leaves out (the safe direction for a guard).
        var best = ResourceReach.None;
        for (var iFormat = 0; iFormat < action.Formats.Count; iFormat++)
        {
            var format = action.Formats[iFormat];
            var reach = CoverageOf(text, fields, format);
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

    /// <summary>A run only a '*' (or exactly that many '?') can match: stands for "any value" in a format.</summary>
    public const string AnyValue = "\u0001\u0001\u0001";

    private const int StackProbeLength = 512;
    private static readonly string UniversalProbe = $"arn:{AnyValue}:{AnyValue}:{AnyValue}:{AnyValue}:{AnyValue}/{AnyValue}";
    private static readonly string UniversalProbeEmptyFields = $"arn:{AnyValue}:{AnyValue}:::{AnyValue}";

    private static ResourceReach CoverageOf(ReadOnlySpan<char> pattern, ReadOnlySpan<Range> fields, ArnFormat format)
    {
        if (!WildcardPattern.IsMatch(pattern[fields[2]], format.Service, ignoreCase: true))
        {
            // Not an ARN of this type's service: it reaches none of these resources.
            return ResourceReach.None;
        }

        // Partition and region: take the pattern's own literal value (neither narrows "every resource of the type");
        // account: a literal account in the pattern makes it "every resource in that account".
        var patternPartition = pattern[fields[1]];
        var patternRegion = pattern[fields[3]];
        var patternAccount = pattern[fields[4]];
        var partition = WildcardPattern.HasWildcard(patternPartition) ? AnyValue.AsSpan() : patternPartition;
        var region = format.RegionIsVariable && !WildcardPattern.HasWildcard(patternRegion) ? patternRegion : format.Region.AsSpan();
        var literalAccount = format.AccountIsVariable && !WildcardPattern.HasWildcard(patternAccount) && !patternAccount.IsEmpty;
        var account = literalAccount ? patternAccount : format.Account.AsSpan();

        // The probe "every resource of the type" (arn:partition:service:region:account:resource), on the stack.
        var length = 4 + partition.Length + 1 + format.Service.Length + 1 + region.Length + 1 + account.Length + 1 + format.Resource.Length;
        var probe = length <= StackProbeLength ? stackalloc char[StackProbeLength] : new char[length];
        var written = 0;
        Append(probe, ref written, "arn:");
        Append(probe, ref written, partition);
        Append(probe, ref written, ":");
        Append(probe, ref written, format.Service);
        Append(probe, ref written, ":");
        Append(probe, ref written, region);
        Append(probe, ref written, ":");
        Append(probe, ref written, account);
        Append(probe, ref written, ":");
        Append(probe, ref written, format.Resource);
        if (!WildcardPattern.IsMatch(pattern, probe[..written]))
        {
            // Of this service but not every resource of the type: a named resource, a path, a prefix.
            return ResourceReach.Specific;
        }

        return literalAccount ? ResourceReach.Account : ResourceReach.Everything;
    }

    private static void Append(Span<char> buffer, ref int written, ReadOnlySpan<char> text)
    {
        text.CopyTo(buffer[written..]);
        written += text.Length;
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
        var parsedFormats = new Dictionary<string, ArnFormat?>(StringComparer.Ordinal);
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
                var parsed = new List<ArnFormat>();
                foreach (var type in types?.Split(',') ?? [])
                {
                    // A type may be another service's (ssm:SendCommand authorizes against ec2's instance).
                    if (formatsByType.TryGetValue(type, out var own) || allFormatsByType.TryGetValue(type, out own))
                    {
                        formats.AddRange(own);
                        foreach (var format in own)
                        {
                            // Formats are shared by many actions: parse each once.
                            if (!parsedFormats.TryGetValue(format, out var arnFormat))
                            {
                                arnFormat = ArnFormat.Parse(format);
                                parsedFormats[format] = arnFormat;
                            }

                            if (arnFormat is not null)
                            {
                                parsed.Add(arnFormat);
                            }
                        }
                    }
                }

                actions[name] = new ActionDefinition(service, name, readOnly, formats, parsed);
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
