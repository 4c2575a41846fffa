using System.Text.RegularExpressions;

namespace Remediator.Detectors.Actions;

/// <summary>Options of the <c>quarantine</c> action (IAM principals only): how to contain a principal when there is no exact revert.</summary>
/// <param name="Method"><c>deny-policy</c> attaches <see cref="PolicyArn"/>; <c>permissions-boundary</c> sets it as the boundary.</param>
/// <param name="PolicyArn">The managed policy that denies.</param>
public sealed partial record QuarantineOptions(string Method, string PolicyArn)
{
    public const string DenyPolicy = "deny-policy";
    public const string PermissionsBoundary = "permissions-boundary";

    public static OptionSpec MethodSpec { get; } = new("method", OptionKind.String,
        "deny-policy attaches the policy to the principal; permissions-boundary sets it as the principal's permissions boundary.")
    {
        Default = DenyPolicy,
        AllowedValues = [DenyPolicy, PermissionsBoundary],
    };

    public static OptionSpec PolicyArnSpec { get; } = new("policyArn", OptionKind.String,
        "ARN of the managed policy used to contain the principal.")
    {
        Default = "arn:aws:iam::aws:policy/AWSDenyAll",
    };

    public static IReadOnlyList<OptionSpec> Specs { get; } = [MethodSpec, PolicyArnSpec];

    public static QuarantineOptions Bind(OptionValues values)
    {
        var method = OptionReading.String(values, MethodSpec)!;
        var policyArn = OptionReading.String(values, PolicyArnSpec)!;
        if (!ManagedPolicyArn().IsMatch(policyArn))
        {
            throw new ArgumentException(
                $"Option 'policyArn' must be a managed policy ARN such as 'arn:aws:iam::aws:policy/AWSDenyAll'; got '{policyArn}'.");
        }

        return new QuarantineOptions(method, policyArn);
    }

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:iam::(aws|\d{12}):policy/\S+$", RegexOptions.CultureInvariant)]
    private static partial Regex ManagedPolicyArn();
}
