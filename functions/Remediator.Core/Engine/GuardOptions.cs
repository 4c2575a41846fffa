namespace Remediator.Core.Engine;

/// <summary>
/// Settings of the guard as a whole (not of one rule). Validated at construction: a guard with a nonsensical
/// circuit breaker must not start.
/// </summary>
public sealed record GuardOptions
{
    public const string DefaultExemptionTag = "remediator:exempt";

    /// <summary>ARN patterns (<c>*</c> allowed) of the guard's own principals: their changes are never judged (no loops).</summary>
    public IReadOnlyList<string> OwnPrincipals { get; init; } = [];

    /// <summary>The guard's own roles by identity, for rules that exempt them (<c>exempt.guardRoles</c>).</summary>
    public GuardRoles GuardRoles { get; init; } = GuardRoles.Default;

    /// <summary>Tag key that exempts a resource from every rule; a rule's <c>exempt.tag</c> adds its own.</summary>
    public string ExemptionTag { get; init; } = DefaultExemptionTag;

    /// <summary>At most this many automatic changes per resource within <see cref="CircuitWindow"/>; then notify only.</summary>
    public int MaxChangesPerResource { get; init; } = 3;

    public TimeSpan CircuitWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>After a change to a resource, further changes within this time are only notified (a pipeline may be mid-deploy).</summary>
    public TimeSpan CoolDown { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The owner's AWS Organizations id (o-...), handed to detectors whose rule does not name one.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>When set, overrides every rule's mode (e.g. dry-run for a first week, enforce in a sandbox account).</summary>
    public Rules.RuleMode? ModeOverride { get; init; }

    /// <summary>When true, no rule acts: every plan is reduced to its notifications (the template's notify-only switch).</summary>
    public bool NotifyOnly { get; init; }

    public GuardOptions Validated()
    {
        if (MaxChangesPerResource < 1)
        {
            throw new ArgumentException($"{nameof(MaxChangesPerResource)} must be at least 1, got {MaxChangesPerResource}.");
        }

        if (CircuitWindow <= TimeSpan.Zero || CoolDown < TimeSpan.Zero)
        {
            throw new ArgumentException($"{nameof(CircuitWindow)} must be positive and {nameof(CoolDown)} not negative.");
        }

        if (string.IsNullOrWhiteSpace(ExemptionTag))
        {
            throw new ArgumentException($"{nameof(ExemptionTag)} must not be empty.");
        }

        if (OrganizationId is not null && !IsOrganizationId(OrganizationId))
        {
            throw new ArgumentException($"{nameof(OrganizationId)} '{OrganizationId}' is not an AWS Organizations id (o- followed by 10 to 32 lower-case letters or digits).");
        }

        foreach (var pattern in OwnPrincipals)
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw new ArgumentException($"{nameof(OwnPrincipals)} must not contain an empty pattern.");
            }
        }

        GuardRoles.Validated();
        return this;
    }

    private static bool IsOrganizationId(string text) =>
        text.StartsWith("o-", StringComparison.Ordinal) && text.Length is >= 12 and <= 34
        && text[2..].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c));
}
