using Amazon.SQS.Model;
using Remediator.Aws.Sqs;

namespace Remediator.Aws.Tests.Sqs;

/// <summary>SQS against moto over the JSON 1.0 protocol: what the signed client sends, the AWSSDK receives.</summary>
[Collection(MotoCollection.Name)]
public sealed class SqsClientMotoTests : MotoClientTests
{
    private readonly SqsClient _sqs;

    public SqsClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _sqs = Client((options, settings) => new SqsClient(options, settings));
    }

    [Fact]
    public async Task A_message_sent_is_received_with_its_id_and_body()
    {
        using var sdk = new AwsSdkClients(TestAws.Options(Moto.Endpoint), TestAws.Credentials, _ => null).CreateSqs();
        var queueUrl = (await sdk.CreateQueueAsync("decisions")).QueueUrl;

        var id = await _sqs.SendMessageAsync(queueUrl, """{"decision":"e-1/rule/decision","clickedAt":"1"}""");

        var message = Assert.Single((await sdk.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 0 })).Messages);
        Assert.Equal(id, message.MessageId);
        Assert.Equal("""{"decision":"e-1/rule/decision","clickedAt":"1"}""", message.Body);
    }

    [Fact]
    public async Task A_missing_queue_fails_with_a_service_error()
    {
        var failure = await Assert.ThrowsAsync<AwsServiceException>(() => _sqs.SendMessageAsync($"{Moto.Endpoint}123456789012/absent", "x"));

        // The JSON protocol's code (the Query protocol called it AWS.SimpleQueueService.NonExistentQueue).
        Assert.Equal("QueueDoesNotExist", failure.ErrorCode);
    }
}
