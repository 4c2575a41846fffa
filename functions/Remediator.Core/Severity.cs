namespace Remediator.Core;

/// <summary>How bad a finding is. Ordered, so that a condition can lower it by one step.</summary>
public enum Severity
{
    Info = 0,
    Low = 1,
    Medium = 2,
    High = 3,
    Critical = 4,
}

public static class SeverityNames
{
    public static IReadOnlyList<string> All { get; } = ["info", "low", "medium", "high", "critical"];

    public static string ToName(this Severity severity) => All[(int)severity];

    public static bool TryParse(string? text, out Severity severity)
    {
        var index = text is null ? -1 : All.ToList().IndexOf(text);
        severity = index < 0 ? Severity.Info : (Severity)index;
        return index >= 0;
    }

    /// <summary>One step lower, never below <see cref="Severity.Low"/>: a condition narrows a grant, it does not make it harmless.</summary>
    public static Severity Lowered(this Severity severity) => severity <= Severity.Low ? severity : severity - 1;
}
