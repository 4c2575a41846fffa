namespace Remediator.Core.Tests.Rules;

/// <summary>
/// The detectors and actions the default rules use, with the names and option kinds agreed for them, as fakes:
/// the real ones live in Remediator.Detectors. The integrator's test checks the default rules against the real registry.
/// </summary>
internal static class StandInRegistry
{
    public static ElementRegistry Create()
    {
        static OptionSpec List(string name, params string[] allowed) =>
            new(name, OptionKind.StringList, name) { AllowedValues = allowed.Length == 0 ? null : allowed };
        static OptionSpec Text(string name, params string[] allowed) =>
            new(name, OptionKind.String, name) { AllowedValues = allowed.Length == 0 ? null : allowed };
        static OptionSpec Integer(string name) => new(name, OptionKind.Integer, name) { Minimum = 1 };
        static OptionSpec Flag(string name) => new(name, OptionKind.Boolean, name);
        static object Bind(OptionValues values) => values;

        return new ElementRegistry()
            .AddDetector(new DetectorDescriptor("iam-broad-policy", Concerns.IamBroadPermissions, "IAM policies granting too much.",
                [
                    List("checks", "admin-wildcard", "service-wildcard", "not-action", "not-resource", "not-principal",
                        "privilege-escalation", "public-trust", "untrusted-account-trust", "managed-policy", "unparseable-document"),
                    List("allowedServiceWildcards"), List("trustedAccounts"), Text("organizationId"), List("ignoredPolicyArns"),
                ], Bind, new NoFindings()))
            .AddDetector(new DetectorDescriptor("public-event-bus-policy", Concerns.PublicEventBus, "Event buses open to all.",
                [Text("organizationId"), List("trustedAccounts")], Bind, new NoFindings()))
            .AddDetector(new DetectorDescriptor("lambda-timeout", Concerns.MissingTimeout, "Lambda timeouts.",
                [Integer("maximumSeconds"), Integer("targetSeconds"), Flag("flagDefaultTimeout"), new OptionSpec("overrides", OptionKind.IntegerMap, "overrides"), Flag("raiseDefaultTimeout")],
                Bind, new NoFindings()))
            .AddDetector(new DetectorDescriptor("api-integration-timeout", Concerns.MissingTimeout, "API Gateway integration timeouts.",
                [Integer("maximumMillis"), Integer("targetMillis"), Flag("flagServiceMaximum")], Bind, new NoFindings()))
            .AddDetector(new DetectorDescriptor("table-encryption", Concerns.UnencryptedTable, "DynamoDB table keys.",
                [Flag("requireCustomerManagedKey"), List("allowedKeys"), Text("kmsKeyId")], Bind, new NoFindings()))
            .AddAction(new ActionDescriptor("revert", "Undo the change.", [], Bind))
            .AddAction(new ActionDescriptor("quarantine", "Contain the principal.",
                [Text("method", "deny-policy", "permissions-boundary"), Text("policyArn")], Bind))
            .AddAction(new ActionDescriptor("tag", "Tag the resource.", [Text("key") with { Required = true }, Text("value")], Bind))
            .AddAction(new ActionDescriptor("notify", "Tell people.",
                [Text("channel", "slack", "sns"), Text("minimumSeverity", [.. SeverityNames.All])], Bind));
    }
}
