using Amazon.KeyManagementService.Model;
using Remediator.Aws.State;
using Remediator.Aws.Tests.Support;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Operations;
using Remediator.Testing;
using static Remediator.Aws.Tests.Execution.ExecutionSupport;

namespace Remediator.Aws.Tests.Execution;

/// <summary>
/// The KMS key tag family, planned the way the tagging planner plans it (by resource type, from the catalogue),
/// carried out on moto and undone from its recorded before-state.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class KmsKeyTagsMotoTests(MotoServer moto) : IAsyncLifetime, IDisposable
{
    private readonly AwsClients _aws = Clients(moto.Endpoint);

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _aws.Dispose();

    private async Task<string> KeyAsync(params (string Key, string Value)[] tags) =>
        (await _aws.KeyManagement.CreateKeyAsync(new CreateKeyRequest
        {
            Description = "orders",
            Tags = tags.Select(t => new Tag { TagKey = t.Key, TagValue = t.Value }).ToList(),
        })).KeyMetadata.Arn;

    private async Task<Dictionary<string, string>> TagsAsync(string keyArn) =>
        ((await _aws.KeyManagement.ListResourceTagsAsync(new ListResourceTagsRequest { KeyId = keyArn })).Tags ?? [])
        .ToDictionary(t => t.TagKey, t => t.TagValue, StringComparer.Ordinal);

    private static AuditAction Planned(string keyArn, string key, string value) =>
        AuditAction.From(OperationCatalogue.TaggingFor("AWS::KMS::Key")!.Plan(keyArn, new Dictionary<string, string> { [key] = value }, "tag the key")!);

    [Fact]
    public void A_key_step_carries_the_parameters_as_KMS_takes_them_and_the_permissions_it_needs()
    {
        var step = OperationCatalogue.TaggingFor("AWS::KMS::Key")!.Plan(
            "arn:aws:kms:us-east-1:123456789012:key/k-1", new Dictionary<string, string> { ["remediated"] = "yes" }, "tag the key")!;

        Assert.Equal("kms:TagResource", step.Operation);
        Assert.Equal("arn:aws:kms:us-east-1:123456789012:key/k-1", step.Resource);
        Assert.Equal("""{"KeyId":"arn:aws:kms:us-east-1:123456789012:key/k-1","Tags":[{"TagKey":"remediated","TagValue":"yes"}]}""", step.Parameters.ToJsonString());
        Assert.Equal(["kms:TagResource"], step.Permissions);
        Assert.Equal(["kms:ListResourceTags"], OperationCatalogue.KmsKeyTags.Tag.ReadPermissions);
    }

    [Theory]
    [InlineData("arn:aws:kms:us-east-1:123456789012:alias/orders")]
    [InlineData("k-1")]
    public void An_alias_or_a_bare_id_names_no_key_the_planner_can_tag(string resource) =>
        Assert.Null(OperationCatalogue.TaggingFor("AWS::KMS::Key")!.Plan(resource, new Dictionary<string, string> { ["remediated"] = "yes" }, "tag"));

    [Fact]
    public async Task A_new_tag_is_written_verified_and_removed_by_undo_keeping_the_others()
    {
        var keyArn = await KeyAsync(("owner", "team-a"));

        var done = await Executor().ExecuteAsync(Planned(keyArn, "remediated", "yes"), default);

        Succeeded(done);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a", ["remediated"] = "yes" }, await TagsAsync(keyArn));
        Assert.Equal(ActionOutcome.Verified, done.Outcome);
        var undo = Assert.Single(UndoOf(done));
        Assert.Equal("kms:UntagResource", undo.Operation);
        Succeeded(await Executor().ExecuteAsync(undo, default));
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, await TagsAsync(keyArn));
    }

    [Fact]
    public async Task An_overwritten_tag_gets_its_old_value_back_from_undo()
    {
        var keyArn = await KeyAsync(("owner", "team-a"));

        var done = await Executor().ExecuteAsync(Planned(keyArn, "owner", "security"), default);
        Succeeded(done);
        Assert.Equal("security", (await TagsAsync(keyArn))["owner"]);

        foreach (var result in await RunAllAsync(Executor(), UndoOf(done)))
        {
            Succeeded(result);
        }

        Assert.Equal(new Dictionary<string, string> { ["owner"] = "team-a" }, await TagsAsync(keyArn));
    }

    [Fact]
    public async Task A_key_that_does_not_exist_is_a_failed_step_naming_the_call()
    {
        var result = await Executor().ExecuteAsync(Planned("arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000", "remediated", "yes"), default);

        Assert.Equal(ActionOutcome.Failed, result.Outcome);
        Assert.Contains("kms:TagResource", result.Error, StringComparison.Ordinal);
    }

    private AwsStepExecutor Executor() => new(_aws);
}
