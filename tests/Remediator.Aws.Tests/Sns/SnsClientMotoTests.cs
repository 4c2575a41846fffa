using Remediator.Aws.Sns;

namespace Remediator.Aws.Tests.Sns;

/// <summary>SNS against moto: a topic is created and a notification published to it.</summary>
[Collection(MotoCollection.Name)]
public sealed class SnsClientMotoTests : MotoClientTests
{
    private readonly SnsClient _sns;

    public SnsClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _sns = Client((options, settings) => new SnsClient(options, settings));
    }

    [Fact]
    public async Task Notification_is_published_to_a_created_topic()
    {
        var topicArn = await _sns.CreateTopicAsync("alerts");

        var messageId = await _sns.PublishAsync(topicArn, "role/app: inline policy 'admin' reverted & tagged", "Remediator");

        Assert.Equal($"arn:aws:sns:{TestAws.Region}:{MotoServer.AccountId}:alerts", topicArn);
        Assert.True(Guid.TryParse(messageId, out _), messageId);
    }

    [Fact]
    public async Task Publishing_to_a_missing_topic_fails_with_an_error_naming_it()
    {
        var missing = $"arn:aws:sns:{TestAws.Region}:{MotoServer.AccountId}:missing";

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _sns.PublishAsync(missing, "hello"));

        Assert.Equal("NotFound", error.ErrorCode);
        Assert.StartsWith($"sns:Publish on {missing} failed: NotFound: ", error.Message, StringComparison.Ordinal);
    }
}
