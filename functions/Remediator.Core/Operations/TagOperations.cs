using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Remediator.Core.Audit;
using Remediator.Core.Execution;

namespace Remediator.Core.Operations;

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

/// <summary>iam:TagRole / iam:UntagRole.</summary>
public sealed record RoleTags(string RoleName, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => RoleName;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record RoleUntag(string RoleName, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => RoleName;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>iam:TagUser / iam:UntagUser.</summary>
public sealed record UserTags(string UserName, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => UserName;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record UserUntag(string UserName, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => UserName;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>iam:TagPolicy / iam:UntagPolicy.</summary>
public sealed record PolicyTags(string PolicyArn, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => PolicyArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record PolicyUntag(string PolicyArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => PolicyArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>events:TagResource / events:UntagResource.</summary>
public sealed record EventBusTags(string ResourceARN, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceARN;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record EventBusUntag(string ResourceARN, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceARN;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>dynamodb:TagResource / dynamodb:UntagResource.</summary>
public sealed record TableTags(string ResourceArn, IReadOnlyList<TagEntry> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => TagLists.Map(Tags ?? []);
}

public sealed record TableUntag(string ResourceArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>lambda:TagResource / lambda:UntagResource: tags as a map.</summary>
public sealed record FunctionTags(string Resource, IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => Resource;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record FunctionUntag(string Resource, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => Resource;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>apigateway:TagResource of a REST API (PUT /tags/{arn}): lower-case members, tags as a map.</summary>
public sealed record RestApiTags(
    [property: JsonPropertyName("resourceArn")] string ResourceArn,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record RestApiUntag(
    [property: JsonPropertyName("resourceArn")] string ResourceArn,
    [property: JsonPropertyName("tagKeys")] IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
}

/// <summary>apigateway:TagResource of an HTTP/WebSocket API (POST /v2/tags/{arn}): tags as a map.</summary>
public sealed record HttpApiTags(string ResourceArn, IReadOnlyDictionary<string, string> Tags) : ITagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyDictionary<string, string> TagMap => Tags ?? TagLists.None;
}

public sealed record HttpApiUntag(string ResourceArn, IReadOnlyList<string> TagKeys) : IUntagParameters
{
    [JsonIgnore] public string Target => ResourceArn;

    [JsonIgnore] public IReadOnlyList<string> Keys => TagKeys ?? [];
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

/// <summary>How one service's tag and untag calls are named, shaped and permitted.</summary>
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
    Func<System.Text.Json.Nodes.JsonObject, bool>? Recognises = null)
    where TTag : class, ITagParameters
    where TUntag : class, IUntagParameters;

/// <summary>The tag and untag entries of one service.</summary>
public sealed class TagOperations<TTag, TUntag>
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
}

/// <summary>
/// Tag a resource. Inverse from the tags before: keys that did not exist are removed, keys whose value was
/// overwritten get their old value back.
/// </summary>
public sealed class TagOperation<TTag, TUntag> : RemediationOperation<TTag>
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

    public override bool Recognises(System.Text.Json.Nodes.JsonObject parameters) => _family.Family.Recognises?.Invoke(parameters) ?? true;

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
}

/// <summary>Remove tags (only undo plans it). Inverse: the removed keys' values from the tags before.</summary>
public sealed class UntagOperation<TTag, TUntag> : RemediationOperation<TUntag>
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

    public override bool Recognises(System.Text.Json.Nodes.JsonObject parameters) => _family.Family.Recognises?.Invoke(parameters) ?? true;

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
}
