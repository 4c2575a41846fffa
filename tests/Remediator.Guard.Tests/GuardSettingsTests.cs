namespace Remediator.Guard.Tests;

public sealed class GuardSettingsTests
{
    private static Dictionary<string, string?> Complete() => new()
    {
        [GuardSettings.ConcernVariable] = Concerns.IamBroadPermissions,
        [GuardSettings.AuditTableVariable] = "remediator-audit",
        [GuardSettings.RegionVariable] = "us-east-1",
        [GuardSettings.AuditRetentionDaysVariable] = "90",
        [GuardSettings.ExemptionTagVariable] = "team:exempt",
        [GuardSettings.OwnPrincipalsVariable] = "arn:aws:iam::123456789012:role/a, ,arn:aws:iam::123456789012:role/b-*,",
        [GuardSettings.OrganizationIdVariable] = "o-abcdef1234",
        [GuardSettings.NotifyOnlyVariable] = "True",
    };

    private static GuardSettings Read(Dictionary<string, string?> variables) =>
        GuardSettings.FromEnvironment(name => variables.GetValueOrDefault(name));

    [Fact]
    public void Every_variable_is_read()
    {
        var settings = Read(Complete());

        Assert.Equal(Concerns.IamBroadPermissions, settings.Concern);
        Assert.Equal("remediator-audit", settings.AuditTable);
        Assert.Equal("us-east-1", settings.Region);
        Assert.Equal(90, settings.AuditRetentionDays);
        Assert.Equal("team:exempt", settings.ExemptionTag);
        Assert.Equal(["arn:aws:iam::123456789012:role/a", "arn:aws:iam::123456789012:role/b-*"], settings.OwnPrincipals);
        Assert.Equal("o-abcdef1234", settings.OrganizationId);
        Assert.True(settings.NotifyOnly);
        var options = settings.ToGuardOptions();
        Assert.True(options.NotifyOnly);
        Assert.Equal(settings.OwnPrincipals, options.OwnPrincipals);
        Assert.Equal(90, settings.ToAuditStoreOptions().RetentionDays);
    }

    [Fact]
    public void Optional_variables_blank_or_unset_take_the_defaults()
    {
        var variables = Complete();
        variables[GuardSettings.AuditRetentionDaysVariable] = null;
        variables[GuardSettings.ExemptionTagVariable] = "";
        variables[GuardSettings.OwnPrincipalsVariable] = " ";
        variables[GuardSettings.OrganizationIdVariable] = "";
        variables[GuardSettings.NotifyOnlyVariable] = null;

        var settings = Read(variables);

        Assert.Equal(365, settings.AuditRetentionDays);
        Assert.Equal("remediator:exempt", settings.ExemptionTag);
        Assert.Empty(settings.OwnPrincipals);
        Assert.Null(settings.OrganizationId);
        Assert.False(settings.NotifyOnly);
        Assert.Null(settings.ModeOverride);
    }

    [Theory]
    [InlineData(GuardSettings.ConcernVariable)]
    [InlineData(GuardSettings.AuditTableVariable)]
    [InlineData(GuardSettings.RegionVariable)]
    public void A_missing_required_variable_is_named(string variable)
    {
        var variables = Complete();
        variables[variable] = "  ";

        var error = Assert.Throws<InvalidSettingException>(() => Read(variables));

        Assert.Equal(variable, error.Variable);
        Assert.StartsWith(variable + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("not set", error.Message, StringComparison.Ordinal);
        Assert.Equal(InvalidSettingException.ErrorTypeName, error.ErrorType);
    }

    [Theory]
    [InlineData(GuardSettings.ConcernVariable, "iam")]
    [InlineData(GuardSettings.AuditTableVariable, "a")]
    [InlineData(GuardSettings.AuditTableVariable, "table with spaces")]
    [InlineData(GuardSettings.RegionVariable, "US-EAST-1")]
    [InlineData(GuardSettings.RegionVariable, "useast1")]
    [InlineData(GuardSettings.AuditRetentionDaysVariable, "a year")]
    [InlineData(GuardSettings.AuditRetentionDaysVariable, "-5")]
    [InlineData(GuardSettings.AuditRetentionDaysVariable, "0")]
    [InlineData(GuardSettings.AuditRetentionDaysVariable, "36501")]
    [InlineData(GuardSettings.ExemptionTagVariable, "a-tag-key-longer-than-one-hundred-and-twenty-eight-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData(GuardSettings.OwnPrincipalsVariable, "arn:aws:iam::123456789012:role/a,remediator-role")]
    [InlineData(GuardSettings.GuardRolesVariable, "arn:aws:iam::123456789012:role/*-IamGuardRole*")]
    [InlineData(GuardSettings.GuardRolesVariable, "arn:aws:iam::*:role/remediator/stack-IamGuardRole-1")]
    [InlineData(GuardSettings.OrganizationIdVariable, "o-SHOUT")]
    [InlineData(GuardSettings.OrganizationIdVariable, "123456789012")]
    [InlineData(GuardSettings.NotifyOnlyVariable, "yes")]
    [InlineData(GuardSettings.NotifyOnlyVariable, "1")]
    public void A_bad_value_is_refused_naming_its_variable(string variable, string value)
    {
        var variables = Complete();
        variables[variable] = value;

        var error = Assert.Throws<InvalidSettingException>(() => Read(variables));

        Assert.Equal(variable, error.Variable);
        Assert.StartsWith(variable + ":", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("true", true)]
    public void Notify_only_reads_true_and_false_in_any_case(string value, bool expected)
    {
        var variables = Complete();
        variables[GuardSettings.NotifyOnlyVariable] = value;

        Assert.Equal(expected, Read(variables).NotifyOnly);
    }

    [Fact]
    public void Every_concern_is_accepted()
    {
        foreach (var concern in Concerns.All)
        {
            var variables = Complete();
            variables[GuardSettings.ConcernVariable] = concern;
            Assert.Equal(concern, Read(variables).Concern);
        }
    }
}
