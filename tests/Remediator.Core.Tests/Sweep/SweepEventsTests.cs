using Remediator.Core.Ports;
using Remediator.Core.Sweep;

namespace Remediator.Core.Tests.Sweep;

public sealed class SweepEventsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_sweep_key_is_stable_for_unchanged_content_and_changes_with_it()
    {
        var wrong = new DescribedInlinePolicy(IamPrincipalKind.Role, "app", "arn:aws:iam::123456789012:role/app", "p", """{"Statement":[]}""");

        var first = SweepEvents.For(wrong, "123456789012", "eu-west-1", Now);
        var later = SweepEvents.For(wrong, "123456789012", "eu-west-1", Now.AddDays(1));
        var changed = SweepEvents.For(wrong with { Document = """{"Statement":[{}]}""" }, "123456789012", "eu-west-1", Now);

        Assert.Equal(first.EventId, later.EventId);
        Assert.NotEqual(first.EventId, changed.EventId);
        Assert.StartsWith(SweepEvents.EventIdPrefix, first.EventId, StringComparison.Ordinal);
        Assert.DoesNotContain('/', first.EventId);
    }

    [Fact]
    public void Each_kind_becomes_the_event_its_detector_judges()
    {
        Assert.Equal("PutUserPolicy", Name(new DescribedInlinePolicy(IamPrincipalKind.User, "u", "arn:aws:iam::1:user/u", "p", "{}")));
        Assert.Equal("AttachGroupPolicy", Name(new DescribedAttachment(IamPrincipalKind.Group, "g", "arn:aws:iam::1:group/g", "arn:aws:iam::aws:policy/X")));
        Assert.Equal("UpdateAssumeRolePolicy", Name(new DescribedTrustPolicy("r", "arn:aws:iam::1:role/r", "{}")));
        Assert.Equal("SetDefaultPolicyVersion", Name(new DescribedManagedPolicy("arn:aws:iam::1:policy/p", "v2")));
        Assert.Equal("PutPermission", Name(new DescribedEventBus("b", "arn:aws:events:eu-west-1:1:event-bus/b", null)));
        Assert.Equal("CreateFunction20150331", Name(new DescribedFunction("f", "arn:aws:lambda:eu-west-1:1:function:f", 3)));
        Assert.Equal("UpdateFunctionConfiguration20150331v2", Name(new DescribedFunction("f", "arn:aws:lambda:eu-west-1:1:function:f", 900)));
        Assert.Equal("PutIntegration", Name(new DescribedRestIntegration("a", "r", "GET", 29000)));
        Assert.Equal("CreateIntegration", Name(new DescribedHttpIntegration("a", "i", null)));
        Assert.Equal("CreateTable", Name(new DescribedTable("t", "arn:aws:dynamodb:eu-west-1:1:table/t", TableEncryptionState.AwsOwnedKey)));
        Assert.Equal("us-east-1", SweepEvents.For(new DescribedTrustPolicy("r", "arn:aws:iam::1:role/r", "{}"), "1", "eu-west-1", Now).Event.AwsRegion);
    }

    [Fact]
    public void A_failure_has_no_event()
    {
        Assert.Throws<ArgumentException>(() => SweepEvents.For(new DescribeFailure("x", Concerns.MissingTimeout, "denied"), "1", "eu-west-1", Now));
    }

    private static string Name(DescribedResource described) => SweepEvents.For(described, "123456789012", "eu-west-1", Now).Event.EventName;
}
