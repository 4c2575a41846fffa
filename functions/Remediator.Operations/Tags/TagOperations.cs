using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;

namespace Remediator.Operations;

/// <summary>A tagging call's parameters: the resource and the tags, whatever the service calls them.</summary>
public interface ITagParameters
{
    string Target { get; }

    IReadOnlyDictionary<string, string> TagMap { get; }
}

/// <summary>An untagging call's parameters: the resource and the keys.</summary>
public interface IUntagParameters
{
    string Target { get; }

    IReadOnlyList<string> Keys { get; }
}

internal static class TagLists
{
    public static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>();

    public static IReadOnlyDictionary<string, string> Map(IReadOnlyList<TagEntry> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            map[tag.Key] = tag.Value;
        }

        return map;
    }

    public static IReadOnlyList<TagEntry> List(IReadOnlyDictionary<string, string> tags) => tags.Select(t => new TagEntry(t.Key, t.Value)).ToList();
}

/// <summary>
/// How a finding's resource is tagged: the planner's <c>tag</c> action and the approval flow's exemption tag ask the
/// catalogue (<see cref="OperationCatalogue.TaggingFor"/>) for the tagging of the finding's resource type.
/// </summary>
public interface ITagging
{
    /// <summary>The CloudFormation types whose resources this tags.</summary>
    IReadOnlyList<string> ResourceTypes { get; }

    /// <summary>An ARN of the type as findings carry it (what <see cref="Plan"/> takes apart; the catalogue test plans with it).</summary>
    string ExampleArn { get; }

    /// <summary>One tag step on the resource; null when the ARN does not name it the way the call needs.</summary>
    PlannedAction? Plan(string resourceArn, IReadOnlyDictionary<string, string> tags, string description);
}

/// <summary>Which resources a family tags and how a finding's ARN names them.</summary>
/// <param name="TargetOf">The call's target (a name, or the ARN) from the ARN; null when the ARN does not name it.</param>
/// <param name="StepResource">The step's resource, what its permission is granted on; the ARN when null.</param>
internal sealed record TagTarget(IReadOnlyList<string> ResourceTypes, string ExampleArn, Func<string, string?> TargetOf, Func<string, string>? StepResource = null);

/// <summary>How tag families name their targets from an ARN.</summary>
internal static class TagTargets
{
    /// <summary>The ARN itself, when it is one.</summary>
    public static string? Arn(string arn) => ResourceArns.IsArn(arn) ? arn : null;

    /// <summary>The name after <c>role/</c>, <c>user/</c> or <c>policy/</c> and any path: the last segment.</summary>
    public static string? IamName(string arn, string kind)
    {
        var resource = ResourceArns.ResourceOf(arn);
        if (resource is null || !resource.StartsWith(kind, StringComparison.Ordinal))
        {
            return null;
        }

        var name = resource[(resource.LastIndexOf('/') + 1)..];
        return name.Length == 0 ? null : name;
    }

    /// <summary>API Gateway's tagging permission is on <c>arn:aws:apigateway:region::/tags/{urlencoded arn}</c>.</summary>
    public static string ApiGatewayTagsPath(string resourceArn)
    {
        var parts = resourceArn.Split(':', 6);
        return parts.Length == 6 ? $"arn:{parts[1]}:apigateway:{parts[3]}::/tags/{Uri.EscapeDataString(resourceArn)}" : resourceArn;
    }
}

/// <summary>A service's three tag calls on one resource, through the clients.</summary>
internal sealed record TagCalls(
    Func<AwsClients, string, CancellationToken, Task<IReadOnlyDictionary<string, string>>> Read,
    Func<AwsClients, string, IReadOnlyDictionary<string, string>, CancellationToken, Task> Tag,
    Func<AwsClients, string, IReadOnlyList<string>, CancellationToken, Task> Untag);

/// <summary>How one service's tag and untag calls are named, shaped, permitted and made.</summary>
/// <param name="Recognises">For entries that share their name with another family's (API Gateway REST and HTTP APIs).</param>
internal sealed record TagFamily<TTag, TUntag>(
    string TagName,
    string UntagName,
    IReadOnlyList<string> TagPermissions,
    IReadOnlyList<string> UntagPermissions,
    IReadOnlyList<string> ReadPermissions,
    JsonTypeInfo<TTag> TagJson,
    JsonTypeInfo<TUntag> UntagJson,
    Func<string, IReadOnlyDictionary<string, string>, TTag> CreateTag,
    Func<string, IReadOnlyList<string>, TUntag> CreateUntag,
    TagCalls Calls,
    TagTarget Target,
    Func<JsonObject, bool>? Recognises = null)
    where TTag : class, ITagParameters
    where TUntag : class, IUntagParameters;

/// <summary>The tag and untag entries of one service.</summary>
public sealed class TagOperations<TTag, TUntag> : IOperationFamily, ITagging
    where TTag : class, ITagParameters
    where TUntag : class, IUntagParameters
{
    internal TagOperations(TagFamily<TTag, TUntag> family)
    {
        Family = family;
        Tag = new TagOperation<TTag, TUntag>(this);
        Untag = new UntagOperation<TTag, TUntag>(this);
    }

    internal TagFamily<TTag, TUntag> Family { get; }

    public TagOperation<TTag, TUntag> Tag { get; }

    public UntagOperation<TTag, TUntag> Untag { get; }

    /// <summary>Parameters of one tag call on <paramref name="target"/>.</summary>
    public TTag TagParameters(string target, IReadOnlyDictionary<string, string> tags) => Family.CreateTag(target, tags);

    IEnumerable<IAwsOperation> IOperationFamily.Members => [Tag, Untag];

    public IReadOnlyList<string> ResourceTypes => Family.Target.ResourceTypes;

    public string ExampleArn => Family.Target.ExampleArn;

    public PlannedAction? Plan(string resourceArn, IReadOnlyDictionary<string, string> tags, string description) =>
        Family.Target.TargetOf(resourceArn) is { } target
            ? Tag.Plan(ActionNames.Tag, Family.Target.StepResource?.Invoke(resourceArn) ?? resourceArn, description, Family.CreateTag(target, tags))
            : null;

    /// <summary>Tag or untag: read the tags, write, read back, check the keys.</summary>
    internal async Task RunAsync(AwsClients clients, StepRun run, string target, Func<IReadOnlyDictionary<string, string>, bool> took, Func<Task> change, CancellationToken ct)
    {
        var before = await Family.Calls.Read(clients, target, ct).ConfigureAwait(false);
        run.Before = State(before);
        await change().ConfigureAwait(false);
        run.Called = true;

        var after = await Family.Calls.Read(clients, target, ct).ConfigureAwait(false);
        run.After = State(after);
        run.Verified = took(after);
    }

    private static string State(IReadOnlyDictionary<string, string> tags) =>
        StepStates.Of(StepStates.Tags, tags.ToDictionary(t => t.Key, t => (string?)t.Value, StringComparer.Ordinal));
}

/// <summary>
/// Tag a resource. Inverse from the tags before: keys that did not exist are removed, keys whose value was
/// overwritten get their old value back.
/// </summary>
public sealed class TagOperation<TTag, TUntag> : ExecutableOperation<TTag>
    where TTag : class, ITagParameters
    where TUntag : class, IUntagParameters
{
    private readonly TagOperations<TTag, TUntag> _family;

    internal TagOperation(TagOperations<TTag, TUntag> family)
        : base(family.Family.TagName, family.Family.TagPermissions, family.Family.ReadPermissions)
    {
        _family = family;
    }

    protected override JsonTypeInfo<TTag> Json => _family.Family.TagJson;

    public override bool Recognises(JsonObject parameters) => _family.Family.Recognises?.Invoke(parameters) ?? true;

    protected override string? Validate(TTag parameters) =>
        Required(("target", parameters.Target)) ?? (parameters.TagMap.Count == 0 ? "no tags given" : null);

    protected override Inversion Invert(AuditAction done, TTag parameters)
    {
        if (!StepStates.TryReadMap(done.Before, StepStates.Tags, out var before))
        {
            return Inversion.Unknown("the tags before the change were not recorded");
        }

        var written = parameters.TagMap;
        var added = written.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var overwritten = written.Where(t => before.TryGetValue(t.Key, out var old) && old != t.Value).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        var steps = new List<AuditAction>();
        if (added.Count > 0)
        {
            steps.Add(_family.Untag.UndoStep(done, $"Remove tag(s) {string.Join(", ", added)} again.", _family.Family.CreateUntag(parameters.Target, added)));
        }

        if (overwritten.Count > 0)
        {
            var old = overwritten.ToDictionary(k => k, k => before[k], StringComparer.Ordinal);
            steps.Add(UndoStep(done, $"Give tag(s) {string.Join(", ", overwritten)} their old value(s) back.", _family.Family.CreateTag(parameters.Target, old)));
        }

        return new Inversion(steps, null);
    }

    private protected override Task ExecuteAsync(AwsClients clients, StepRun run, TTag parameters, CancellationToken cancellationToken) =>
        _family.RunAsync(clients, run, parameters.Target, after => parameters.TagMap.All(t => after.TryGetValue(t.Key, out var value) && value == t.Value),
            () => _family.Family.Calls.Tag(clients, parameters.Target, parameters.TagMap, cancellationToken), cancellationToken);
}

/// <summary>Remove tags (only undo plans it). Inverse: the removed keys' values from the tags before.</summary>
public sealed class UntagOperation<TTag, TUntag> : ExecutableOperation<TUntag>
    where TTag : class, ITagParameters
    where TUntag : class, IUntagParameters
{
    private readonly TagOperations<TTag, TUntag> _family;

    internal UntagOperation(TagOperations<TTag, TUntag> family)
        : base(family.Family.UntagName, family.Family.UntagPermissions, family.Family.ReadPermissions)
    {
        _family = family;
    }

    protected override JsonTypeInfo<TUntag> Json => _family.Family.UntagJson;

    public override bool Recognises(JsonObject parameters) => _family.Family.Recognises?.Invoke(parameters) ?? true;

    protected override string? Validate(TUntag parameters) =>
        Required(("target", parameters.Target)) ?? (parameters.Keys.Count == 0 ? "no tag keys given" : null);

    protected override Inversion Invert(AuditAction done, TUntag parameters)
    {
        if (!StepStates.TryReadMap(done.Before, StepStates.Tags, out var before))
        {
            return Inversion.Unknown("the tags before the change were not recorded");
        }

        var removed = parameters.Keys.Where(before.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToDictionary(k => k, k => before[k], StringComparer.Ordinal);
        return removed.Count == 0
            ? Inversion.NothingToUndo
            : Inversion.Of(_family.Tag.UndoStep(done, $"Put back tag(s) {string.Join(", ", removed.Keys)}.", _family.Family.CreateTag(parameters.Target, removed)));
    }

    private protected override Task ExecuteAsync(AwsClients clients, StepRun run, TUntag parameters, CancellationToken cancellationToken) =>
        _family.RunAsync(clients, run, parameters.Target, after => parameters.Keys.All(k => !after.ContainsKey(k)),
            () => _family.Family.Calls.Untag(clients, parameters.Target, parameters.Keys, cancellationToken), cancellationToken);
}
