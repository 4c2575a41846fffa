using Remediator.Aws.Iam;

namespace Remediator.Aws.Tests.Iam;

/// <summary>Each IAM request, captured after signing, against botocore's iam model.</summary>
public sealed class IamClientContractTests
{
    private const string PolicyArn = "arn:aws:iam::123456789012:policy/app-policy";
    private const string Document = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private static readonly Dictionary<string, string> Tags = new() { ["owner"] = "team-a", ["remediator:exempt"] = "2030-01-01" };

    private static readonly Dictionary<string, Func<IamClient, Task>> Calls = new()
    {
        ["GetPolicy"] = client => client.GetPolicyAsync(PolicyArn),
        ["GetPolicyVersion"] = client => client.GetPolicyVersionAsync(PolicyArn, "v2"),
        ["ListPolicyVersions"] = client => client.ListPolicyVersionsAsync(PolicyArn),
        ["CreatePolicyVersion"] = client => client.CreatePolicyVersionAsync(PolicyArn, Document, setAsDefault: true),
        ["DeletePolicyVersion"] = client => client.DeletePolicyVersionAsync(PolicyArn, "v1"),
        ["SetDefaultPolicyVersion"] = client => client.SetDefaultPolicyVersionAsync(PolicyArn, "v1"),
        ["GetRole"] = client => client.GetRoleAsync("app"),
        ["GetRolePolicy"] = client => client.GetInlinePolicyAsync(IamPrincipal.Role("app"), "inline"),
        ["GetUserPolicy"] = client => client.GetInlinePolicyAsync(IamPrincipal.User("alice"), "inline"),
        ["GetGroupPolicy"] = client => client.GetInlinePolicyAsync(IamPrincipal.Group("devs"), "inline"),
        ["PutRolePolicy"] = client => client.PutInlinePolicyAsync(IamPrincipal.Role("app"), "inline", Document),
        ["PutUserPolicy"] = client => client.PutInlinePolicyAsync(IamPrincipal.User("alice"), "inline", Document),
        ["PutGroupPolicy"] = client => client.PutInlinePolicyAsync(IamPrincipal.Group("devs"), "inline", Document),
        ["DeleteRolePolicy"] = client => client.DeleteInlinePolicyAsync(IamPrincipal.Role("app"), "inline"),
        ["DeleteUserPolicy"] = client => client.DeleteInlinePolicyAsync(IamPrincipal.User("alice"), "inline"),
        ["DeleteGroupPolicy"] = client => client.DeleteInlinePolicyAsync(IamPrincipal.Group("devs"), "inline"),
        ["AttachRolePolicy"] = client => client.AttachPolicyAsync(IamPrincipal.Role("app"), PolicyArn),
        ["AttachUserPolicy"] = client => client.AttachPolicyAsync(IamPrincipal.User("alice"), PolicyArn),
        ["AttachGroupPolicy"] = client => client.AttachPolicyAsync(IamPrincipal.Group("devs"), PolicyArn),
        ["DetachRolePolicy"] = client => client.DetachPolicyAsync(IamPrincipal.Role("app"), PolicyArn),
        ["DetachUserPolicy"] = client => client.DetachPolicyAsync(IamPrincipal.User("alice"), PolicyArn),
        ["DetachGroupPolicy"] = client => client.DetachPolicyAsync(IamPrincipal.Group("devs"), PolicyArn),
        ["ListAttachedRolePolicies"] = client => client.ListAttachedRolePoliciesAsync("app"),
        ["ListRolePolicies"] = client => client.ListRolePoliciesAsync("app"),
        ["UpdateAssumeRolePolicy"] = client => client.UpdateAssumeRolePolicyAsync("app", Document),
        ["PutRolePermissionsBoundary"] = client => client.PutPermissionsBoundaryAsync(IamPrincipal.Role("app"), PolicyArn),
        ["PutUserPermissionsBoundary"] = client => client.PutPermissionsBoundaryAsync(IamPrincipal.User("alice"), PolicyArn),
        ["TagRole"] = client => client.TagRoleAsync("app", Tags),
        ["TagUser"] = client => client.TagUserAsync("alice", Tags),
        ["TagPolicy"] = client => client.TagPolicyAsync(PolicyArn, Tags),
        ["ListRoleTags"] = client => client.ListRoleTagsAsync("app"),
        ["ListUserTags"] = client => client.ListUserTagsAsync("alice"),
        ["GetUser"] = client => client.GetUserAsync("alice"),
        ["ListAttachedUserPolicies"] = client => client.ListAttachedPoliciesAsync(IamPrincipal.User("alice")),
        ["ListAttachedGroupPolicies"] = client => client.ListAttachedPoliciesAsync(IamPrincipal.Group("devs")),
        ["DeleteRolePermissionsBoundary"] = client => client.DeletePermissionsBoundaryAsync(IamPrincipal.Role("app")),
        ["DeleteUserPermissionsBoundary"] = client => client.DeletePermissionsBoundaryAsync(IamPrincipal.User("alice")),
        ["UntagRole"] = client => client.UntagRoleAsync("app", ["owner", "remediator:exempt"]),
        ["UntagUser"] = client => client.UntagUserAsync("alice", ["owner"]),
        ["UntagPolicy"] = client => client.UntagPolicyAsync(PolicyArn, ["owner"]),
        ["CreateRole"] = client => client.CreateRoleAsync("app", Document),
        ["CreateUser"] = client => client.CreateUserAsync("alice"),
        ["CreateGroup"] = client => client.CreateGroupAsync("devs"),
        ["CreatePolicy"] = client => client.CreatePolicyAsync("app-policy", Document),
        ["CreateAccessKey"] = client => client.CreateAccessKeyAsync("alice"),
        ["AddUserToGroup"] = client => client.AddUserToGroupAsync("devs", "alice"),
        ["ListUserPolicies"] = client => client.ListInlinePolicyNamesAsync(IamPrincipal.User("alice")),
        ["ListGroupPolicies"] = client => client.ListInlinePolicyNamesAsync(IamPrincipal.Group("devs")),
        ["ListGroupsForUser"] = client => client.ListGroupsForUserAsync("alice"),
    };

    public static TheoryData<string> Operations => new(Calls.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public async Task Request_matches_the_botocore_model(string operation)
    {
        var handler = new RecordingHandler();
        using var client = new IamClient(TestAws.Options(), TestAws.Settings(handler));

        await Calls[operation](client);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("iam.amazonaws.com", request.Uri.Host);
        ModelContract.AssertMatches(BotocoreModel.Load("iam"), operation, request, signingRegion: "us-east-1");
    }

    [Fact]
    public void Every_operation_of_the_client_is_checked_against_the_model()
    {
        Assert.Equal(IamOperations.All.Select(operation => operation.Name).Order(), Calls.Keys.Order());
        foreach (var operation in IamOperations.All)
        {
            ModelContract.AssertDescriptor(BotocoreModel.Load("iam"), operation, "iam");
        }
    }

    [Fact]
    public async Task Role_policy_document_is_sent_rfc3986_encoded_and_intact()
    {
        var handler = new RecordingHandler();
        using var client = new IamClient(TestAws.Options(), TestAws.Settings(handler));
        const string document = """{"Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::a+b c/*"}]}""";

        await client.PutInlinePolicyAsync(IamPrincipal.Role("app"), "inline", document);

        var body = Assert.Single(handler.Requests).Body;
        var encoded = body.Split('&').Single(pair => pair.StartsWith("PolicyDocument=", StringComparison.Ordinal))["PolicyDocument=".Length..];
        Assert.DoesNotContain('+', encoded);
        Assert.Equal(document, Uri.UnescapeDataString(encoded));
    }
}
