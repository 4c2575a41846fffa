namespace Remediator.Core.Tests.Engine;

/// <summary>The guard's own roles are recognised by identity; a role merely named like them is not.</summary>
public sealed class GuardRolesTests
{
    private const string GuardRole = "arn:aws:iam::123456789012:role/remediator/stack-IamGuardRole-AbC123";
    private static readonly GuardRoles Roles = new GuardRoles { Exact = [GuardRole] }.Validated();

    [Theory]
    [InlineData(GuardRole)]
    [InlineData("arn:aws:iam::123456789012:role/stack-IamGuardRole-AbC123")] // events name the role without its path
    [InlineData("arn:aws:iam::123456789012:role/stack-iamguardrole-abc123")] // IAM role names are case-insensitive
    [InlineData("arn:aws:iam::210987654321:role/remediator/remediator-iam-broad-permissions")] // a member account's role
    [InlineData("arn:aws:iam::210987654321:role/remediator-missing-timeout")]
    public void The_guards_own_roles_are_owned(string resource) => Assert.True(Roles.Owns(resource));

    [Theory]
    [InlineData("arn:aws:iam::123456789012:role/x-IamGuardRole-y")] // named like the guard's
    [InlineData("arn:aws:iam::123456789012:role/stack-IamGuardRole-AbC1234")]
    [InlineData("arn:aws:iam::999988887777:role/remediator/stack-IamGuardRole-AbC123")] // same name, another account
    [InlineData("arn:aws:iam::123456789012:role/remediator/remediator-iam-broad-permissions")] // member name in the guard's own account
    [InlineData("arn:aws:iam::210987654321:role/remediator-iam-broad-permissions-2")]
    [InlineData("arn:aws:iam::123456789012:user/stack-IamGuardRole-AbC123")] // not a role
    [InlineData("stack-IamGuardRole-AbC123")]
    public void Lookalikes_are_not_owned(string resource) => Assert.False(Roles.Owns(resource));

    [Theory]
    [InlineData("arn:aws:iam::*:role/remediator/stack-IamGuardRole-*")]
    [InlineData("arn:aws:iam::123456789012:role/*-IamGuardRole*")]
    [InlineData("stack-IamGuardRole")]
    [InlineData("arn:aws:iam::123456789012:user/alice")]
    public void Patterns_and_non_role_arns_are_rejected_at_load(string arn) =>
        Assert.Throws<ArgumentException>(() => new GuardOptions { GuardRoles = new GuardRoles { Exact = [arn] } }.Validated());
}
