namespace Remediator.Detectors.Timeouts;

/// <summary>
/// Options of <see cref="ApiIntegrationTimeoutDetector"/>: <see cref="TimeoutOptions"/> in milliseconds, where the
/// service default is the service maximum (an integration at it is flagged by <c>flagServiceMaximum</c>).
/// </summary>
public static class ApiIntegrationTimeoutOptions
{
    /// <summary>REST (and WebSocket) integrations: 50 to 29,000 ms, default 29,000.</summary>
    public const int RestServiceMaximumMillis = 29_000;

    /// <summary>HTTP API integrations: 50 to 30,000 ms, default 30,000.</summary>
    public const int HttpServiceMaximumMillis = 30_000;

    private const string Unit = "Millis";
    private const int MinimumMillis = 50;

    public static OptionSpec MaximumMillisSpec { get; } = TimeoutOptions.MaximumSpec(Unit,
        "Largest integration timeout allowed, in milliseconds (REST APIs may be raised above 29,000 ms by quota, up to 300,000).",
        10_000L, MinimumMillis, 300_000);

    public static OptionSpec TargetMillisSpec { get; } = TimeoutOptions.TargetSpec(Unit, "milliseconds", 10_000L, MinimumMillis, RestServiceMaximumMillis);

    public static OptionSpec FlagServiceMaximumSpec { get; } = TimeoutOptions.FlagDefaultSpec("flagServiceMaximum",
        "Flag an integration at the service maximum (29,000 ms REST, 30,000 ms HTTP), which is also what it gets without a timeout.");

    public static IReadOnlyList<OptionSpec> Specs { get; } = [MaximumMillisSpec, TargetMillisSpec, FlagServiceMaximumSpec];

    public static TimeoutOptions Bind(OptionValues values) =>
        TimeoutOptions.Bind(values, MaximumMillisSpec, TargetMillisSpec, FlagServiceMaximumSpec);
}
