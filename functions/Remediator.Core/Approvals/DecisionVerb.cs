using System.Text.Json.Serialization;

namespace Remediator.Core.Approvals;

/// <summary>What a person (or the expiry) decided about a record.</summary>
public enum DecisionVerb
{
    /// <summary>Carry out the pending record's planned fix.</summary>
    Apply,

    /// <summary>Keep the resource as it is; record why.</summary>
    Deny,

    /// <summary>Tag the resource exempt for some days (through the tagging actions); change nothing else.</summary>
    Exempt,

    /// <summary>Contain-then-ask: keep the containment the guard applied.</summary>
    Keep,

    /// <summary>Contain-then-ask: put the before-state back through the undo path.</summary>
    Restore,

    /// <summary>Reverse an applied fix through the undo path.</summary>
    Undo,

    /// <summary>Nobody decided in time and the rule says notify: the decision lapsed, nothing changed.</summary>
    Lapse,
}

public static class DecisionVerbs
{
    private static readonly string[] Names = ["apply", "deny", "exempt", "keep", "restore", "undo", "lapse"];

    public static string ToName(this DecisionVerb verb) => Names[(int)verb];

    public static bool TryParse(string? text, out DecisionVerb verb)
    {
        var index = Array.IndexOf(Names, text);
        verb = index < 0 ? DecisionVerb.Deny : (DecisionVerb)index;
        return index >= 0;
    }
}

/// <summary>A decision as the ledger keeps it: what, by whom (Slack user id, CLI <c>--as</c>, or <c>expiry</c>), when, why.</summary>
public sealed record DecisionTaken(
    [property: JsonRequired] DecisionVerb Verb,
    [property: JsonRequired] string By,
    [property: JsonRequired] DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason)
{
    /// <summary>The <see cref="By"/> of decisions the expiry took.</summary>
    public const string Expiry = "expiry";

    /// <summary>For <see cref="DecisionVerb.Exempt"/>: how many days.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExemptDays { get; init; }
}
