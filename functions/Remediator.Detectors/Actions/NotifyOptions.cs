namespace Remediator.Detectors.Actions;

/// <summary>Options of the <c>notify</c> action.</summary>
/// <param name="Channel"><c>slack</c> or <c>sns</c>.</param>
/// <param name="MinimumSeverity">Findings below it are not sent.</param>
public sealed record NotifyOptions(string Channel, Severity MinimumSeverity)
{
    public const string Slack = "slack";
    public const string Sns = "sns";

    public static OptionSpec ChannelSpec { get; } = new("channel", OptionKind.String, "Where to send: slack or sns.")
    {
        Default = Slack,
        AllowedValues = [Slack, Sns],
    };

    public static OptionSpec MinimumSeveritySpec { get; } = new("minimumSeverity", OptionKind.String,
        "Least severity sent; findings below it are recorded but not sent.")
    {
        Default = "low",
        AllowedValues = SeverityNames.All,
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [ChannelSpec, MinimumSeveritySpec];

    public static NotifyOptions Bind(OptionValues values)
    {
        var channel = OptionReading.String(values, ChannelSpec)!;
        var severityName = OptionReading.String(values, MinimumSeveritySpec)!;
        return SeverityNames.TryParse(severityName, out var severity)
            ? new NotifyOptions(channel, severity)
            : throw new ArgumentException($"Option 'minimumSeverity' must be one of {string.Join(", ", SeverityNames.All)}; got '{severityName}'.");
    }

    public bool ShouldSend(Severity severity) => severity >= MinimumSeverity;
}
