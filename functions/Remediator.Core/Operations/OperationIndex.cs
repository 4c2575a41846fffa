using System.Text.Json.Nodes;

namespace Remediator.Core.Operations;

/// <summary>
/// The remediation operations one program knows, looked up by the name a step carries. Core sees operations only
/// through this (the undo planner asks it for an entry's inverse); the entries themselves, with their AWS execution,
/// live one file each in Remediator.Operations, which builds the index from what its files register.
/// </summary>
public sealed class OperationIndex
{
    private readonly Dictionary<string, RemediationOperation[]> _byName;

    public OperationIndex(IEnumerable<RemediationOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        // Ordered by name and parameter type: the files register in whatever order the compiler meets them.
        All = operations.OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.ParametersType.FullName, StringComparer.Ordinal).ToList();
        _byName = All.GroupBy(o => o.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Every entry, in a stable order (name, then parameter type).</summary>
    public IReadOnlyList<RemediationOperation> All { get; }

    /// <summary>The entry a step of <paramref name="operation"/> with these parameters belongs to; null when none.</summary>
    public RemediationOperation? Find(string operation, JsonObject parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!_byName.TryGetValue(operation, out var candidates))
        {
            return null;
        }

        return candidates.Length == 1 ? candidates[0] : Array.Find(candidates, c => c.Recognises(parameters));
    }
}
