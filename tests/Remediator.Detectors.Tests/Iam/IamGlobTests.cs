using Remediator.Detectors.Iam;

namespace Remediator.Detectors.Tests.Iam;

public sealed class IamGlobTests
{
    [Theory]
    [InlineData("iam:Put*", "iam:PutRolePolicy", true)]
    [InlineData("IAM:put*", "iam:PutRolePolicy", true)]
    [InlineData("iam:*Policy*", "iam:AttachUserPolicy", true)]
    [InlineData("i?m:*", "iam:PassRole", true)]
    [InlineData("*", "sts:AssumeRole", true)]
    [InlineData("iam:Pass?ole", "iam:PassRole", true)]
    [InlineData("iam:Get*", "iam:PassRole", false)]
    [InlineData("iam:PassRol", "iam:PassRole", false)]
    [InlineData("iam:PassRole?", "iam:PassRole", false)]
    [InlineData("ec2:Describe*", "ec2:RunInstances", false)]
    [InlineData("*Role", "iam:PassRole", true)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Matches_as_IAM_does(string pattern, string action, bool expected) =>
        Assert.Equal(expected, IamGlob.IsMatch(pattern, action));

    [Fact]
    public void The_escalation_catalog_fits_in_a_64_bit_set_and_every_combination_names_known_actions()
    {
        Assert.True(PrivilegeEscalationCatalog.AllActions.Count <= 64);
        Assert.All(PrivilegeEscalationCatalog.Combinations, c => Assert.True(c.Actions.Count >= 2));
        Assert.Contains("iam:PassRole", PrivilegeEscalationCatalog.SingleActions);
    }

    [Theory]
    [InlineData("iam:Put*", new[] { "iam:PutUserPolicy", "iam:PutGroupPolicy", "iam:PutRolePolicy" })]
    [InlineData("LAMBDA:update*", new[] { "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration" })]
    [InlineData("s3:*", new string[0])]
    public void Catalog_matching_uses_the_glob_and_ignores_case(string pattern, string[] expected)
    {
        var names = PrivilegeEscalationCatalog.Names(PrivilegeEscalationCatalog.Matching(pattern)).ToList();
        Assert.Equal(expected.OrderBy(x => x), names.OrderBy(x => x));
    }
}
