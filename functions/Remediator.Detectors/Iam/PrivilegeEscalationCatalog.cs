namespace Remediator.Detectors.Iam;

/// <summary>A set of actions that together let their holder gain more privilege, and how.</summary>
internal sealed record EscalationCombination(string Description, IReadOnlyList<string> Actions);

/// <summary>
/// The privilege-escalation knowledge of the detector, as data in one place. Sources: DOMAIN.md's union of Prowler
/// (privilege_escalation.py), Cloudsplaining (PRIVILEGE_ESCALATION_METHODS), Rhino Security Labs' IAM escalation
/// methods and IAM Access Analyzer ("pass role with star in resource").
/// </summary>
internal static class PrivilegeEscalationCatalog
{
    /// <summary>Each of these, on Resource <c>*</c>, is enough on its own.</summary>
    public static IReadOnlyList<string> SingleActions { get; } =
    [
        "iam:PassRole",
        "iam:CreatePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:AttachUserPolicy",
        "iam:AttachGroupPolicy",
        "iam:AttachRolePolicy",
        "iam:PutUserPolicy",
        "iam:PutGroupPolicy",
        "iam:PutRolePolicy",
        "iam:UpdateAssumeRolePolicy",
        "iam:CreateAccessKey",
        "iam:CreateLoginProfile",
        "iam:UpdateLoginProfile",
        "iam:AddUserToGroup",
        "iam:DeleteUserPermissionsBoundary",
        "lambda:UpdateFunctionCode",
        "lambda:UpdateFunctionConfiguration",
        "sts:AssumeRole",
    ];

    /// <summary>Documented combinations; reported in the evidence of every statement that grants a part of one.</summary>
    public static IReadOnlyList<EscalationCombination> Combinations { get; } =
    [
        new("pass a role to a new Lambda function and invoke it", ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"]),
        new("pass a role to a new Lambda function triggered by an event source", ["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"]),
        new("pass a role to a new EC2 instance", ["iam:PassRole", "ec2:RunInstances"]),
        new("pass a role to a new CloudFormation stack", ["iam:PassRole", "cloudformation:CreateStack"]),
        new("pass a role to a new Glue development endpoint", ["iam:PassRole", "glue:CreateDevEndpoint"]),
        new("pass a role to an existing Glue development endpoint", ["iam:PassRole", "glue:UpdateDevEndpoint"]),
        new("pass a role to a new Glue job", ["iam:PassRole", "glue:CreateJob"]),
        new("pass a role to a new CodeBuild project and run it", ["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"]),
        new("pass a role to a new ECS task definition and run it", ["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"]),
        new("pass a role to a new SageMaker notebook instance", ["iam:PassRole", "sagemaker:CreateNotebookInstance"]),
        new("pass a role to a new SageMaker training job", ["iam:PassRole", "sagemaker:CreateTrainingJob"]),
        new("pass a role to a new SageMaker processing job", ["iam:PassRole", "sagemaker:CreateProcessingJob"]),
        new("pass a role and run commands on instances through SSM", ["iam:PassRole", "ssm:SendCommand"]),
        new("pass a role and open shell sessions on instances through SSM", ["iam:PassRole", "ssm:StartSession"]),
        new("pass a role to a new Step Functions state machine", ["iam:PassRole", "states:CreateStateMachine"]),
        new("pass a role to a new App Runner service", ["iam:PassRole", "apprunner:CreateService"]),
        new("assume a role and attach any policy to it", ["sts:AssumeRole", "iam:AttachRolePolicy"]),
    ];

    /// <summary>Every action the catalog names, each once, in a stable order: the bit positions of <see cref="ActionSet"/>.</summary>
    public static IReadOnlyList<string> AllActions { get; } =
        SingleActions.Concat(Combinations.SelectMany(c => c.Actions)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Catalog actions by service prefix, so an action pattern with a literal service compares only with its own.</summary>
    public static IReadOnlyDictionary<string, int[]> IndexesByService { get; } =
        AllActions.Select((action, index) => (Service: action[..action.IndexOf(':', StringComparison.Ordinal)], index))
            .GroupBy(x => x.Service, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(x => x.index).ToArray(), StringComparer.OrdinalIgnoreCase);

    private static readonly ulong SingleMask = MaskOf(SingleActions);

    private static readonly ulong[] CombinationMasks = Combinations.Select(c => MaskOf(c.Actions)).ToArray();

    /// <summary>The catalog actions an action pattern matches, as IAM matches it.</summary>
    public static ulong Matching(string actionPattern)
    {
        var colon = actionPattern.IndexOf(':', StringComparison.Ordinal);
        var service = colon < 0 ? actionPattern : actionPattern[..colon];
        ulong mask = 0;
        if (!IamGlob.HasWildcard(service))
        {
            if (IndexesByService.TryGetValue(service, out var indexes))
            {
                foreach (var i in indexes)
                {
                    if (IamGlob.IsMatch(actionPattern, AllActions[i]))
                    {
                        mask |= 1UL << i;
                    }
                }
            }

            return mask;
        }

        for (var i = 0; i < AllActions.Count; i++)
        {
            if (IamGlob.IsMatch(actionPattern, AllActions[i]))
            {
                mask |= 1UL << i;
            }
        }

        return mask;
    }

    /// <summary>All catalog actions.</summary>
    public static ulong Everything => AllActions.Count == 64 ? ulong.MaxValue : (1UL << AllActions.Count) - 1;

    public static ulong Singles(ulong granted) => granted & SingleMask;

    /// <summary>Combinations fully granted by <paramref name="documentGrant"/> that <paramref name="statementGrant"/> takes part in.</summary>
    public static IEnumerable<EscalationCombination> CombinationsTouching(ulong statementGrant, ulong documentGrant)
    {
        for (var i = 0; i < CombinationMasks.Length; i++)
        {
            var mask = CombinationMasks[i];
            if ((documentGrant & mask) == mask && (statementGrant & mask) != 0)
            {
                yield return Combinations[i];
            }
        }
    }

    public static IEnumerable<string> Names(ulong mask)
    {
        for (var i = 0; i < AllActions.Count; i++)
        {
            if ((mask & (1UL << i)) != 0)
            {
                yield return AllActions[i];
            }
        }
    }

    private static ulong MaskOf(IEnumerable<string> actions)
    {
        ulong mask = 0;
        foreach (var action in actions)
        {
            var index = IndexOf(action);
            mask |= 1UL << index;
        }

        return mask;
    }

    private static int IndexOf(string action)
    {
        for (var i = 0; i < AllActions.Count; i++)
        {
            if (string.Equals(AllActions[i], action, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"'{action}' is not in the catalog.");
    }
}
