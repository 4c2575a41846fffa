namespace Remediator.Core.Tests.Engine;

public sealed class WildcardPatternTests
{
    [Theory]
    [InlineData("arn:aws:iam::*:role/break-glass*", "arn:aws:iam::111122223333:role/break-glass-admin", true)]
    [InlineData("arn:aws:iam::*:role/break-glass*", "arn:aws:iam::111122223333:role/app", false)]
    [InlineData("*", "", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "ac", false)]
    [InlineData("*a*b", "xxaxxb", true)]
    [InlineData("*a*b", "xxaxxbc", false)]
    [InlineData("ROLE", "role", false)]
    public void Matches_like_iam_arn_patterns(string pattern, string text, bool expected) =>
        Assert.Equal(expected, WildcardPattern.IsMatch(pattern, text));

    [Fact]
    public void Ignoring_case_is_explicit() => Assert.True(WildcardPattern.IsMatch("IAM:Put*", "iam:putrolepolicy", ignoreCase: true));

    // Action names as IAM matches them (case-insensitively); these cases came from the former Detectors copy (IamGlob).
    [Theory]
    [InlineData("iam:Put*", "iam:PutRolePolicy", true)]
    [InlineData("IAM:put*", "iam:PutRolePolicy", true)]
    [InlineData("iam:*Policy*", "iam:AttachUserPolicy", true)]
    [InlineData("i?m:*", "iam:PassRole", true)]
    [InlineData("iam:Pass?ole", "iam:PassRole", true)]
    [InlineData("iam:Get*", "iam:PassRole", false)]
    [InlineData("iam:PassRol", "iam:PassRole", false)]
    [InlineData("iam:PassRole?", "iam:PassRole", false)]
    [InlineData("ec2:Describe*", "ec2:RunInstances", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Matches_action_names_ignoring_case(string pattern, string action, bool expected) =>
        Assert.Equal(expected, WildcardPattern.IsMatch(pattern, action, ignoreCase: true));

    [Theory]
    [InlineData("*", true)]
    [InlineData("**", true)]
    [InlineData("", false)]
    [InlineData("*a", false)]
    public void Knows_a_pattern_that_matches_everything(string pattern, bool expected) =>
        Assert.Equal(expected, WildcardPattern.IsAllStars(pattern));
}
