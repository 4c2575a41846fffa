using Remediator.Core.Engine;

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
}
