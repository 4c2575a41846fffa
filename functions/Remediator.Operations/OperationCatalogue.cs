using System.Text.Json.Nodes;
using Remediator.Core.Operations;

namespace Remediator.Operations;

/// <summary>
/// Every remediation operation the guards plan and undo plans, each one typed entry with its AWS execution. Each
/// operation's file adds its entry to this partial class (<c>= Register(new …)</c>) beside its parameters record and
/// its <see cref="OperationJsonContext"/> attribute, so adding an operation is that one file plus its test: no list to
/// extend, no scanning (NativeAOT), no string switch. Planners build their steps through these entries, the undo
/// planner asks <see cref="Index"/> for inverses, the executor dispatches on the entry, and the template tests check
/// the entries' permissions.
/// </summary>
public static partial class OperationCatalogue
{
    // No initializer: the files' initializers run in the compiler's file order, and the first to register creates it.
    private static List<RemediationOperation>? s_registered;
    private static List<ITagging>? s_taggings;

    /// <summary>Every entry, looked up by name (what Core's undo planner is given).</summary>
    public static OperationIndex Index => Built.Index;

    /// <summary>Every entry, in a stable order.</summary>
    public static IReadOnlyList<RemediationOperation> All => Index.All;

    /// <summary>The entry a step of <paramref name="operation"/> with these parameters belongs to; null when none.</summary>
    public static RemediationOperation? Find(string operation, JsonObject parameters) => Index.Find(operation, parameters);

    /// <summary>Every tag family: what the resources of each type are tagged with.</summary>
    public static IReadOnlyList<ITagging> Taggings => Built.Taggings;

    /// <summary>How resources of a CloudFormation type are tagged; null when the catalogue cannot tag them.</summary>
    public static ITagging? TaggingFor(string resourceType) => Built.TaggingByType.GetValueOrDefault(resourceType);

    /// <summary>Adds an entry; only entries the executor can carry out can be registered.</summary>
    private static T Register<T>(T operation)
        where T : RemediationOperation, IAwsOperation
    {
        (s_registered ??= []).Add(operation);
        return operation;
    }

    /// <summary>Adds the entries of a family (a put and its delete, a tag and its untag).</summary>
    private static T RegisterFamily<T>(T family)
        where T : IOperationFamily
    {
        foreach (var member in family.Members)
        {
            (s_registered ??= []).Add(member.Entry);
        }

        if (family is ITagging tagging)
        {
            (s_taggings ??= []).Add(tagging);
        }

        return family;
    }

    /// <summary>
    /// Built on first use, after every file's initializer has run: reading <see cref="s_registered"/> runs the
    /// catalogue's static initialization first.
    /// </summary>
    private static class Built
    {
        public static readonly OperationIndex Index = new(s_registered ?? []);

        public static readonly IReadOnlyList<ITagging> Taggings = s_taggings ?? [];

        /// <summary>Two families claiming one type would make tagging depend on file order: that throws here.</summary>
        public static readonly Dictionary<string, ITagging> TaggingByType =
            Taggings.SelectMany(t => t.ResourceTypes.Select(type => (type, t))).ToDictionary(p => p.type, p => p.t, StringComparer.Ordinal);
    }
}
