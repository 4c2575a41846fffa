using System.Text.Json.Nodes;
using Remediator.Core;
using Remediator.Core.Ports;
using Remediator.Detectors.Tables;
using Remediator.Detectors.Tests.Actions;

namespace Remediator.Detectors.Tests.Tables;

public sealed class TableEncryptionDetectorTests
{
    private static readonly Remediator.Core.Registry.DetectorDescriptor Descriptor = TableEncryptionDetector.Descriptor;
    private const string CreateWithoutSse = "cloudtrail/dynamodb/CreateTable__1.json";
    private const string UpdateWithoutSse = "cloudtrail/dynamodb/UpdateTable__1.json";
    private const string CreateAwsManaged = "synthetic/dynamodb/CreateTable_sse_kms_aws_managed_key.json";
    private const string CreateDisabled = "synthetic/dynamodb/CreateTable_sse_enabled_false.json";
    private const string CreateCustomerKey = "synthetic/dynamodb/CreateTable_sse_customer_key.json";
    private const string UpdateDisabled = "synthetic/dynamodb/UpdateTable_sse_enabled_false.json";
    private const string CustomerKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private const string OtherKeyArn = "arn:aws:kms:eu-west-1:111122223333:key/ffffffff-0000-4000-8000-000000000000";

    private static object Options(params (string, object?)[] values) => DetectorHarness.Bind(Descriptor, values);

    private static string[] List(params string[] items) => items;

    [Fact]
    public async Task Real_CreateTable_without_sSESpecification_uses_the_AWS_owned_key_and_is_reverted_to_KMS()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutSse));

        Assert.Equal(TableEncryptionDetector.CheckAwsOwnedKey, finding.Check);
        Assert.Equal(Concerns.UnencryptedTable, finding.Concern);
        Assert.Equal("arn:aws:dynamodb:ap-northeast-2:000000000000:table/ct-watcher-test", finding.Resource);
        Assert.Equal("AWS::DynamoDB::Table", finding.ResourceType);
        var step = Assert.Single(finding.RevertSteps);
        Assert.Equal("dynamodb:UpdateTable", step.Operation);
        Assert.Equal("ct-watcher-test", (string?)step.Parameters["TableName"]);
        var sse = step.Parameters["SSESpecification"]!.AsObject();
        Assert.True((bool)sse["Enabled"]!);
        Assert.Equal("KMS", (string?)sse["SSEType"]);
        Assert.Equal("alias/aws/dynamodb", (string?)sse["KMSMasterKeyId"]);
        Assert.False((bool)step.Parameters["PreviousSSESpecification"]!["Enabled"]!);
        Assert.Equal(["dynamodb:UpdateTable", "kms:DescribeKey", "kms:CreateGrant"], step.Permissions);
    }

    [Fact]
    public async Task Real_UpdateTable_without_sSESpecification_changes_no_encryption()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, UpdateWithoutSse));
    }

    [Fact]
    public async Task KMS_with_the_AWS_managed_key_passes_by_default()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, CreateAwsManaged));
    }

    [Fact]
    public async Task KMS_with_the_AWS_managed_key_is_flagged_when_a_customer_managed_key_is_required()
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(
            Descriptor, CreateAwsManaged, Options(("requireCustomerManagedKey", true), ("kmsKeyId", CustomerKeyArn))));

        Assert.Equal(TableEncryptionDetector.CheckAwsManagedKey, finding.Check);
        Assert.Equal(CustomerKeyArn, (string?)finding.RevertSteps[0].Parameters["SSESpecification"]!["KMSMasterKeyId"]);
        Assert.Equal("alias/aws/dynamodb", (string?)finding.RevertSteps[0].Parameters["PreviousSSESpecification"]!["KMSMasterKeyId"]);
    }

    [Theory]
    [InlineData(CreateDisabled)]
    [InlineData(UpdateDisabled)]
    public async Task Enabled_false_means_the_AWS_owned_key(string fixture)
    {
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, fixture));

        Assert.Equal(TableEncryptionDetector.CheckAwsOwnedKey, finding.Check);
        Assert.StartsWith("arn:aws:dynamodb:eu-west-1:111122223333:table/", finding.Resource, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_managed_key_passes_when_one_is_required()
    {
        Assert.Empty(await DetectorHarness.DetectAsync(
            Descriptor, CreateCustomerKey, Options(("requireCustomerManagedKey", true), ("kmsKeyId", CustomerKeyArn))));
    }

    [Theory]
    [InlineData("1234abcd-12ab-34cd-56ef-1234567890ab", false)]
    [InlineData(CustomerKeyArn, false)]
    [InlineData(OtherKeyArn, true)]
    [InlineData("alias/payments", true)]
    public async Task Allowed_keys_match_by_id_or_arn(string allowed, bool expectFinding)
    {
        var findings = await DetectorHarness.DetectAsync(
            Descriptor, CreateCustomerKey, Options(("allowedKeys", List(allowed)), ("kmsKeyId", allowed)));

        Assert.Equal(expectFinding, findings.Count == 1);
        if (expectFinding)
        {
            Assert.Equal(TableEncryptionDetector.CheckKeyNotAllowed, findings[0].Check);
        }
    }

    [Fact]
    public async Task A_non_KMS_sse_type_is_flagged()
    {
        var ev = DetectorHarness.Parse("""
            {"eventSource":"dynamodb.amazonaws.com","eventName":"UpdateTable","requestParameters":{"tableName":"t","SSESpecification":{"Enabled":true,"SSEType":"AES256"}}}
            """);

        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, ev));

        Assert.Equal(TableEncryptionDetector.CheckNotKms, finding.Check);
        Assert.Equal("t", finding.Resource);
    }

    [Theory]
    [InlineData("""{"tableName":"t","sSESpecification":"null"}""", "UpdateTable", null)]
    [InlineData("""{"tableName":"t","sSESpecification":{"enabled":"false"}}""", "UpdateTable", TableEncryptionDetector.CheckAwsOwnedKey)]
    [InlineData("""{"tableName":"t","sSESpecification":{"enabled":"true","sSEType":"KMS"}}""", "UpdateTable", null)]
    [InlineData("""{"tableName":"t","sSESpecification":[1,2]}""", "CreateTable", TableEncryptionDetector.CheckAwsOwnedKey)]
    [InlineData("""{"tableName":{"x":1}}""", "CreateTable", null)]
    [InlineData("""null""", "CreateTable", null)]
    [InlineData("""{"tableName":"t"}""", "DeleteTable", null)]
    public async Task Odd_requests_never_throw(string requestParameters, string eventName, string? expectedCheck)
    {
        var ev = DetectorHarness.Parse($$"""
            {"eventSource":"dynamodb.amazonaws.com","eventName":"{{eventName}}","responseElements":"null","requestParameters":{{requestParameters}}}
            """);

        Assert.Equal(expectedCheck, (await DetectorHarness.DetectAsync(Descriptor, ev)).SingleOrDefault()?.Check);
    }

    [Fact]
    public async Task The_current_encryption_read_through_the_port_is_judged_instead_of_the_event()
    {
        var encrypted = new FixedEncryptionPort(new TableEncryptionState("ENABLED", "KMS", CustomerKeyArn, false));
        var owned = new FixedEncryptionPort(TableEncryptionState.AwsOwnedKey);

        Assert.Empty(await DetectorHarness.DetectAsync(Descriptor, CreateWithoutSse, ports: DetectorHarness.Ports(dynamoDb: encrypted)));
        var finding = Assert.Single(await DetectorHarness.DetectAsync(Descriptor, CreateCustomerKey, ports: DetectorHarness.Ports(dynamoDb: owned)));
        Assert.Equal(TableEncryptionDetector.CheckAwsOwnedKey, finding.Check);
        Assert.Equal("payments", owned.AskedFor);
    }

    [Fact]
    public async Task The_port_telling_a_key_ARN_is_AWS_managed_is_believed()
    {
        var managed = new FixedEncryptionPort(new TableEncryptionState("ENABLED", "KMS", OtherKeyArn, KeyIsAwsManaged: true));

        var finding = Assert.Single(await DetectorHarness.DetectAsync(
            Descriptor, CreateCustomerKey, Options(("requireCustomerManagedKey", true), ("kmsKeyId", CustomerKeyArn)), DetectorHarness.Ports(dynamoDb: managed)));

        Assert.Equal(TableEncryptionDetector.CheckAwsManagedKey, finding.Check);
    }

    [Fact]
    public void Options_have_the_documented_defaults()
    {
        var options = Assert.IsType<TableEncryptionOptions>(DetectorHarness.Bind(Descriptor));

        Assert.False(options.RequireCustomerManagedKey);
        Assert.Empty(options.AllowedKeys);
        Assert.Equal("alias/aws/dynamodb", options.KmsKeyId);
        Assert.Equal(["requireCustomerManagedKey", "allowedKeys", "kmsKeyId"], Descriptor.Options.Select(o => o.Name));
    }

    [Fact]
    public void Requiring_a_customer_managed_key_while_reverting_to_the_AWS_managed_one_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, ("requireCustomerManagedKey", true)));

        Assert.Contains("kmsKeyId", error.Message, StringComparison.Ordinal);
        Assert.Contains("customer-managed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_revert_key_outside_the_allowed_keys_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => DetectorHarness.Bind(Descriptor, ("allowedKeys", List(CustomerKeyArn))));

        Assert.Contains("allowedKeys", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registered_under_its_name_and_concern()
    {
        var registry = new Remediator.Core.Registry.ElementRegistry().AddTableDetectors();

        Assert.True(registry.TryGetDetector("table-encryption", out var descriptor));
        Assert.Equal(Concerns.UnencryptedTable, descriptor.Concern);
    }

    private sealed class FixedEncryptionPort(TableEncryptionState state) : IDynamoDbStatePort
    {
        public string? AskedFor { get; private set; }

        public ValueTask<TableEncryptionState?> GetEncryptionAsync(string tableName, CancellationToken cancellationToken)
        {
            AskedFor = tableName;
            return ValueTask.FromResult<TableEncryptionState?>(state);
        }
    }
}
