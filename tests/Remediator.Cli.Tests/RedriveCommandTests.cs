using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Remediator.Aws;
using Remediator.Aws.State;
using Remediator.Aws.Transport;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>
/// <c>remediator redrive</c> on moto: the failure queue holds an EventBridge dead letter, a Lambda on-failure record
/// and a notifier batch; the two events are applied through the apply path and their messages deleted, the batch stays.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class RedriveCommandTests(MotoServer moto) : MotoCommandTests(moto, "remediator-redrive-")
{

    private readonly AmazonSQSClient _sqs = new AwsSdkClients(new AwsClientOptions { Region = Region, EndpointUrl = moto.Endpoint }, Credentials, _ => null).CreateSqs();
    private string _queueUrl = string.Empty;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _queueUrl = (await _sqs.CreateQueueAsync("remediator-GuardFailureQueue")).QueueUrl;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sqs.Dispose();
        }

        base.Dispose(disposing);
    }

    [Fact]
    public async Task Events_in_the_failure_queue_are_applied_and_deleted_and_a_message_without_an_event_stays()
    {
        foreach (var role in new[] { "app-a", "app-b" })
        {
            await Clients.Iam.CreateRoleAsync(role, TrustLambda);
            await Clients.Iam.PutInlinePolicyAsync(Aws.Iam.IamPrincipal.Role(role), "admin", AdminPolicy);
        }

        // An EventBridge dead letter is the envelope itself; a Lambda on-failure record wraps it in requestPayload.
        await SendAsync(Envelope("e-redrive-a", "app-a"));
        await SendAsync(new JsonObject
        {
            ["version"] = "1.0",
            ["timestamp"] = "2026-12-04T16:00:00.000Z",
            ["requestContext"] = new JsonObject { ["requestId"] = "r-1", ["functionArn"] = $"arn:aws:lambda:{Region}:{Account}:function:remediator-iam-guard:$LATEST", ["condition"] = "RetriesExhausted", ["approximateInvokeCount"] = 3 },
            ["requestPayload"] = JsonNode.Parse(Envelope("e-redrive-b", "app-b")),
            ["responseContext"] = new JsonObject { ["statusCode"] = 200, ["functionError"] = "Unhandled" },
        }.ToJsonString());
        await SendAsync("""{"Records":[{"eventID":"1","eventName":"INSERT","eventSource":"aws:dynamodb","dynamodb":{}}]}""");

        var run = await CliRun.RunAsync("redrive", "--queue-url", _queueUrl, "--rules", RepositoryPaths.Rules, "--mode", "enforce", "--format", "json",
            "--audit-file", AuditFile, "--endpoint-url", Moto.Endpoint.ToString(), "--region", Region);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Empty(await Clients.Iam.ListRolePoliciesAsync("app-a"));
        Assert.Empty(await Clients.Iam.ListRolePoliciesAsync("app-b"));
        var applied = run.StdoutLines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("rule").GetString() == "iam-admin-wildcard")
            .ToList();
        Assert.Equal(["applied", "applied"], applied.Select(r => r.GetProperty("outcome").GetString()));
        Assert.Contains("2 message(s) redriven and deleted", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 left because they hold no CloudTrail event", run.Stderr, StringComparison.Ordinal);

        var attributes = await _sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal((0, 1), (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible));
    }

    [Fact]
    public async Task A_redriven_event_that_was_applied_before_is_a_duplicate_and_its_message_is_deleted()
    {
        await Clients.Iam.CreateRoleAsync("app-a", TrustLambda);
        await Clients.Iam.PutInlinePolicyAsync(Aws.Iam.IamPrincipal.Role("app-a"), "admin", AdminPolicy);
        var envelope = Envelope("e-redrive-c", "app-a");
        var eventFile = Path.Combine(Dir, "event.json");
        await File.WriteAllTextAsync(eventFile, envelope);
        await CliRun.RunAsync("apply", eventFile, "--rules", RepositoryPaths.Rules, "--mode", "enforce", "--audit-file", AuditFile,
            "--endpoint-url", Moto.Endpoint.ToString(), "--region", Region);
        await Clients.Iam.PutInlinePolicyAsync(Aws.Iam.IamPrincipal.Role("app-a"), "admin", AdminPolicy);
        await SendAsync(envelope);

        var run = await CliRun.RunAsync("redrive", "--queue-url", _queueUrl, "--rules", RepositoryPaths.Rules, "--mode", "enforce",
            "--audit-file", AuditFile, "--endpoint-url", Moto.Endpoint.ToString(), "--region", Region);

        Assert.Equal(ExitCodes.Clean, run.ExitCode);
        Assert.Equal(["admin"], await Clients.Iam.ListRolePoliciesAsync("app-a"));
        Assert.Contains("1 message(s) redriven and deleted", run.Stderr, StringComparison.Ordinal);
        var attributes = await _sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        Assert.Equal((0, 0), (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible));
    }

    [Fact]
    public async Task Redrive_without_a_queue_url_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("redrive", "--audit-file", AuditFile);

        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains("--queue-url", run.Stderr, StringComparison.Ordinal);
    }

    private Task<SendMessageResponse> SendAsync(string body) => _sqs.SendMessageAsync(_queueUrl, body);

    private static string Envelope(string eventId, string role) =>
        Envelope("iam", "PutRolePolicy", eventId, $$"""{"roleName":"{{role}}","policyName":"admin","policyDocument":{{JsonSerializer.Serialize(AdminPolicy)}}}""");
}
