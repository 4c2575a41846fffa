namespace Remediator.Detectors.Timeouts;

/// <summary>Options of <see cref="LambdaTimeoutDetector"/>.</summary>
/// <param name="Timeout">
/// The bounds in seconds; <see cref="TimeoutOptions.FlagDefault"/> flags a function created without a timeout (Lambda's
/// 3 s default).
/// </param>
/// <param name="Overrides">Per-function maximum, keyed by function name (ARN keys are reduced to the name).</param>
/// <param name="RaiseDefaultTimeout">
/// Whether the revert may set a function created without a timeout to the target when that is longer than the 3 s it
/// runs with. Off unless a rule says so: a longer timeout is the opposite of this rule's purpose, so by default such a
/// function is flagged and tagged, never lengthened.
/// </param>
public sealed record LambdaTimeoutOptions(
    TimeoutOptions Timeout,
    IReadOnlyDictionary<string, int> Overrides,
    bool RaiseDefaultTimeout = false)
{
    /// <summary>Lambda's own bounds: 1 s to 15 minutes.</summary>
    public const int LambdaMaximumSeconds = 900;

    private const string Unit = "Seconds";

    public static OptionSpec MaximumSecondsSpec { get; } = TimeoutOptions.MaximumSpec(Unit, "Largest Lambda timeout allowed, in seconds.", 60L, 1, LambdaMaximumSeconds);

    public static OptionSpec TargetSecondsSpec { get; } = TimeoutOptions.TargetSpec(Unit, "seconds", 30L, 1, LambdaMaximumSeconds);

    public static OptionSpec FlagDefaultTimeoutSpec { get; } = TimeoutOptions.FlagDefaultSpec("flagDefaultTimeout",
        "Flag a function created without a timeout, which silently gets Lambda's 3 s default.");

    public static OptionSpec OverridesSpec { get; } = new("overrides", OptionKind.IntegerMap,
        "Per-function maximum timeout in seconds, keyed by function name (an ARN key is reduced to its name).")
    {
        Minimum = 1,
        Maximum = LambdaMaximumSeconds,
    };

    public static OptionSpec RaiseDefaultTimeoutSpec { get; } = new("raiseDefaultTimeout", OptionKind.Boolean,
        "Let the revert raise a function created without a timeout (Lambda's 3 s default) to targetSeconds. Off by default: "
        + "such a function is flagged and tagged, and its timeout is never lengthened unless this says so.")
    {
        Default = false,
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [MaximumSecondsSpec, TargetSecondsSpec, FlagDefaultTimeoutSpec, OverridesSpec, RaiseDefaultTimeoutSpec];

    public static LambdaTimeoutOptions Bind(OptionValues values)
    {
        var timeout = TimeoutOptions.Bind(values, MaximumSecondsSpec, TargetSecondsSpec, FlagDefaultTimeoutSpec);
        var overrides = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, value) in OptionReading.IntegerMap(values, OverridesSpec))
        {
            var name = FunctionNames.NameOf(key);
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"Option 'overrides' has an empty function name key ('{key}').");
            }

            if (!overrides.TryAdd(name, (int)value))
            {
                throw new ArgumentException($"Option 'overrides' names function '{name}' twice.");
            }
        }

        return new LambdaTimeoutOptions(timeout, overrides, OptionReading.Boolean(values, RaiseDefaultTimeoutSpec));
    }

    /// <summary>The maximum that applies to one function.</summary>
    public int MaximumFor(string functionName) => Overrides.TryGetValue(functionName, out var max) ? max : Timeout.Maximum;

    /// <summary>What the revert sets for one function: the target, or the function's override when that is smaller.</summary>
    public int TargetFor(string functionName) => Math.Min(Timeout.Target, MaximumFor(functionName));
}
