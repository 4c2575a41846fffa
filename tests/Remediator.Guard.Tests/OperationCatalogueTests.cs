using Remediator.Operations;
using Remediator.Aws.State;
using Remediator.Core.Audit;
using Remediator.Core.Execution;
using Remediator.Core.Operations;
using Remediator.Core.Ports;
using Remediator.Core.Registry;
using Remediator.Core.Remediation;
using Remediator.Core.Rules;
using Remediator.Detectors.Actions;
using Remediator.Detectors.Iam;

namespace Remediator.Guard.Tests;

/// <summary>
/// Every step a planner or the undo planner can produce is a catalogue operation whose parameters read and which the
/// AWS executor carries out. The planners can only make AWS steps through a catalogue entry (<see cref="PlannedAction"/>
/// has no public constructor), so the enumeration starts from every planner entry point and every detector's entry,
/// then follows undo (and undo of undo) with each kind of recorded before-state until no new operation appears.
/// </summary>
public sealed class OperationCatalogueTests
{
    private const string Account = "123456789012";
    private const string Doc = """{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}""";
    private const string Deny = "arn:aws:iam::aws:policy/AWSDenyAll";

    /// <summary>The steps the planners produce: quarantine, tagging, IAM reverts, and each detector's revert.</summary>
    private static List<PlannedAction> PlannerSteps()
    {
        var steps = new List<PlannedAction>();
        foreach (var kind in new[] { "role", "user", "group" })
        {
            foreach (var method in new[] { QuarantineOptions.DenyPolicy, QuarantineOptions.PermissionsBoundary })
            {
                steps.Add(QuarantineCalls.For($"arn:aws:iam::{Account}:{kind}/app", new QuarantineOptions(method, Deny))!);
            }
        }

        // Tagging asks the catalogue by resource type: every type a tag family claims, with the ARN shape it takes.
        foreach (var tagging in OperationCatalogue.Taggings)
        {
            foreach (var type in tagging.ResourceTypes)
            {
                steps.Add(TaggingCalls.For(type, tagging.ExampleArn, "remediated", "yes")!);
            }
        }

        foreach (var kind in Enum.GetValues<IamPrincipalKind>())
        {
            steps.Add(IamRevertSteps.InlinePolicy(kind, "app", "p", "arn", Doc, previousDocument: null));
            steps.Add(IamRevertSteps.InlinePolicy(kind, "app", "p", "arn", Doc, previousDocument: Doc));
            steps.Add(IamRevertSteps.Detach(kind, "app", Deny, "arn"));
        }

        steps.Add(IamRevertSteps.SetDefaultVersion($"arn:aws:iam::{Account}:policy/p", "v1", "v2"));
        steps.Add(IamRevertSteps.RestoreTrustPolicy("app", "arn", Doc));
        // The detectors of buses, timeouts and tables plan through these entries (their private factories).
        steps.Add(OperationCatalogue.RemovePermission.Plan(ActionNames.Revert, "bus", "d", new BusPermissionRemoval("default", "public")));
        steps.Add(OperationCatalogue.RemovePermission.Plan(ActionNames.Revert, "bus", "d", new BusPermissionRemoval("default", RemoveAllPermissions: true)));
        steps.Add(OperationCatalogue.PutPermission.Plan(ActionNames.Revert, "bus", "d", new BusPolicyPut("default", Doc)));
        steps.Add(OperationCatalogue.UpdateFunctionConfiguration.Plan(ActionNames.Revert, "f", "d", new FunctionTimeout("f", 30, 900)));
        steps.Add(OperationCatalogue.RestUpdateIntegration.Plan(ActionNames.Revert, "i", "d", RestIntegrationUpdate.Timeout("r1", "res", "GET", 10000, 29000)));
        steps.Add(OperationCatalogue.CreateDeployment.Plan(ActionNames.Revert, "r", "d", new RestDeployment("r1", null)));
        steps.Add(OperationCatalogue.HttpUpdateIntegration.Plan(ActionNames.Revert, "i", "d", new HttpIntegrationUpdate("a1", "i1", 10000, 30000)));
        steps.Add(OperationCatalogue.UpdateTable.Plan(ActionNames.Revert, "t", "d", new TableEncryptionUpdate("t", new SseSpecification(true, "KMS", "alias/aws/dynamodb"))));
        return steps;
    }

    /// <summary>Each kind of before-state an executor records, in its absent and present forms.</summary>
    private static readonly string[] BeforeStates =
    [
        StepStates.Of(StepStates.PolicyDocument, (string?)null), StepStates.Of(StepStates.PolicyDocument, Doc),
        StepStates.Of(StepStates.AttachedPolicyArns, []), StepStates.Of(StepStates.AttachedPolicyArns, [Deny]),
        StepStates.Of(StepStates.PermissionsBoundary, (string?)null), StepStates.Of(StepStates.PermissionsBoundary, "arn:aws:iam::aws:policy/Other"),
        StepStates.Of(StepStates.DefaultVersionId, "v1"), StepStates.Of(StepStates.AssumeRolePolicyDocument, Doc),
        StepStates.Of(StepStates.Policy, (string?)null), StepStates.Of(StepStates.Policy, Doc),
        StepStates.Of(StepStates.Timeout, 3), StepStates.Of(StepStates.TimeoutInMillis, 29000),
        StepStates.Of(StepStates.SseDescription, (System.Text.Json.Nodes.JsonNode?)null),
        StepStates.Of(StepStates.SseDescription, new System.Text.Json.Nodes.JsonObject { ["Status"] = "ENABLED", ["SSEType"] = "KMS", ["KMSMasterKeyArn"] = "arn:aws:kms:us-east-1:1:key/k" }),
        StepStates.Of(StepStates.Tags, new Dictionary<string, string?>()),
        StepStates.Of(StepStates.Tags, new Dictionary<string, string?> { ["remediated"] = "no", ["owner"] = "team" }),
    ];

    /// <summary>The planners' steps and everything undo (and undo of undo) plans from them.</summary>
    private static List<AuditAction> EveryStep()
    {
        var all = PlannerSteps().Select(AuditAction.From).ToList();
        var seen = new HashSet<string>(all.Select(Key), StringComparer.Ordinal);
        var planner = new UndoPlanner(OperationCatalogue.Index);
        for (var frontier = all.ToList(); frontier.Count > 0;)
        {
            var next = new List<AuditAction>();
            foreach (var step in frontier)
            {
                foreach (var before in BeforeStates)
                {
                    var done = step with { Before = before, Outcome = ActionOutcome.Done };
                    var record = new AuditRecord
                    {
                        Id = "e/rule", EventId = "e", Rule = "rule", Mode = RuleMode.Enforce, Outcome = AuditOutcome.Applied,
                        RecordedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch, Actions = [done],
                    };
                    foreach (var inverse in planner.Plan(record).Steps.Where(s => seen.Add(Key(s))))
                    {
                        next.Add(inverse);
                    }
                }
            }

            all.AddRange(next);
            frontier = next;
        }

        return all;
    }

    private static string Key(AuditAction step) => step.Operation + " " + step.Parameters.ToJsonString();

    [Fact]
    public void Every_step_a_planner_or_undo_can_produce_is_in_the_catalogue_and_its_parameters_read()
    {
        var steps = EveryStep();

        Assert.All(steps, step =>
        {
            var operation = OperationCatalogue.Find(step.Operation, step.Parameters);
            Assert.True(operation is not null, $"{step.Operation} {step.Parameters.ToJsonString()} is not in the catalogue");
            Assert.True(operation.TryReadParameters(step.Parameters, out var error), $"{step.Operation}: {error}");
        });
    }

    [Fact]
    public void Every_catalogue_operation_is_produced_by_a_planner_or_by_undo()
    {
        var produced = EveryStep().Select(s => OperationCatalogue.Find(s.Operation, s.Parameters)).ToHashSet();

        Assert.All(OperationCatalogue.All, operation => Assert.True(produced.Contains(operation), $"nothing plans {operation.Name} ({operation.ParametersType.Name})"));
    }

    [Fact]
    public async Task The_AWS_executor_has_a_handler_for_every_catalogue_operation_and_never_calls_one_it_cannot_find()
    {
        using var clients = new AwsClients(
            new AwsClientOptions { Region = Region, EndpointUrl = new Uri("http://127.0.0.1:9") },
            new AwsTransportSettings { Credentials = Credentials, Environment = _ => null });

        // The constructor refuses to build an executor with a catalogue entry left without a handler.
        var executor = new AwsStepExecutor(clients);
        var unknown = await executor.ExecuteAsync(new AuditAction { Action = ActionNames.Revert, Operation = "iam:DeleteRolePolicyX", Resource = "r" }, default);

        Assert.Equal(ActionOutcome.Failed, unknown.Outcome);
        Assert.Contains("not in the operation catalogue", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Operations_that_share_a_name_are_told_apart_by_their_parameters()
    {
        var rest = OperationCatalogue.RestUpdateIntegration.Plan(ActionNames.Revert, "i", "d", RestIntegrationUpdate.Timeout("r1", "res", "GET", 10000));
        var http = OperationCatalogue.HttpUpdateIntegration.Plan(ActionNames.Revert, "i", "d", new HttpIntegrationUpdate("a1", "i1", 10000));

        Assert.Equal(rest.Operation, http.Operation);
        Assert.Same(OperationCatalogue.RestUpdateIntegration, OperationCatalogue.Find(rest.Operation, rest.Parameters));
        Assert.Same(OperationCatalogue.HttpUpdateIntegration, OperationCatalogue.Find(http.Operation, http.Parameters));
    }
}
