using System.Text.Json;
using Remediator.Core.Engine;

namespace Remediator.Detectors.Iam;

/// <summary>What a statement's Condition does to its grant.</summary>
internal enum ConditionStrength
{
    /// <summary>No Condition.</summary>
    None = 0,

    /// <summary>Only keys that restrict no attacker (secure transport, region, time, MFA for an escalation).</summary>
    NotNarrowing = 1,

    /// <summary>A key this table does not know, or a known one used with an operator that does not pin it: said so.</summary>
    Unknown = 2,

    /// <summary>A key that really narrows who may act or on what (organization, source account, resource tags, ...).</summary>
    Narrowing = 3,
}

/// <summary>A statement's Condition, judged key by key.</summary>
/// <param name="PassedToServices">The services <c>iam:PassedToService</c> allows a role to be passed to; null when it does not restrict them.</param>
internal sealed record ConditionJudgement(
    ConditionStrength Strength,
    IReadOnlyList<string> Narrowing,
    IReadOnlyList<string> NotNarrowing,
    IReadOnlyList<string> Unknown,
    IReadOnlyList<string>? PassedToServices)
{
    public static ConditionJudgement Unconditional { get; } = new(ConditionStrength.None, [], [], [], null);

    /// <summary>The strength once <c>iam:PassedToService</c> has been settled (it was, for a path to a service it allows).</summary>
    public ConditionStrength StrengthIgnoringPassedToService =>
        PassedToServices is null || Narrowing.Any(n => !n.EndsWith(" iam:PassedToService", StringComparison.OrdinalIgnoreCase)) ? Strength
        : Unknown.Count > 0 ? ConditionStrength.Unknown
        : NotNarrowing.Count > 0 ? ConditionStrength.NotNarrowing
        : ConditionStrength.None;

    /// <summary>Evidence: which keys narrow, which do not, which are unknown.</summary>
    public IEnumerable<string> Describe()
    {
        if (Narrowing.Count > 0)
        {
            yield return "condition narrows the grant: " + string.Join(", ", Narrowing);
        }

        if (NotNarrowing.Count > 0)
        {
            yield return "condition restricts no attacker: " + string.Join(", ", NotNarrowing);
        }

        if (Unknown.Count > 0)
        {
            yield return "condition not judged (unknown key or operator): " + string.Join(", ", Unknown);
        }
    }
}

/// <summary>
/// The explicit table of condition keys the IAM judgement trusts. A key narrows only with a positive operator
/// (<c>StringEquals</c>, <c>StringLike</c>, <c>ArnEquals</c>, <c>ArnLike</c>, <c>IpAddress</c>, <c>Bool</c>...):
/// <c>...IfExists</c> passes when the key is absent, <c>Not...</c> inverts, <c>ForAllValues:</c> passes on an empty set.
/// Everything else is unknown and reported, never silently trusted or ignored.
/// </summary>
internal static class ConditionMeaning
{
    /// <summary>Keys that pin the caller, the resource, or the request's origin.</summary>
    private static readonly string[] NarrowingKeys =
    [
        "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalServiceName",
        "aws:PrincipalIsAWSService", "aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths",
        "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
        "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ViaAWSService", "aws:userid", "aws:username",
        "iam:PassedToService", "iam:AssociatedResourceArn", "iam:PolicyARN", "iam:PermissionsBoundary", "iam:AWSServiceName",
        "sts:ExternalId", "lambda:FunctionArn",
    ];

    /// <summary>Prefixes of tag keys (attribute-based access control): they pin the resource or the caller.</summary>
    private static readonly string[] NarrowingPrefixes =
        ["aws:ResourceTag/", "iam:ResourceTag/", "aws:PrincipalTag/", "aws:RequestTag/", "ec2:ResourceTag/", "ssm:resourceTag/"];

    /// <summary>Keys that restrict how or when, not who or what: an attacker with the credentials meets them.</summary>
    private static readonly string[] NotNarrowingKeys =
    [
        "aws:SecureTransport", "aws:RequestedRegion", "aws:CurrentTime", "aws:EpochTime", "aws:MultiFactorAuthPresent",
        "aws:MultiFactorAuthAge", "aws:TokenIssueTime", "aws:UserAgent", "aws:Referer", "aws:TagKeys", "aws:PrincipalType",
    ];

    /// <summary>
    /// Services that run code or API calls the caller chooses with a role passed to them: passing a privileged role to
    /// one of these is an escalation. Sources: the passed-to services of the escalation catalogue, plus services whose
    /// documented purpose is to run a caller's code, container, script or API call.
    /// </summary>
    private static readonly string[] RunsCallerCodeServices =
    [
        "ec2.amazonaws.com", "lambda.amazonaws.com", "edgelambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ecs.amazonaws.com",
        "glue.amazonaws.com", "codebuild.amazonaws.com", "sagemaker.amazonaws.com", "cloudformation.amazonaws.com",
        "datapipeline.amazonaws.com", "elasticmapreduce.amazonaws.com", "emr-containers.amazonaws.com", "batch.amazonaws.com",
        "states.amazonaws.com", "tasks.apprunner.amazonaws.com", "build.apprunner.amazonaws.com", "ssm.amazonaws.com",
        "bedrock-agentcore.amazonaws.com", "bedrock.amazonaws.com", "codestar.amazonaws.com", "codepipeline.amazonaws.com",
        "airflow.amazonaws.com", "airflow-env.amazonaws.com", "elasticbeanstalk.amazonaws.com", "eks.amazonaws.com",
        "pods.eks.amazonaws.com", "scheduler.amazonaws.com", "events.amazonaws.com", "pipes.amazonaws.com",
        "imagebuilder.amazonaws.com", "gamelift.amazonaws.com", "databrew.amazonaws.com", "autoscaling.amazonaws.com",
        "spot.amazonaws.com", "spotfleet.amazonaws.com", "ec2fleet.amazonaws.com", "lightsail.amazonaws.com",
        "robomaker.amazonaws.com", "iot.amazonaws.com", "greengrass.amazonaws.com", "servicecatalog.amazonaws.com",
        "opsworks.amazonaws.com", "appflow.amazonaws.com", "kinesisanalytics.amazonaws.com", "dms.amazonaws.com",
    ];

    /// <summary>
    /// Services that use a passed role only for their own, fixed work (delivering logs, scaling, publishing metrics):
    /// nothing the caller writes runs with the role. Seen in the AWS managed policies that limit PassRole this way.
    /// </summary>
    private static readonly string[] RunsNoCallerCodeServices =
    [
        "cloudtrail.amazonaws.com", "cognito-idp.amazonaws.com", "application-autoscaling.amazonaws.com", "rds.amazonaws.com",
        "monitoring.rds.amazonaws.com", "kendra.amazonaws.com", "mediaconvert.amazonaws.com", "logs.amazonaws.com",
        "config.amazonaws.com", "s3.amazonaws.com", "redshift.amazonaws.com", "backup.amazonaws.com", "dlm.amazonaws.com",
        "firehose.amazonaws.com", "vpc-flow-logs.amazonaws.com", "delivery.logs.amazonaws.com", "sns.amazonaws.com",
        "cloudwatch.amazonaws.com", "guardduty.amazonaws.com", "inspector.amazonaws.com", "macie.amazonaws.com",
        "transfer.amazonaws.com", "storagegateway.amazonaws.com", "elastictranscoder.amazonaws.com", "mediapackage.amazonaws.com",
        "medialive.amazonaws.com", "mediatailor.amazonaws.com", "iotevents.amazonaws.com", "dax.amazonaws.com",
        "rekognition.amazonaws.com", "comprehend.amazonaws.com", "transcribe.amazonaws.com", "translate.amazonaws.com",
        "personalize.amazonaws.com", "forecast.amazonaws.com", "textract.amazonaws.com", "es.amazonaws.com",
        "opensearchservice.amazonaws.com", "elasticfilesystem.amazonaws.com", "fsx.amazonaws.com", "datasync.amazonaws.com",
        "quicksight.amazonaws.com", "securityhub.amazonaws.com", "access-analyzer.amazonaws.com", "email.cognito-idp.amazonaws.com",
        "sms-voice.amazonaws.com", "pinpoint.amazonaws.com", "connect.amazonaws.com", "lex.amazonaws.com", "polly.amazonaws.com",
        "dynamodb.application-autoscaling.amazonaws.com", "replication.dynamodb.amazonaws.com", "appsync.amazonaws.com",
        "apigateway.amazonaws.com", "elasticloadbalancing.amazonaws.com", "globalaccelerator.amazonaws.com",
    ];

    private static readonly string[] PositiveOperators =
    [
        "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ArnEquals", "ArnLike", "IpAddress", "Bool",
        "NumericEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals",
        "DateEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
    ];

    public static ConditionJudgement Judge(PolicyStatement statement)
    {
        if (!statement.HasCondition)
        {
            return ConditionJudgement.Unconditional;
        }

        List<string> narrowing = [], notNarrowing = [], unknown = [];
        List<string>? passedTo = null;
        foreach (var block in statement.Condition.EnumerateObject())
        {
            var op = block.Name;
            var positive = IsPositive(op);
            if (block.Value.ValueKind != JsonValueKind.Object)
            {
                unknown.Add(op);
                continue;
            }

            foreach (var condition in block.Value.EnumerateObject())
            {
                var key = condition.Name;
                var label = $"{op} {key}";
                if (IsIn(NotNarrowingKeys, key))
                {
                    notNarrowing.Add(label);
                }
                else if (IsNarrowingKey(key) && positive)
                {
                    narrowing.Add(label);
                    if (key.Equals("iam:PassedToService", StringComparison.OrdinalIgnoreCase))
                    {
                        (passedTo ??= []).AddRange(PolicyStatement.ReadStrings(condition.Value) ?? []);
                    }
                }
                else
                {
                    unknown.Add(label);
                }
            }
        }

        var strength = narrowing.Count > 0 ? ConditionStrength.Narrowing
            : unknown.Count > 0 ? ConditionStrength.Unknown
            : ConditionStrength.NotNarrowing;
        return new ConditionJudgement(strength, narrowing, notNarrowing, unknown, passedTo);
    }

    /// <summary>True when a restriction to <paramref name="services"/> allows passing a role to <paramref name="service"/>.</summary>
    public static bool AllowsService(IReadOnlyList<string>? services, string service) =>
        services is null || services.Any(s => WildcardPattern.IsMatch(s, service, ignoreCase: true));

    /// <summary>True when the service runs caller code with a passed role, false when it is known not to, null when unknown.</summary>
    public static bool? RunsCallerCode(string service)
    {
        // The China partition names the same services with a ".cn" suffix.
        var name = service.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase) ? service[..^3] : service;
        return IsIn(RunsCallerCodeServices, name) ? true
            : IsIn(RunsNoCallerCodeServices, name) ? false
            : null;
    }

    private static bool IsPositive(string op)
    {
        var name = op.StartsWith("ForAnyValue:", StringComparison.OrdinalIgnoreCase) ? op["ForAnyValue:".Length..] : op;
        return IsIn(PositiveOperators, name);
    }

    private static bool IsNarrowingKey(string key) =>
        IsIn(NarrowingKeys, key) || NarrowingPrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    private static bool IsIn(string[] keys, string key) => keys.Any(k => k.Equals(key, StringComparison.OrdinalIgnoreCase));
}
