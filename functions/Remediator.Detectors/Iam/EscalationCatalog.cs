namespace Remediator.Detectors.Iam;

/// <summary>One action of an escalation path.</summary>
/// <param name="NeedsBroadReach">The action picks an existing target (a user, a role, a function): it must reach every
/// resource of its type, or every one in an account. Otherwise any resource will do (the action creates it).</param>
/// <param name="PassedTo">For <c>iam:PassRole</c>: the service the role is passed to.</param>
internal sealed record EscalationStep(string Service, string Action, bool NeedsBroadReach, string? PassedTo)
{
    public string FullName => Service + ":" + Action;

    public ResourceReach RequiredReach => NeedsBroadReach ? ResourceReach.Account : ResourceReach.Specific;
}

/// <summary>A published privilege-escalation path: the actions that together let their holder gain more privilege.</summary>
internal sealed record EscalationPath(
    string Id, IReadOnlyList<EscalationStep> Steps, string Prerequisite, string DangerousProperty, IReadOnlyList<string> Sources, string Reference)
{
    /// <summary>The path writes IAM itself (policies, keys, trust) or assumes roles, rather than borrowing a role through compute.</summary>
    public bool IsIamWrite => Steps.Any(s => s.Service is "iam" or "sts" && s.PassedTo is null);

    public string ActionsText => string.Join(" + ", Steps.Select(s => s.PassedTo is null ? s.FullName : $"{s.FullName} (to {s.PassedTo})"));
}

/// <summary>
/// The escalation catalogue, loaded from the embedded data file <c>Iam/Data/escalation-paths.tsv</c> (the union of
/// pathfinding.cloud, cloudsplaining's PRIVILEGE_ESCALATION_METHODS and pacu's iam__privesc_scan, with its sources).
/// </summary>
internal static class EscalationCatalog
{
    private static readonly Lazy<IReadOnlyList<EscalationPath>> Loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IReadOnlyList<EscalationPath> Paths => Loaded.Value;

    /// <summary>The most steps any path has (sizes the judge's scratch row).</summary>
    public static int MaxSteps => MaxStepsLoaded.Value;

    private static readonly Lazy<int> MaxStepsLoaded = new(() => Paths.Count == 0 ? 0 : Paths.Max(p => p.Steps.Count));

    /// <summary>Parses the catalogue text; throws naming the line when a row is malformed (a build-time data error).</summary>
    public static IReadOnlyList<EscalationPath> Parse(TextReader reader)
    {
        var paths = new List<EscalationPath>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length != 6)
            {
                throw new InvalidOperationException($"escalation-paths.tsv line {number}: {columns.Length} columns, expected 6.");
            }

            var steps = columns[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(token => Step(token, number)).ToArray();
            paths.Add(new EscalationPath(columns[0], steps, columns[2], columns[3],
                columns[4].Split(' ', StringSplitOptions.RemoveEmptyEntries), columns[5]));
        }

        return paths;
    }

    private static EscalationStep Step(string token, int line)
    {
        string? passedTo = null;
        var arrow = token.IndexOf('>', StringComparison.Ordinal);
        if (arrow > 0)
        {
            passedTo = token[(arrow + 1)..];
            token = token[..arrow];
        }

        var broad = token.EndsWith('!');
        token = token.TrimEnd('!');
        var colon = token.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new InvalidOperationException($"escalation-paths.tsv line {line}: '{token}' is not service:Action.");
        }

        // PassRole always picks an existing role: it needs the broad reach whether or not the row says so.
        var isPassRole = passedTo is not null;
        return new EscalationStep(token[..colon], token[(colon + 1)..], broad || isPassRole, passedTo);
    }

    private static IReadOnlyList<EscalationPath> Load()
    {
        using var stream = typeof(EscalationCatalog).Assembly.GetManifestResourceStream("iam/escalation-paths.tsv")
            ?? throw new InvalidOperationException("The embedded escalation catalogue is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
