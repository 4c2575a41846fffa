using Remediator.Core.Registry;
using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam;

public sealed class IamBroadPolicyOptionsTests
{
    [Fact]
    public void Defaults_run_every_check_and_ignore_the_AWS_quarantine_policies()
    {
        var options = IamBroadPolicyOptions.Bind(OptionValues.Defaults(IamBroadPolicyOptions.Specs));
        Assert.Equal(IamChecks.All.OrderBy(c => c), options.Checks.OrderBy(c => c));
        Assert.True(options.IsIgnoredPolicy("arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2"));
        Assert.False(options.IsIgnoredPolicy("arn:aws:iam::aws:policy/AdministratorAccess"));
        Assert.Empty(options.TrustedAccounts);
        Assert.Null(options.OrganizationId);
    }

    [Fact]
    public void Binding_empty_values_equals_binding_the_defaults()
    {
        var empty = IamBroadPolicyOptions.Bind(OptionValues.Empty);
        Assert.Equal(IamChecks.All.Count, empty.Checks.Count);
        Assert.Equal(IamBroadPolicyOptions.DefaultIgnoredPolicyArns, empty.IgnoredPolicyArns);
    }

    [Fact]
    public void Keeps_valid_values()
    {
        var options = IamTestSupport.Options(
            ("checks", new[] { "admin-wildcard", "public-trust" }),
            ("allowedServiceWildcards", new[] { "Logs" }),
            ("trustedAccounts", new[] { "123456789012" }),
            ("organizationId", "o-abcdef1234"));
        Assert.True(options.IsEnabled(IamChecks.AdminWildcard));
        Assert.False(options.IsEnabled(IamChecks.ServiceWildcard));
        Assert.Contains("logs", options.AllowedServiceWildcards);
        Assert.Contains("123456789012", options.TrustedAccounts);
        Assert.Equal("o-abcdef1234", options.OrganizationId);
    }

    [Theory]
    [InlineData("checks", new[] { "admin-wildcards" }, "unknown check 'admin-wildcards'")]
    [InlineData("checks", new string[0], "at least one check")]
    [InlineData("trustedAccounts", new[] { "12345678901" }, "'12345678901' is not a 12-digit")]
    [InlineData("trustedAccounts", new[] { "1234567890123" }, "is not a 12-digit")]
    [InlineData("trustedAccounts", new[] { "12345678901a" }, "is not a 12-digit")]
    [InlineData("allowedServiceWildcards", new[] { "logs:*" }, "is not a service prefix")]
    [InlineData("allowedServiceWildcards", new[] { "" }, "is not a service prefix")]
    [InlineData("ignoredPolicyArns", new[] { "AdministratorAccess" }, "must start with 'arn:'")]
    public void Rejects_bad_lists_with_a_message_naming_option_and_value(string option, string[] value, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => IamTestSupport.Options((option, value)));
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("o-abc")]
    [InlineData("org-abcdef1234")]
    [InlineData("o-ABCDEF1234")]
    public void Rejects_a_bad_organization_id(string value)
    {
        var error = Assert.Throws<ArgumentException>(() => IamTestSupport.Options(("organizationId", value)));
        Assert.Contains("organizationId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registers_the_detector_under_its_rule_file_name_with_the_option_names_rule_files_use()
    {
        var registry = new ElementRegistry().AddIamDetectors();
        Assert.True(registry.TryGetDetector("iam-broad-policy", out var descriptor));
        Assert.Equal("iam-broad-permissions", descriptor.Concern);
        Assert.Equal(
            ["checks", "allowedServiceWildcards", "trustedAccounts", "organizationId", "ignoredPolicyArns"],
            descriptor.Options.Select(o => o.Name));
        Assert.IsType<IamBroadPolicyOptions>(descriptor.BindOptions(OptionValues.Empty));
        Assert.IsType<IamBroadPolicyDetector>(descriptor.Detector);
    }
}
