using System.Text.Json.Nodes;
using Remediator.Aws.Audit;
using Remediator.Testing;

namespace Remediator.Cli.Tests;

/// <summary>serverless.template itself: what a reviewer of a guard with write access to IAM must be able to rely on.</summary>
public sealed class TemplateStructureTests
{
    private static readonly JsonObject Template = (JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot("serverless.template")))!;

    private static readonly string[] FunctionNames = ["IamGuardFunction", "EventBusGuardFunction", "TimeoutGuardFunction", "TableGuardFunction", "NotifierFunction"];

    private static JsonObject Resources => (JsonObject)Template[nameof(Resources)]!;

    public static TheoryData<string> Functions() => new(FunctionNames);

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_function_is_bounded_and_has_a_failure_destination(string logicalId)
    {
        var properties = Properties(logicalId);

        Assert.Equal("AWS::Serverless::Function", Resources[logicalId]!["Type"]!.GetValue<string>());
        Assert.Equal("provided.al2023", properties["Runtime"]!.GetValue<string>());
        Assert.Equal("bootstrap", properties["Handler"]!.GetValue<string>());
        Assert.Equal("Architecture", properties["Architectures"]![0]!["Ref"]!.GetValue<string>());
        Assert.InRange(properties["Timeout"]!.GetValue<int>(), 1, 60); // the project's own lambda-timeout rule allows 60 s
        Assert.Equal(128, properties["MemorySize"]!.GetValue<int>());
        Assert.InRange(properties["ReservedConcurrentExecutions"]!.GetValue<int>(), 1, 10);
        var onFailure = properties["EventInvokeConfig"]!["DestinationConfig"]!["OnFailure"]!;
        Assert.Equal("SQS", onFailure["Type"]!.GetValue<string>());
        Assert.Equal("GuardFailureQueue", onFailure["Destination"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.StartsWith("deploy/artifacts/lambda/Remediator.Functions.", properties["CodeUri"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_function_has_its_own_role()
    {
        var roles = FunctionNames.Select(f => Properties(f)["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>()).ToList();

        Assert.Equal(roles.Count, roles.Distinct(StringComparer.Ordinal).Count());
        Assert.All(roles, role => Assert.Equal("AWS::IAM::Role", Resources[role]!["Type"]!.GetValue<string>()));
    }

    [Fact]
    public void The_failure_queue_is_encrypted_with_the_guard_key()
    {
        Assert.Equal("GuardKey", Properties("GuardFailureQueue")["KmsMasterKeyId"]!["Ref"]!.GetValue<string>());
        Assert.True(Properties("GuardKey")["EnableKeyRotation"]!.GetValue<bool>());
    }

    [Fact]
    public void A_message_in_the_failure_queue_raises_an_alarm_that_reaches_the_alarm_topic()
    {
        var alarm = Properties("FailureQueueAlarm");

        Assert.Equal(("AWS/SQS", "ApproximateNumberOfMessagesVisible"), (alarm["Namespace"]!.GetValue<string>(), alarm["MetricName"]!.GetValue<string>()));
        Assert.Equal("GuardFailureQueue", alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal(("GreaterThanThreshold", 0), (alarm["ComparisonOperator"]!.GetValue<string>(), alarm["Threshold"]!.GetValue<int>()));
        Assert.Equal("AlarmTopic", alarm["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Every_function_has_an_errors_alarm_on_the_alarm_topic(string logicalId)
    {
        var alarms = Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::CloudWatch::Alarm")
            .Select(r => r.Value!["Properties"]!)
            .Where(a => a["MetricName"]!.GetValue<string>() == "Errors" && a["Dimensions"]![0]!["Value"]!["Ref"]?.GetValue<string>() == logicalId)
            .ToList();

        var alarm = Assert.Single(alarms);
        Assert.Equal("AWS/Lambda", alarm["Namespace"]!.GetValue<string>());
        Assert.Equal("AlarmTopic", alarm["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
        // A guard that exists only in us-east-1 has an alarm only there too.
        Assert.Equal(Resources[logicalId]!["Condition"]?.GetValue<string>(), Resources.Single(r => r.Value!["Properties"] == alarm).Value!["Condition"]?.GetValue<string>());
    }

    [Fact]
    public void The_alarm_topic_is_encrypted_and_delivered_to_the_notifier_which_may_be_invoked_by_it_only()
    {
        Assert.Equal("GuardKey", Properties("AlarmTopic")["KmsMasterKeyId"]!["Ref"]!.GetValue<string>());
        var subscription = Properties("AlarmTopicToNotifier");
        Assert.Equal(("lambda", "NotifierFunction"), (subscription["Protocol"]!.GetValue<string>(), subscription["Endpoint"]!["Fn::GetAtt"]![0]!.GetValue<string>()));
        var permission = Properties("AlarmTopicInvokesNotifier");
        Assert.Equal(("sns.amazonaws.com", "AlarmTopic"), (permission["Principal"]!.GetValue<string>(), permission["SourceArn"]!["Fn::GetAtt"]![0]!.GetValue<string>()));
        var keyUsers = Properties("GuardKey")["KeyPolicy"]!["Statement"]!.AsArray().Select(s => s!["Principal"]!["Service"]?.GetValue<string>());
        Assert.Contains("cloudwatch.amazonaws.com", keyUsers);
    }

    [Fact]
    public void No_role_allows_a_wildcard_action_or_a_service_wildcard()
    {
        foreach (var (logicalId, action) in RoleActions(allowOnly: false))
        {
            Assert.False(action == "*" || action.EndsWith(":*", StringComparison.Ordinal) || action.Contains('*', StringComparison.Ordinal),
                $"{logicalId} grants '{action}'");
        }
    }

    [Fact]
    public void Only_the_precise_inline_policy_reverts_delete_anything()
    {
        // The always-on roles (guards, sweep) delete only the precise offending inline policy (and the SQS messages
        // they consumed); removing a quarantine boundary lifts a containment, so only the approval worker, after a
        // verified human decision, may do it.
        List<string> Deletes(Func<string, bool> role) => RoleActions(allowOnly: true).Where(a => role(a.Role)).Select(a => a.Action)
            .Where(a => a.Contains(":Delete", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["iam:DeleteGroupPolicy", "iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "sqs:DeleteMessage"], Deletes(r => r != "ApprovalWorkerRole"));
        Assert.Equal(
            ["iam:DeleteGroupPolicy", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRolePolicy", "iam:DeleteUserPermissionsBoundary", "iam:DeleteUserPolicy", "sqs:DeleteMessage"],
            Deletes(r => r == "ApprovalWorkerRole"));
    }

    [Theory]
    [InlineData("IamGuardRole", "iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyVersions", "iam:ListRoleTags", "iam:ListUserTags", "iam:DeleteRolePolicy", "iam:DetachRolePolicy", "iam:SetDefaultPolicyVersion", "iam:AttachRolePolicy")]
    [InlineData("EventBusGuardRole", "events:DescribeEventBus", "events:ListTagsForResource", "events:RemovePermission")]
    [InlineData("TimeoutGuardRole", "lambda:GetFunctionConfiguration", "lambda:ListTags", "lambda:UpdateFunctionConfiguration", "apigateway:GET", "apigateway:PATCH", "apigateway:POST")]
    [InlineData("TableGuardRole", "dynamodb:DescribeTable", "dynamodb:ListTagsOfResource", "dynamodb:UpdateTable", "kms:DescribeKey", "kms:CreateGrant")]
    [InlineData("NotifierRole", "ssm:GetParameter", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream")]
    public void Each_role_grants_what_its_functions_code_calls(string role, params string[] expected)
    {
        var granted = RoleActions(allowOnly: true).Where(a => a.Role == role).Select(a => a.Action).ToHashSet(StringComparer.Ordinal);

        Assert.All(expected, action => Assert.Contains(action, granted));
        Assert.All(["sqs:SendMessage", "logs:CreateLogStream", "logs:PutLogEvents"], action => Assert.Contains(action, granted));
        if (role != "NotifierRole")
        {
            Assert.All(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:Query"], action => Assert.Contains(action, granted));
        }
        else
        {
            Assert.DoesNotContain("dynamodb:PutItem", granted); // the notifier only reads the stream
        }
    }

    [Fact]
    public void Quarantine_can_attach_only_the_deny_policy()
    {
        var statements = Statements("IamGuardRole").Where(s => s["Effect"]!.GetValue<string>() == "Allow" && Actions(s).Any(a => a.StartsWith("iam:Attach", StringComparison.Ordinal))).ToList();

        var statement = Assert.Single(statements);
        Assert.Contains("AWSDenyAll", statement["Condition"]!["ArnEquals"]!["iam:PolicyARN"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_iam_guard_and_its_rule_exist_only_in_us_east_1()
    {
        foreach (var logicalId in new[] { "IamGuardFunction", "IamGuardRole", "IamGuardRule", "IamGuardInvokePermission", "IamGuardLogGroup" })
        {
            Assert.Equal("IsUsEast1", Resources[logicalId]!["Condition"]!.GetValue<string>());
        }

        Assert.Null(Resources["TableGuardFunction"]!["Condition"]);
    }

    [Fact]
    public void The_audit_table_mirrors_its_definition_and_is_encrypted_recoverable_streamed_and_expiring()
    {
        var table = Properties("AuditTable");
        var definition = AuditTableDefinition.CreateTableRequest("audit");

        Assert.Equal(
            definition.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"),
            table["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"));
        Assert.Equal(
            definition.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}").Order(),
            table["AttributeDefinitions"]!.AsArray().Select(a => $"{a!["AttributeName"]}:{a["AttributeType"]}").Order());
        Assert.Equal(
            definition.GlobalSecondaryIndexes.Select(i => $"{i.IndexName}({string.Join(',', i.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"))}){i.Projection.ProjectionType.Value}"),
            table["GlobalSecondaryIndexes"]!.AsArray().Select(i => $"{i!["IndexName"]}({string.Join(',', i["KeySchema"]!.AsArray().Select(k => $"{k!["AttributeName"]}:{k["KeyType"]}"))}){i["Projection"]!["ProjectionType"]}"));
        Assert.Equal(definition.BillingMode.Value, table["BillingMode"]!.GetValue<string>());

        Assert.True(table["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>());
        Assert.Equal("KMS", table["SSESpecification"]!["SSEType"]!.GetValue<string>());
        Assert.Equal("GuardKey", table["SSESpecification"]!["KMSMasterKeyId"]!["Ref"]!.GetValue<string>());
        Assert.True(table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
        Assert.Equal("NEW_AND_OLD_IMAGES", table["StreamSpecification"]!["StreamViewType"]!.GetValue<string>());
        Assert.Equal(AuditTableDefinition.TimeToLiveAttribute, table["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
        Assert.True(table["TimeToLiveSpecification"]!["Enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Every_concern_has_a_marked_rule_that_targets_its_function_with_a_scoped_permission()
    {
        foreach (var (rule, function) in new[] { ("IamGuardRule", "IamGuardFunction"), ("EventBusGuardRule", "EventBusGuardFunction"), ("TimeoutGuardRule", "TimeoutGuardFunction"), ("TableGuardRule", "TableGuardFunction") })
        {
            Assert.NotNull(Resources[rule]!["Metadata"]!["Remediator"]!["Concern"]);
            Assert.Equal("default", Properties(rule)["EventBusName"]!.GetValue<string>());
            Assert.Equal(function, Properties(rule)["Targets"]![0]!["Arn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
            var permission = Resources.Select(r => r.Value as JsonObject)
                .Single(r => r!["Type"]!.GetValue<string>() == "AWS::Lambda::Permission" && (r["Properties"]!["SourceArn"] as JsonObject)?["Fn::GetAtt"]?[0]?.GetValue<string>() == rule)!;
            Assert.Equal(function, permission["Properties"]!["FunctionName"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public void Only_the_notifier_knows_where_the_webhook_is_and_reads_exactly_that_parameter()
    {
        foreach (var function in FunctionNames)
        {
            var variables = (JsonObject)Properties(function)["Environment"]!["Variables"]!;
            Assert.Equal(function == "NotifierFunction", variables.ContainsKey("REMEDIATOR_SLACK_PARAMETER"));
            Assert.True(variables.ContainsKey("REMEDIATOR_OWN_PRINCIPALS"), function);
        }

        var ssm = Statements("NotifierRole").Single(s => Actions(s).Contains("ssm:GetParameter"));
        Assert.Contains("parameter${SlackWebhookParameterName}", ssm["Resource"]!.ToJsonString(), StringComparison.Ordinal);
        var decrypt = Statements("NotifierRole").Single(s => Actions(s).Contains("kms:Decrypt") && s["Condition"]!["StringEquals"]!["kms:ViaService"]!.ToJsonString().Contains("ssm.", StringComparison.Ordinal));
        Assert.NotNull(decrypt["Condition"]!["StringEquals"]!["kms:EncryptionContext:PARAMETER_ARN"]);
    }

    [Fact]
    public void Every_function_whose_role_can_change_a_resource_knows_its_own_account()
    {
        // Most remediation calls name their resource by name: a function that knows its account refuses to change
        // another account's resource (it would change this account's namesake).
        var changing = Remediator.Operations.OperationCatalogue.All.SelectMany(o => o.Permissions).ToHashSet(StringComparer.Ordinal);
        var functions = Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Serverless::Function").Select(r => r.Key).ToList();
        var actors = functions.Where(f => Properties(f)["Role"]?["Fn::GetAtt"]?[0]?.GetValue<string>() is { } role
            && Statements(role).Any(s => s["Effect"]!.GetValue<string>() == "Allow" && Actions(s).Any(changing.Contains))).ToList();

        Assert.Equal(["ApprovalWorkerFunction", "EventBusGuardFunction", "IamGuardFunction", "SweepFunction", "TableGuardFunction", "TimeoutGuardFunction"], actors.Order(StringComparer.Ordinal));
        Assert.All(actors, function =>
            Assert.Equal("AWS::AccountId", Properties(function)["Environment"]!["Variables"]!["REMEDIATOR_ACCOUNT_ID"]?["Ref"]?.GetValue<string>()));
    }

    [Theory]
    [InlineData("serverless.template")]
    [InlineData("deploy/organization.template")]
    public void Every_role_that_may_set_a_timeout_is_denied_adding_a_layer(string path)
    {
        // UpdateFunctionConfiguration on every function is what the timeout revert needs, and it would also let a
        // compromised guard attach a layer (code) to any function. The revert sends Timeout alone, so lambda:Layer is
        // absent from its requests and the Deny never stands in its way.
        var template = (JsonObject)JsonNode.Parse(File.ReadAllText(RepositoryPaths.InRoot(path.Split('/'))))!;
        var roles = ((JsonObject)template[nameof(Resources)]!).Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::IAM::Role").ToList();
        var updaters = 0;
        foreach (var (name, role) in roles)
        {
            var statements = (role!["Properties"]!["Policies"]?.AsArray() ?? []).SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Cast<JsonObject>().ToList();
            if (!statements.Any(s => s["Effect"]!.GetValue<string>() == "Allow" && Actions(s).Contains("lambda:UpdateFunctionConfiguration")))
            {
                continue;
            }

            updaters++;
            var deny = statements.SingleOrDefault(s => s["Effect"]!.GetValue<string>() == "Deny" && s["Condition"]?["Null"]?["lambda:Layer"]?.GetValue<string>() == "false");
            Assert.True(deny is not null, $"{path}: {name} may update function configurations without a Deny on lambda:Layer");
            Assert.Equal(["lambda:UpdateFunctionConfiguration"], Actions(deny));
            Assert.EndsWith(":function:*", deny["Resource"]![0]!["Fn::Sub"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(path == "serverless.template" ? 3 : 1, updaters);
    }

    private static JsonObject Properties(string logicalId) => (JsonObject)Resources[logicalId]!["Properties"]!;

    private static IEnumerable<JsonObject> Statements(string role) =>
        Properties(role)["Policies"]!.AsArray().SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray()).Cast<JsonObject>();

    private static List<string> Actions(JsonObject statement) =>
        statement["Action"] switch
        {
            JsonArray list => list.Select(a => a!.GetValue<string>()).ToList(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };

    private static IEnumerable<(string Role, string Action)> RoleActions(bool allowOnly) =>
        Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::IAM::Role")
            .SelectMany(r => Statements(r.Key)
                .Where(s => !allowOnly || s["Effect"]!.GetValue<string>() == "Allow")
                .SelectMany(s => Actions(s).Select(a => (r.Key, a))));
}
