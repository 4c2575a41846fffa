using System.Text.Json;
using Remediator.Core.Patterns;

namespace Remediator.Core.Rules;

/// <summary>Rule validation's view of the matcher: a rule's <c>match</c> is valid exactly when EventBridge would accept it.</summary>
public sealed class EventPatternValidator : IPatternValidator
{
    public string? Validate(JsonElement pattern) =>
        EventPattern.TryParse(pattern, out _, out var error) ? null : error;
}
