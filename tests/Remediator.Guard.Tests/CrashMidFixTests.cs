using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Remediator.Core.Audit;
using Remediator.Runtime;
using Remediator.Aws.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// A guard process SIGKILLed after it began an audit record and before it changed anything (the crash Lambda's retry
/// must repair): a retry within the record's lease does nothing, a retry after the lease (invocation deadline plus
/// <see cref="GuardFunction.LeaseMargin"/>) takes the record over and applies the fix exactly once, and moto and the
/// audit table agree. Real child processes (tests/Remediator.GuardHost) on the fake Runtime API.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class CrashMidFixTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private const string Rule = "iam-admin-wildcard";
    private const string AdminInline = """{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"}]}""";
    private static readonly TimeSpan ProcessWait = TimeSpan.FromSeconds(60);

    private readonly AmazonDynamoDBClient _dynamoDb = MotoDynamoDb(moto.Endpoint);
    private readonly IamClient _iam = new(new AwsClientOptions { Region = Region, EndpointUrl = moto.Endpoint }, new AwsTransportSettings { Credentials = Credentials });
    private FakeRuntimeApi _api = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        await CreateAuditTableAsync(_dynamoDb);
        _api = FakeRuntimeApi.Start();
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose()
    {
        _dynamoDb.Dispose();
        _iam.Dispose();
    }

    [Fact]
    public async Task A_guard_killed_after_begin_is_finished_exactly_once_by_the_retry_after_the_lease_and_not_before()
    {
        await _iam.CreateRoleAsync("app-role", TrustLambda);
        await _iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        var envelope = Envelope("synthetic/iam/PutRolePolicy__admin_wildcard.json");
        var deadline = DateTimeOffset.UtcNow.AddSeconds(8);

        // 1. The first invocation begins the record and dies (SIGKILL) before any step runs.
        using (var crashing = StartGuard(holdAfterBegin: true))
        {
            _api.Enqueue("request-1", envelope, deadline);
            var begun = await WaitForLineAsync(crashing, "begun ");
            crashing.Kill();
            await crashing.WaitForExitAsync().WaitAsync(ProcessWait);
            Assert.StartsWith("begun ", begun, StringComparison.Ordinal);
        }

        var abandoned = AuditRecordOf(Assert.Single(await AuditItemsAsync(_dynamoDb)));
        Assert.Equal(AuditOutcome.InProgress, abandoned.Outcome);
        Assert.Equal(deadline.ToUnixTimeMilliseconds() + (long)GuardFunction.LeaseMargin.TotalMilliseconds, abandoned.InProgressUntil!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(["everything"], await _iam.ListRolePoliciesAsync("app-role"));

        // 2. A retry within the lease finds the record held: nothing executed, nothing written.
        var early = await InvokeAsync("request-2", envelope);
        Assert.True(DateTimeOffset.UtcNow < abandoned.InProgressUntil, "the early retry must run within the lease");
        Assert.Equal(GuardResult.Duplicate, OutcomeOf(early));
        Assert.Equal(["everything"], await _iam.ListRolePoliciesAsync("app-role"));
        Assert.Equal(AuditOutcome.InProgress, AuditRecordOf(Assert.Single(await AuditItemsAsync(_dynamoDb))).Outcome);

        // 3. After the lease, Lambda's retry takes the record over and applies the fix once.
        var wait = abandoned.InProgressUntil!.Value - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(200);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var retry = await InvokeAsync("request-3", envelope);
        Assert.Equal("applied", OutcomeOf(retry));
        Assert.Empty(await _iam.ListRolePoliciesAsync("app-role"));

        // 4. Later deliveries change nothing; moto and the ledger agree: one record, applied, one delete executed once.
        await _iam.PutInlinePolicyAsync(IamPrincipal.Role("app-role"), "everything", AdminInline);
        var late = await InvokeAsync("request-4", envelope);
        Assert.Equal(GuardResult.Duplicate, OutcomeOf(late));
        Assert.Equal(["everything"], await _iam.ListRolePoliciesAsync("app-role"));
        var final = AuditRecordOf(Assert.Single(await AuditItemsAsync(_dynamoDb)));
        Assert.Equal((abandoned.Id, AuditOutcome.Applied), (final.Id, final.Outcome));
        Assert.Null(final.InProgressUntil);
        var delete = Assert.Single(final.Actions, a => a.Operation == "iam:DeleteRolePolicy");
        Assert.Contains(delete.Outcome, new[] { ActionOutcome.Done, ActionOutcome.Verified });
    }

    /// <summary>One invocation in a fresh guard process (a cold start, as Lambda's retry may get), then the process is stopped.</summary>
    private async Task<string> InvokeAsync(string requestId, string envelope)
    {
        using var guard = StartGuard(holdAfterBegin: false);
        try
        {
            _api.Enqueue(requestId, envelope, DateTimeOffset.UtcNow.AddSeconds(30));
            var post = await _api.NextPostAsync().WaitAsync(ProcessWait);
            Assert.Equal((RecordedPost.Response, requestId), (post.Kind, post.RequestId));
            return post.Text;
        }
        finally
        {
            guard.Kill();
            await guard.WaitForExitAsync().WaitAsync(ProcessWait);
        }
    }

    private Process StartGuard(bool holdAfterBegin)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Remediator.GuardHost.dll");
        var start = new ProcessStartInfo("dotnet", $"exec \"{host}\"")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment[LambdaRuntimeOptions.RuntimeApiVariable] = _api.Address;
        start.Environment[LambdaRuntimeOptions.FunctionNameVariable] = "remediator-iam-guard";
        start.Environment[GuardSettings.ConcernVariable] = Remediator.Core.Concerns.IamBroadPermissions;
        start.Environment[GuardSettings.AuditTableVariable] = AuditTable;
        start.Environment[GuardSettings.RegionVariable] = Region;
        start.Environment["REMEDIATOR_TEST_MOTO_URL"] = moto.Endpoint.ToString();
        start.Environment["REMEDIATOR_TEST_RULES"] = Rule;
        start.Environment["REMEDIATOR_TEST_HOLD_AFTER_BEGIN"] = holdAfterBegin ? "1" : "0";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the guard host");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<string> WaitForLineAsync(Process process, string prefix)
    {
        using var timeout = new CancellationTokenSource(ProcessWait);
        while (await process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new InvalidOperationException($"the guard process ended before printing '{prefix}'");
    }

    private static string OutcomeOf(string response)
    {
        using var document = JsonDocument.Parse(response);
        var record = Assert.Single(document.RootElement.GetProperty("records").EnumerateArray().ToList());
        Assert.Equal(Rule, record.GetProperty("rule").GetString());
        return record.GetProperty("outcome").GetString()!;
    }

    private static AuditRecord AuditRecordOf(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item) => AuditJson.Parse(item["record"].S);
}
