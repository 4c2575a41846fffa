using System.Net;
using Remediator.Aws.Iam;

namespace Remediator.Aws.Tests.Iam;

/// <summary>IAM round trips against moto: create, read back, change, read back.</summary>
[Collection(MotoCollection.Name)]
public sealed class IamClientMotoTests : MotoClientTests
{
    private const string TrustEc2 = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";
    private const string TrustLambda = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}""";

    // '+', spaces, '%' and non-ASCII: what a form decoder or a missing decode would corrupt.
    private const string ReadBuckets = """{"Version":"2012-10-17","Statement":[{"Sid":"Read a+b","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b c/100%/é*"}]}""";
    private const string AllowAll = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}""";

    private readonly IamClient _iam;

    public IamClientMotoTests(MotoServer moto)
        : base(moto)
    {
        _iam = Client((options, settings) => new IamClient(options, settings));
    }

    [Fact]
    public async Task Managed_policy_versions_are_created_listed_read_defaulted_and_deleted()
    {
        var policy = await _iam.CreatePolicyAsync("app-policy", AllowAll);
        Assert.Equal($"arn:aws:iam::{MotoServer.AccountId}:policy/app-policy", policy.Arn);
        Assert.Equal("v1", (await _iam.GetPolicyAsync(policy.Arn)).DefaultVersionId);

        var v2 = await _iam.CreatePolicyVersionAsync(policy.Arn, ReadBuckets, setAsDefault: true);
        Assert.Equal("v2", v2.VersionId);
        Assert.Equal("v2", (await _iam.GetPolicyAsync(policy.Arn)).DefaultVersionId);
        var read = await _iam.GetPolicyVersionAsync(policy.Arn, "v2");
        Assert.True(read.IsDefaultVersion);
        AssertSameJson(ReadBuckets, read.Document);
        Assert.Equal(["v1", "v2"], (await _iam.ListPolicyVersionsAsync(policy.Arn)).Select(version => version.VersionId).Order());

        await _iam.SetDefaultPolicyVersionAsync(policy.Arn, "v1");
        Assert.Equal("v1", (await _iam.GetPolicyAsync(policy.Arn)).DefaultVersionId);
        await _iam.DeletePolicyVersionAsync(policy.Arn, "v2");
        var remaining = Assert.Single(await _iam.ListPolicyVersionsAsync(policy.Arn));
        Assert.Equal("v1", remaining.VersionId);
        Assert.True(remaining.IsDefaultVersion);
    }

    [Fact]
    public async Task Policy_tags_are_written_and_read_back()
    {
        var policy = await _iam.CreatePolicyAsync("tagged", AllowAll);

        await _iam.TagPolicyAsync(policy.Arn, new Dictionary<string, string> { ["owner"] = "team-a" });

        Assert.Equal("team-a", (await _iam.GetPolicyAsync(policy.Arn)).Tags["owner"]);
    }

    [Fact]
    public async Task Role_trust_policy_tags_and_boundary_are_read_back_after_each_change()
    {
        var boundary = await _iam.CreatePolicyAsync("boundary", AllowAll);
        var created = await _iam.CreateRoleAsync("app", TrustEc2);
        Assert.Equal($"arn:aws:iam::{MotoServer.AccountId}:role/app", created.Arn);
        AssertSameJson(TrustEc2, (await _iam.GetRoleAsync("app")).AssumeRolePolicyDocument);

        await _iam.UpdateAssumeRolePolicyAsync("app", TrustLambda);
        await _iam.TagRoleAsync("app", new Dictionary<string, string> { ["owner"] = "team-a", ["env"] = "prod" });
        await _iam.PutPermissionsBoundaryAsync(IamPrincipal.Role("app"), boundary.Arn);

        var role = await _iam.GetRoleAsync("app");
        AssertSameJson(TrustLambda, role.AssumeRolePolicyDocument);
        Assert.Equal(boundary.Arn, role.PermissionsBoundaryArn);
        Assert.Equal(new Dictionary<string, string> { ["env"] = "prod", ["owner"] = "team-a" }, await _iam.ListRoleTagsAsync("app"));
    }

    [Fact]
    public async Task User_tags_are_written_and_read_back()
    {
        await _iam.CreateUserAsync("alice");

        await _iam.TagUserAsync("alice", new Dictionary<string, string> { ["team"] = "a" });

        Assert.Equal(new Dictionary<string, string> { ["team"] = "a" }, await _iam.ListUserTagsAsync("alice"));
    }

    [Fact]
    public async Task PutUserPermissionsBoundaryMoto_lacks_it_so_request_is_checked_against_botocore()
    {
        // moto 5.2.1 has no put_user_permissions_boundary (it answers 500); the request must still be what AWS expects.
        var handler = new RecordingHandler();
        using var recording = new IamClient(TestAws.Options(Moto.Endpoint), TestAws.Settings(handler));

        await recording.PutPermissionsBoundaryAsync(IamPrincipal.User("alice"), $"arn:aws:iam::{MotoServer.AccountId}:policy/boundary");

        ModelContract.AssertMatches(BotocoreModel.Load("iam"), "PutUserPermissionsBoundary", Assert.Single(handler.Requests), "us-east-1");
        Assert.Contains("UserName=alice", handler.Requests[0].Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(IamPrincipalKind.Role)]
    [InlineData(IamPrincipalKind.User)]
    [InlineData(IamPrincipalKind.Group)]
    public async Task Inline_policy_is_put_read_back_replaced_and_deleted(IamPrincipalKind kind)
    {
        var principal = await CreatePrincipalAsync(kind);

        await _iam.PutInlinePolicyAsync(principal, "inline", AllowAll);
        AssertSameJson(AllowAll, (await _iam.GetInlinePolicyAsync(principal, "inline")).Document);
        await _iam.PutInlinePolicyAsync(principal, "inline", ReadBuckets);
        AssertSameJson(ReadBuckets, (await _iam.GetInlinePolicyAsync(principal, "inline")).Document);
        if (kind == IamPrincipalKind.Role)
        {
            Assert.Equal(["inline"], await _iam.ListRolePoliciesAsync(principal.Name));
        }

        await _iam.DeleteInlinePolicyAsync(principal, "inline");

        var gone = await Assert.ThrowsAsync<AwsServiceException>(() => _iam.GetInlinePolicyAsync(principal, "inline"));
        Assert.True(gone.IsNotFound);
        Assert.Equal("NoSuchEntity", gone.ErrorCode);
    }

    [Theory]
    [InlineData(IamPrincipalKind.Role)]
    [InlineData(IamPrincipalKind.User)]
    [InlineData(IamPrincipalKind.Group)]
    public async Task Managed_policy_is_attached_and_detached(IamPrincipalKind kind)
    {
        var principal = await CreatePrincipalAsync(kind);
        var policy = await _iam.CreatePolicyAsync("attached", AllowAll);

        await _iam.AttachPolicyAsync(principal, policy.Arn);
        Assert.Equal(1, (await _iam.GetPolicyAsync(policy.Arn)).AttachmentCount);
        if (kind == IamPrincipalKind.Role)
        {
            Assert.Equal([new IamAttachedPolicy("attached", policy.Arn)], await _iam.ListAttachedRolePoliciesAsync(principal.Name));
        }

        await _iam.DetachPolicyAsync(principal, policy.Arn);

        Assert.Equal(0, (await _iam.GetPolicyAsync(policy.Arn)).AttachmentCount);
        if (kind == IamPrincipalKind.Role)
        {
            Assert.Empty(await _iam.ListAttachedRolePoliciesAsync(principal.Name));
        }
    }

    [Fact]
    public async Task Aws_managed_policy_can_be_read()
    {
        var policy = await _iam.GetPolicyAsync("arn:aws:iam::aws:policy/AdministratorAccess");

        var version = await _iam.GetPolicyVersionAsync(policy.Arn, policy.DefaultVersionId);

        Assert.Equal("AdministratorAccess", policy.PolicyName);
        Assert.Equal("*", JsonNode.Parse(version.Document!)!["Statement"]![0]!["Action"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_role_fails_with_an_error_naming_operation_and_resource()
    {
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => _iam.DeleteInlinePolicyAsync(IamPrincipal.Role("missing"), "inline"));

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("NoSuchEntity", error.ErrorCode);
        Assert.StartsWith("iam:DeleteRolePolicy on role/missing failed: NoSuchEntity: ", error.Message, StringComparison.Ordinal);
    }

    private async Task<IamPrincipal> CreatePrincipalAsync(IamPrincipalKind kind)
    {
        switch (kind)
        {
            case IamPrincipalKind.Role:
                await _iam.CreateRoleAsync("app", TrustEc2);
                return IamPrincipal.Role("app");
            case IamPrincipalKind.User:
                await _iam.CreateUserAsync("alice");
                return IamPrincipal.User("alice");
            default:
                await _iam.CreateGroupAsync("devs");
                return IamPrincipal.Group("devs");
        }
    }

    private static void AssertSameJson(string expected, string? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual!)), $"expected {expected}\nactual   {actual}");
}
