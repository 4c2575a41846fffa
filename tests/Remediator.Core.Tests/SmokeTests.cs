namespace Remediator.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Concern_names_are_the_four_fixed_ones() =>
        Assert.Equal(["iam-broad-permissions", "public-event-bus", "missing-timeout", "unencrypted-table"], Remediator.Core.Concerns.All);
}
