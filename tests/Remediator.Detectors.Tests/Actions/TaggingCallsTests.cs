using Remediator.Detectors.Actions;

namespace Remediator.Detectors.Tests.Actions;

public sealed class TaggingCallsTests
{
    [Fact]
    public void Iam_role_is_tagged_by_name_without_its_path()
    {
        var step = TaggingCalls.For("AWS::IAM::Role", "arn:aws:iam::111122223333:role/service/deployer", "k", "v");

        Assert.NotNull(step);
        Assert.Equal("tag", step.Action);
        Assert.Equal("iam:TagRole", step.Operation);
        Assert.Equal("deployer", (string?)step.Parameters["RoleName"]);
        var tag = Assert.Single(step.Parameters["Tags"]!.AsArray())!;
        Assert.Equal("k", (string?)tag["Key"]);
        Assert.Equal("v", (string?)tag["Value"]);
        Assert.Equal(["iam:TagRole"], step.Permissions);
    }

    [Fact]
    public void Iam_user_and_policy_use_their_own_calls()
    {
        var user = TaggingCalls.For("AWS::IAM::User", "arn:aws:iam::111122223333:user/alice", "k", "v");
        var policy = TaggingCalls.For("AWS::IAM::ManagedPolicy", "arn:aws:iam::111122223333:policy/Broad", "k", "v");

        Assert.Equal("iam:TagUser", user!.Operation);
        Assert.Equal("alice", (string?)user.Parameters["UserName"]);
        Assert.Equal("iam:TagPolicy", policy!.Operation);
        Assert.Equal("arn:aws:iam::111122223333:policy/Broad", (string?)policy.Parameters["PolicyArn"]);
        Assert.Equal(["iam:TagPolicy"], policy.Permissions);
    }

    [Theory]
    [InlineData("AWS::Events::EventBus", "arn:aws:events:eu-west-1:111122223333:event-bus/orders", "events:TagResource", "ResourceARN")]
    [InlineData("AWS::DynamoDB::Table", "arn:aws:dynamodb:eu-west-1:111122223333:table/orders", "dynamodb:TagResource", "ResourceArn")]
    public void List_style_tagging_calls(string type, string arn, string operation, string arnParameter)
    {
        var step = TaggingCalls.For(type, arn, "k", "v");

        Assert.Equal(operation, step!.Operation);
        Assert.Equal(arn, (string?)step.Parameters[arnParameter]);
        Assert.Equal("v", (string?)step.Parameters["Tags"]![0]!["Value"]);
        Assert.Equal([operation], step.Permissions);
    }

    [Fact]
    public void Lambda_takes_a_tag_map()
    {
        const string arn = "arn:aws:lambda:eu-west-1:111122223333:function:worker";
        var step = TaggingCalls.For("AWS::Lambda::Function", arn, "k", "v");

        Assert.Equal("lambda:TagResource", step!.Operation);
        Assert.Equal(arn, (string?)step.Parameters["Resource"]);
        Assert.Equal("v", (string?)step.Parameters["Tags"]!["k"]);
        Assert.Equal(["lambda:TagResource"], step.Permissions);
    }

    [Theory]
    [InlineData("AWS::ApiGateway::RestApi", "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5", "resourceArn", "tags", "apigateway:PUT")]
    [InlineData("AWS::ApiGatewayV2::Api", "arn:aws:apigateway:eu-west-1::/apis/h7j8k9l0m1", "ResourceArn", "Tags", "apigateway:POST")]
    public void Api_gateway_tags_through_the_tags_endpoint_with_http_verb_permissions(
        string type, string arn, string arnParameter, string tagsParameter, string permission)
    {
        var step = TaggingCalls.For(type, arn, "k", "v");

        Assert.Equal("apigateway:TagResource", step!.Operation);
        Assert.Equal(arn, (string?)step.Parameters[arnParameter]);
        Assert.Equal("v", (string?)step.Parameters[tagsParameter]!["k"]);
        Assert.Equal([permission], step.Permissions);
        Assert.StartsWith("arn:aws:apigateway:eu-west-1::/tags/arn%3Aaws%3Aapigateway", step.Resource, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AWS::S3::Bucket", "arn:aws:s3:::bucket")]
    [InlineData("AWS::IAM::Role", "arn:aws:iam::111122223333:user/alice")]
    [InlineData("AWS::Lambda::Function", "worker")]
    [InlineData("AWS::IAM::Policy", "inline-policy-name")]
    public void Untaggable_types_or_unusable_names_give_no_call(string type, string resource)
    {
        Assert.Null(TaggingCalls.For(type, resource, "k", "v"));
    }
}
