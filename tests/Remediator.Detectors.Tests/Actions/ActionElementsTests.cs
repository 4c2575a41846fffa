using Remediator.Core;
using Remediator.Core.Registry;
using Remediator.Detectors.Actions;

namespace Remediator.Detectors.Tests.Actions;

public sealed class ActionElementsTests
{
    private static readonly ElementRegistry Registry = new ElementRegistry().AddStandardActions();

    private static object Bind(string action, params (string Name, object? Value)[] values)
    {
        Assert.True(Registry.TryGetAction(action, out var descriptor));
        var bound = descriptor.Options.Where(s => s.Default is not null).ToDictionary(s => s.Name, s => s.Default);
        foreach (var (name, value) in values)
        {
            bound[name] = value;
        }

        return descriptor.BindOptions(new OptionValues(bound));
    }

    [Fact]
    public void The_four_actions_are_registered_under_their_rule_names()
    {
        Assert.Equal(
            [ActionNames.Notify, ActionNames.Quarantine, ActionNames.Revert, ActionNames.Tag],
            Registry.Actions.Select(a => a.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Revert_takes_no_options_and_rejects_any()
    {
        Assert.IsType<RevertOptions>(Bind(ActionNames.Revert));

        var error = Assert.Throws<ArgumentException>(() => Bind(ActionNames.Revert, ("force", true)));
        Assert.Contains("'force'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quarantine_defaults_to_the_AWS_deny_all_policy()
    {
        var options = Assert.IsType<QuarantineOptions>(Bind(ActionNames.Quarantine));

        Assert.Equal(new QuarantineOptions("deny-policy", "arn:aws:iam::aws:policy/AWSDenyAll"), options);
    }

    [Theory]
    [InlineData("method", "detach-everything", "method")]
    [InlineData("policyArn", "AWSDenyAll", "policyArn")]
    [InlineData("policyArn", "arn:aws:iam::123:policy/Deny", "policyArn")]
    public void Quarantine_rejects_bad_values(string name, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Bind(ActionNames.Quarantine, (name, value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quarantine_accepts_a_customer_boundary_policy()
    {
        var options = Assert.IsType<QuarantineOptions>(Bind(ActionNames.Quarantine,
            ("method", "permissions-boundary"), ("policyArn", "arn:aws:iam::111122223333:policy/guard/Quarantine")));

        Assert.Equal("permissions-boundary", options.Method);
    }

    [Fact]
    public void Tag_defaults_to_the_rule_id_under_remediator_finding()
    {
        Assert.Equal(new TagOptions("remediator:finding", "{rule}"), Bind(ActionNames.Tag));
    }

    [Theory]
    [InlineData("value", "{rule}-{account}", "unknown placeholder '{account}'")]
    [InlineData("value", "{rule", "never closed")]
    [InlineData("value", "rule}", "closes no placeholder")]
    [InlineData("key", "aws:finding", "must not start with 'aws:'")]
    [InlineData("key", "", "1 to 128")]
    [InlineData("key", "bad*key", "'*'")]
    public void Tag_rejects_bad_values_with_a_clear_message(string name, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => Bind(ActionNames.Tag, (name, value)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tag_accepts_every_documented_placeholder()
    {
        var options = Assert.IsType<TagOptions>(Bind(ActionNames.Tag, ("value", "{rule}/{eventId}@{time} {concern}={severity}")));

        Assert.Equal("{rule}/{eventId}@{time} {concern}={severity}", options.Value);
    }

    [Fact]
    public void Notify_defaults_to_slack_from_low()
    {
        Assert.Equal(new NotifyOptions("slack", Severity.Low), Bind(ActionNames.Notify));
    }

    [Theory]
    [InlineData("channel", "email")]
    [InlineData("minimumSeverity", "urgent")]
    [InlineData("minimumSeverity", "HIGH")]
    public void Notify_rejects_values_outside_the_allowed_ones(string name, string value)
    {
        var error = Assert.Throws<ArgumentException>(() => Bind(ActionNames.Notify, (name, value)));

        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("high", Severity.Medium, false)]
    [InlineData("high", Severity.High, true)]
    [InlineData("high", Severity.Critical, true)]
    public void Notify_sends_only_from_the_minimum_severity(string minimum, Severity severity, bool sent)
    {
        var options = Assert.IsType<NotifyOptions>(Bind(ActionNames.Notify, ("channel", "sns"), ("minimumSeverity", minimum)));

        Assert.Equal(sent, options.ShouldSend(severity));
    }
}
