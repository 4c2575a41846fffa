using Remediator.Core.Detection;

namespace Remediator.Core.Tests.Rules;

/// <summary>Bound options of the fake detectors and actions: what BindOptions hands back, so tests can see the values.</summary>
internal sealed record FakeIamOptions(
    IReadOnlyList<string> Checks, string? OrganizationId, string? Speed, long MaxAge, bool Strict, IReadOnlyDictionary<string, long> Overrides);

internal sealed record FakeTimeoutOptions(long MaximumSeconds, long TargetSeconds);

internal sealed record FakeActionOptions(OptionValues Values);

internal sealed class NoFindings : IDetector
{
    public ValueTask<IReadOnlyList<Finding>> DetectAsync(DetectionContext context, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Finding>>([]);
}

/// <summary>A registry of fakes that together use every <see cref="OptionKind"/>, defaults, required options, ranges and allowed values.</summary>
internal static class TestRegistry
{
    public static ElementRegistry Create() => new ElementRegistry()
        .AddDetector(new DetectorDescriptor(
            "fake-iam", Concerns.IamBroadPermissions, "Finds broad IAM grants.",
            [
                new OptionSpec("checks", OptionKind.StringList, "Which checks run.")
                {
                    AllowedValues = ["admin-wildcard", "service-wildcard"], Default = (IReadOnlyList<string>)["admin-wildcard"],
                },
                new OptionSpec("organizationId", OptionKind.String, "The organization trusted."),
                new OptionSpec("speed", OptionKind.String, "How hard to look.") { AllowedValues = ["fast", "slow"] },
                new OptionSpec("maxAge", OptionKind.Integer, "Days.") { Minimum = 1, Maximum = 100, Default = 10L },
                new OptionSpec("strict", OptionKind.Boolean, "Be strict.") { Default = false },
                new OptionSpec("overrides", OptionKind.IntegerMap, "Per-name limits.") { Minimum = 1, Maximum = 900 },
            ],
            v => new FakeIamOptions(
                v.GetStringList("checks"), v.GetString("organizationId"), v.GetString("speed"),
                v.GetInteger("maxAge") ?? -1, v.GetBoolean("strict") ?? true, v.GetIntegerMap("overrides")),
            new NoFindings()))
        .AddDetector(new DetectorDescriptor(
            "fake-timeout", Concerns.MissingTimeout, "Finds long timeouts.",
            [
                new OptionSpec("maximumSeconds", OptionKind.Integer, "Longest allowed.") { Required = true, Minimum = 1, Maximum = 900 },
                new OptionSpec("targetSeconds", OptionKind.Integer, "Set to this.") { Default = 60L },
            ],
            v =>
            {
                var maximum = v.GetInteger("maximumSeconds")!.Value;
                var target = v.GetInteger("targetSeconds")!.Value;
                return target > maximum
                    ? throw new ArgumentException($"targetSeconds ({target}) must not exceed maximumSeconds ({maximum})")
                    : new FakeTimeoutOptions(maximum, target);
            },
            new NoFindings()))
        .AddAction(new ActionDescriptor("revert", "Undo the change.", [], v => new FakeActionOptions(v)))
        .AddAction(new ActionDescriptor(
            "tag", "Tag the resource.",
            [
                new OptionSpec("key", OptionKind.String, "Tag key.") { Required = true },
                new OptionSpec("value", OptionKind.String, "Tag value template.") { Default = "{rule}" },
            ],
            v => new FakeActionOptions(v)))
        .AddAction(new ActionDescriptor(
            "notify", "Tell people.",
            [
                new OptionSpec("channel", OptionKind.String, "Where.") { AllowedValues = ["slack", "sns"], Default = "slack" },
            ],
            v => new FakeActionOptions(v)));
}

/// <summary>
/// Stands in for the real matcher: like EventBridge, every leaf of a pattern must be a list, and an operator object
/// must be one of a few known names. Messages name the path inside the pattern, as the real one does.
/// </summary>
internal sealed class FakePatternValidator : IPatternValidator
{
    private static readonly string[] KnownOperators =
        ["prefix", "suffix", "anything-but", "numeric", "exists", "cidr", "equals-ignore-case", "wildcard"];

    public string? Validate(JsonElement pattern) => Check(pattern, "");

    private static string? Check(JsonElement node, string path)
    {
        foreach (var member in node.EnumerateObject())
        {
            var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            var problem = member.Value.ValueKind switch
            {
                JsonValueKind.Object => Check(member.Value, memberPath),
                JsonValueKind.Array => CheckValues(member.Value, memberPath),
                _ => $"{memberPath}: a value must be a list, e.g. [{member.Value.GetRawText()}]",
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckValues(JsonElement values, string path)
    {
        var i = 0;
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                foreach (var member in value.EnumerateObject())
                {
                    if (!KnownOperators.Contains(member.Name))
                    {
                        return $"{path}[{i}]: unknown operator '{member.Name}'";
                    }
                }
            }

            i++;
        }

        return null;
    }
}
