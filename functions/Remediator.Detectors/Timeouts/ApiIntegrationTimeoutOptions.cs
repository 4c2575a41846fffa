using Remediator.Core.Registry;
using Remediator.Detectors.Actions;

namespace Remediator.Detectors.Timeouts;

/// <summary>Options of <see cref="ApiIntegrationTimeoutDetector"/>.</summary>
/// <param name="MaximumMillis">Largest integration timeout allowed.</param>
/// <param name="TargetMillis">What the revert sets; never above <paramref name="MaximumMillis"/>, and within both REST and HTTP limits.</param>
/// <param name="FlagServiceMaximum">Whether a timeout equal to the service maximum (which is also the default) is a finding.</param>
public sealed record ApiIntegrationTimeoutOptions(int MaximumMillis, int TargetMillis, bool FlagServiceMaximum)
{
    /// <summary>REST (and WebSocket) integrations: 50 to 29,000 ms, default 29,000.</summary>
    public const int RestServiceMaximumMillis = 29_000;

    /// <summary>HTTP API integrations: 50 to 30,000 ms, default 30,000.</summary>
    public const int HttpServiceMaximumMillis = 30_000;

    public static OptionSpec MaximumMillisSpec { get; } = new("maximumMillis", OptionKind.Integer,
        "Largest integration timeout allowed, in milliseconds (REST APIs may be raised above 29,000 ms by quota, up to 300,000).")
    {
        Default = 10_000L,
        Minimum = 50,
        Maximum = 300_000,
    };

    public static OptionSpec TargetMillisSpec { get; } = new("targetMillis", OptionKind.Integer,
        "Timeout the revert sets, in milliseconds; must not exceed maximumMillis.")
    {
        Default = 10_000L,
        Minimum = 50,
        Maximum = RestServiceMaximumMillis,
    };

    public static OptionSpec FlagServiceMaximumSpec { get; } = new("flagServiceMaximum", OptionKind.Boolean,
        "Flag an integration at the service maximum (29,000 ms REST, 30,000 ms HTTP), which is also what it gets without a timeout.")
    {
        Default = true,
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [MaximumMillisSpec, TargetMillisSpec, FlagServiceMaximumSpec];

    public static ApiIntegrationTimeoutOptions Bind(OptionValues values)
    {
        var maximum = (int)OptionReading.Integer(values, MaximumMillisSpec);
        var target = (int)OptionReading.Integer(values, TargetMillisSpec);
        if (target > maximum)
        {
            throw new ArgumentException($"Option 'targetMillis' ({target}) must not exceed 'maximumMillis' ({maximum}): the revert would set a timeout that is itself a finding.");
        }

        return new ApiIntegrationTimeoutOptions(maximum, target, OptionReading.Boolean(values, FlagServiceMaximumSpec));
    }
}
