using System.Text.Json;

namespace Remediator.Core.Rules;

/// <summary>
/// Checks a rule's <c>match</c> event pattern. A seam so that rule loading does not depend on the matcher's
/// internals: the host plugs in the real parser (<c>EventPattern.Parse</c>), tests plug in a fake.
/// </summary>
public interface IPatternValidator
{
    /// <summary>Null when the pattern is valid; otherwise a message that names the path inside the pattern.</summary>
    string? Validate(JsonElement pattern);
}
