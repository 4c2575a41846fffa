namespace Remediator.Core.Patterns;

/// <summary>One line of <see cref="EventPattern.Explain(System.Text.Json.JsonElement)"/>: a pattern field, what it wanted, what the event had.</summary>
/// <param name="Path">Dotted field path; prefixed with <c>$or[i] </c> for the i-th alternative of an <c>$or</c>.</param>
/// <param name="Matched">Whether this field alone is satisfied.</param>
/// <param name="Expected">The pattern's alternatives for this field, in pattern syntax.</param>
/// <param name="Actual">The event's values at this path (JSON), or <c>(absent)</c>.</param>
public sealed record FieldExplanation(string Path, bool Matched, string Expected, string Actual);
