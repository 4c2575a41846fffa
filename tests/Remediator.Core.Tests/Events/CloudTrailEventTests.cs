namespace Remediator.Core.Tests.Events;

/// <summary>What a read event exposes, on real records with the format's traps (NOTES.md §3, §6, §7).</summary>
public sealed class CloudTrailEventTests
{
    private static CloudTrailEvent Read(string relative) =>
        Assert.IsType<EventRead>(Assert.Single(Fixtures.ReadAll(Fixtures.Real(relative)))).Event;

    [Theory]
    [InlineData("sts/AssumeRole__1.json", "AccessDenied")]
    [InlineData("ec2/GetPasswordData__1.json", "Client.UnauthorizedOperation")]
    [InlineData("iam/AttachRolePolicy__2.json", "NoSuchEntity")]
    [InlineData("cloudtrail/UpdateTrail__1.json", "TrailNotFoundException")]
    [InlineData("health/DescribeEventAggregates__1.json", "AccessDenied")]
    public void Records_with_an_error_code_are_failed_calls(string relative, string code)
    {
        var e = Read(relative);

        Assert.True(e.IsFailedCall);
        Assert.Equal(code, e.ErrorCode);
    }

    [Theory]
    [InlineData("iam/CreateRole__1.json")]
    [InlineData("iam/TagRole__1.json")]
    public void Successful_calls_are_not_failed(string relative) => Assert.False(Read(relative).IsFailedCall);

    [Theory]
    [InlineData("iam/PutUserPolicy__3.json")] // JSON null
    [InlineData("sts/GetCallerIdentity__1.json")] // JSON null, parameterless call
    [InlineData("signin/ConsoleLogin__2.json")] // the string "null" (type-mangled test data)
    public void Null_request_parameters_in_either_spelling_are_undefined(string relative) =>
        Assert.Equal(JsonValueKind.Undefined, Read(relative).RequestParameters.ValueKind);

    [Fact]
    public void Present_request_parameters_are_the_object_as_recorded()
    {
        var e = Read("eventbridge/PutRule__1.json");

        Assert.Equal(JsonValueKind.Object, e.RequestParameters.ValueKind);
        Assert.Equal(JsonValueKind.String, e.RequestParameters.GetProperty("eventPattern").ValueKind);
    }

    [Theory]
    [InlineData("lambda/CreateFunction20150331__1.json", "CreateFunction20150331", "CreateFunction")]
    [InlineData("lambda/UpdateFunctionConfiguration20150331v2__1.json", "UpdateFunctionConfiguration20150331v2", "UpdateFunctionConfiguration")]
    [InlineData("lambda/AddPermission20150331__1.json", "AddPermission20150331", "AddPermission")]
    [InlineData("lambda/AddPermission20150331v2__1.json", "AddPermission20150331v2", "AddPermission")]
    [InlineData("lambda/GetFunction__1.json", "GetFunction", "GetFunction")]
    [InlineData("dynamodb/CreateTable__1.json", "CreateTable", "CreateTable")]
    public void Lambda_versioned_event_names_have_a_plain_operation_name(string relative, string eventName, string operation)
    {
        var e = Read(relative);

        Assert.Equal(eventName, e.EventName);
        Assert.Equal(operation, e.OperationName);
    }

    [Theory]
    [InlineData("CreateFunction20150331", "CreateFunction")]
    [InlineData("UpdateFunctionCode20150331v2", "UpdateFunctionCode")]
    [InlineData("RemovePermission20150331v12", "RemovePermission")]
    [InlineData("RemovePermission", "RemovePermission")]
    [InlineData("", "")]
    [InlineData("20150331", "20150331")] // nothing left before the date: not a suffix
    [InlineData("v20150331", "v20150331")]
    [InlineData("Create2015033", "Create2015033")] // seven digits
    [InlineData("Create201503311", "Create201503311")] // nine digits
    [InlineData("Create20150331v", "Create20150331v")] // 'v' without a number
    [InlineData("Createv2", "Createv2")] // a version without a date
    [InlineData("PutRule", "PutRule")]
    [InlineData("S3Get20150331v2", "S3Get")]
    public void Strip_api_version_edge_cases(string eventName, string expected) =>
        Assert.Equal(expected, CloudTrailEvent.StripApiVersion(eventName));

    [Fact]
    public void Only_event_source_and_name_are_required()
    {
        var e = EventReader.ParseOne("""{"eventSource":"iam.amazonaws.com","eventName":"CreateRole"}""");

        Assert.Null(e.EventId);
        Assert.Null(e.EventTime);
        Assert.Null(e.AwsRegion);
        Assert.Null(e.RecipientAccountId);
        Assert.Same(UserIdentity.None, e.Identity);
        Assert.Equal(JsonValueKind.Undefined, e.ResponseElements.ValueKind);
        Assert.False(e.IsFailedCall);
    }

    [Fact]
    public void An_aws_service_identity_has_no_arn_or_account()
    {
        var e = Read("sts/AssumeRole__2.json");

        Assert.Equal("AWSService", e.Identity.Type);
        Assert.Equal("lambda.amazonaws.com", e.Identity.InvokedBy);
        Assert.Null(e.Identity.Arn);
        Assert.Null(e.Identity.AccountId);
        Assert.Null(e.Identity.PrincipalArn);
    }

    [Fact]
    public void Panther_normalised_event_time_without_t_or_z_still_parses_as_utc()
    {
        var e = Read("sts/AssumeRole__2.json");

        Assert.Equal(new DateTimeOffset(2024, 6, 2, 20, 27, 12, TimeSpan.Zero), e.EventTime);
    }

    [Fact]
    public void Envelope_region_and_account_fill_in_for_a_record_without_them()
    {
        var e = EventReader.ParseOne("""
            {"detail-type":"AWS API Call via CloudTrail","id":"env","account":"111122223333","region":"eu-west-1",
             "detail":{"eventSource":"events.amazonaws.com","eventName":"PutRule"}}
            """);

        Assert.Equal("eu-west-1", e.AwsRegion);
        Assert.Equal("111122223333", e.RecipientAccountId);
        Assert.Null(e.EventId);
    }
}
