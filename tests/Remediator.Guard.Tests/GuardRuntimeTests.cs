using System.Text.Json;
using Remediator.Runtime;

namespace Remediator.Guard.Tests;

/// <summary>
/// The real entry point (<see cref="GuardFunction.RunAsync(string)"/>'s testable form) on the Lambda Runtime host
/// against the fake Runtime API: what Lambda sees when the event or the configuration is wrong.
/// </summary>
public sealed class GuardRuntimeTests : IAsyncLifetime
{
    private FakeRuntimeApi _api = null!;

    public Task InitializeAsync()
    {
        _api = FakeRuntimeApi.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Dictionary<string, string?> Environment(string concern = Concerns.IamBroadPermissions) => new()
    {
        [LambdaRuntimeOptions.RuntimeApiVariable] = _api.Address,
        [LambdaRuntimeOptions.FunctionNameVariable] = "remediator-iam-guard",
        [GuardSettings.ConcernVariable] = concern,
        [GuardSettings.AuditTableVariable] = AuditTable,
        [GuardSettings.RegionVariable] = Region,
    };

    // No AWS call is made in these tests; the endpoint is a closed local port so that none could leave the machine.
    private static GuardOverrides NoAws() => new() { EndpointUrl = new Uri("http://127.0.0.1:9"), Credentials = Credentials };

    private static Task<int> Run(Dictionary<string, string?> environment, CancellationToken stop) =>
        GuardFunction.RunAsync(Concerns.IamBroadPermissions, name => environment.GetValueOrDefault(name), NoAws(), stop);

    [Theory]
    [InlineData("this is not JSON")]
    [InlineData("""{"detail-type":"Scheduled Event","source":"aws.events","detail":{}}""")]
    [InlineData("")]
    public async Task A_malformed_payload_ends_on_the_error_path_with_the_invalid_event_type(string payload)
    {
        using var stop = new CancellationTokenSource();
        var running = Run(Environment(), stop.Token);
        _api.Enqueue("request-1", payload);

        var post = await _api.NextPostAsync();
        await stop.CancelAsync();
        var exitCode = await running.WaitAsync(FakeRuntimeApi.Wait);

        Assert.Equal((RecordedPost.Error, "request-1"), (post.Kind, post.RequestId));
        Assert.Equal(LambdaErrorTypes.InvalidEvent, post.ErrorType);
        using var body = JsonDocument.Parse(post.Body);
        Assert.Equal(LambdaErrorTypes.InvalidEvent, body.RootElement.GetProperty("errorType").GetString());
        Assert.Contains("not one CloudTrail event", body.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Equal(RuntimeExitCodes.Stopped, exitCode);
    }

    [Fact]
    public async Task A_missing_audit_table_variable_is_posted_as_the_init_error()
    {
        var environment = Environment();
        environment.Remove(GuardSettings.AuditTableVariable);

        var exitCode = await Run(environment, CancellationToken.None).WaitAsync(FakeRuntimeApi.Wait);

        var post = Assert.Single(_api.TakeRecordedPosts());
        Assert.Equal(RecordedPost.InitError, post.Kind);
        Assert.Equal(InvalidSettingException.ErrorTypeName, post.ErrorType);
        Assert.Contains(GuardSettings.AuditTableVariable, post.Text, StringComparison.Ordinal);
        Assert.Equal(RuntimeExitCodes.InitFailure, exitCode);
    }

    [Fact]
    public async Task A_package_deployed_under_another_concern_fails_init()
    {
        var exitCode = await Run(Environment(Concerns.UnencryptedTable), CancellationToken.None).WaitAsync(FakeRuntimeApi.Wait);

        var post = Assert.Single(_api.TakeRecordedPosts());
        Assert.Equal((RecordedPost.InitError, InvalidSettingException.ErrorTypeName), (post.Kind, post.ErrorType));
        Assert.Contains(GuardSettings.ConcernVariable, post.Text, StringComparison.Ordinal);
        Assert.Equal(RuntimeExitCodes.InitFailure, exitCode);
    }

    [Fact]
    public void Rules_of_another_concern_only_is_an_init_error()
    {
        var otherRules = EnforcedBuiltInRules().Where(r => r.Concern != Concerns.IamBroadPermissions).ToList();

        var error = Assert.Throws<InvalidOperationException>(() =>
            GuardFunction.Create(Settings(Concerns.IamBroadPermissions), NoAws() with { Rules = otherRules }));

        Assert.Contains(Concerns.IamBroadPermissions, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_rules_are_narrowed_to_the_guards_concern()
    {
        foreach (var concern in Concerns.All)
        {
            using var guard = GuardFunction.Create(Settings(concern), NoAws());
            Assert.NotEmpty(guard.Rules);
            Assert.All(guard.Rules, r => Assert.Equal(concern, r.Concern));
        }
    }
}
