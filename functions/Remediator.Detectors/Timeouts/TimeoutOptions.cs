namespace Remediator.Detectors.Timeouts;

/// <summary>
/// The bounds every timeout rule binds, in its own unit (seconds for Lambda, milliseconds for API Gateway): the two
/// timeout detectors share this one record, its option specs and the check that the target respects the maximum.
/// </summary>
/// <param name="Maximum">Largest timeout allowed.</param>
/// <param name="Target">What the revert sets; never above <paramref name="Maximum"/>, or the revert would itself be a finding.</param>
/// <param name="FlagDefault">Whether the timeout a resource gets when none is set (the service default) is a finding.</param>
public sealed record TimeoutOptions(int Maximum, int Target, bool FlagDefault)
{
    /// <summary><c>maximum{unit}</c>, e.g. <c>maximumSeconds</c>.</summary>
    public static OptionSpec MaximumSpec(string unit, string description, long defaultValue, long minimum, long maximum) =>
        new("maximum" + unit, OptionKind.Integer, description)
        {
            Default = defaultValue,
            Minimum = minimum,
            Maximum = maximum,
        };

    /// <summary><c>target{unit}</c>, e.g. <c>targetSeconds</c>.</summary>
    public static OptionSpec TargetSpec(string unit, string unitName, long defaultValue, long minimum, long maximum) =>
        new("target" + unit, OptionKind.Integer, $"Timeout the revert sets, in {unitName}; must not exceed maximum{unit}.")
        {
            Default = defaultValue,
            Minimum = minimum,
            Maximum = maximum,
        };

    /// <summary>The switch that makes the service default a finding; on unless a rule turns it off.</summary>
    public static OptionSpec FlagDefaultSpec(string name, string description) =>
        new(name, OptionKind.Boolean, description)
        {
            Default = true,
        };

    public static TimeoutOptions Bind(OptionValues values, OptionSpec maximumSpec, OptionSpec targetSpec, OptionSpec flagDefaultSpec)
    {
        var maximum = (int)OptionReading.Integer(values, maximumSpec);
        var target = (int)OptionReading.Integer(values, targetSpec);
        if (target > maximum)
        {
            throw new ArgumentException(
                $"Option '{targetSpec.Name}' ({target}) must not exceed '{maximumSpec.Name}' ({maximum}): the revert would set a timeout that is itself a finding.");
        }

        return new TimeoutOptions(maximum, target, OptionReading.Boolean(values, flagDefaultSpec));
    }
}
